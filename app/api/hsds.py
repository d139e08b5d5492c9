"""API routes for hsds (to be written)."""

from app.api import bp  # noqa: F401
