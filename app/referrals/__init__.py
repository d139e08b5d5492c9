"""Closed-loop referrals: clients, care teams, consent, referrals and their events."""
