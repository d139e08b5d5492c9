"""Staff catalog views, one module per subject; importing them registers their routes."""

from app.directory.blueprint import bp
from app.directory.routes import capacity, eligibility, pages, site_visits  # noqa: F401

__all__ = ["bp"]
