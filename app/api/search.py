"""API routes for search (to be written)."""

from app.api import bp  # noqa: F401
