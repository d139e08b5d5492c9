"""A person's supervision conditions (curfew, area, reporting office) and document readiness:
recorded on the client record, checked against services in search and on the referral form."""
