"""Outgoing e-mail through an outbox table: written with its cause, sent after the commit."""
