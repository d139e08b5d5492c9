"""Append-only audit trail of who viewed or changed personal data."""
