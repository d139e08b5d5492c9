"""Views for capacity (to be written)."""

from app.directory.blueprint import bp  # noqa: F401
