"""Eligibility matching: match(profile, service) -> verdict (to be written)."""

from __future__ import annotations


def template_globals() -> dict:
    return {}
