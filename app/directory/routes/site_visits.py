"""Views for site_visits (to be written)."""

from app.directory.blueprint import bp  # noqa: F401
