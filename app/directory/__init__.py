"""The catalog: organizations, services, locations, capacity, eligibility, site visits."""
