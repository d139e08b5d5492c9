"""Accounts: users, roles, facilities, organization membership, login and password reset."""
