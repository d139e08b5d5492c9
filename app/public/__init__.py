"""Public pages for returning citizens (no login)."""
