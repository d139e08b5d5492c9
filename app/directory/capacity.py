"""Capacity rules: staleness, room, and the changes that append history (to be written)."""

from __future__ import annotations


def template_globals() -> dict:
    return {}
