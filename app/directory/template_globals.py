"""Lets catalog modules expose helpers to templates without each touching create_app()."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from app.directory import capacity, eligibility

    for module in (capacity, eligibility):
        hook = getattr(module, "template_globals", None)
        if hook is not None:
            app.jinja_env.globals.update(hook())
