"""Loading reference data (taxonomies, units), demo data and synthetic scale data."""
