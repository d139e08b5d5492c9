"""API routes for referrals (to be written)."""

from app.api import bp  # noqa: F401
