"""Public landing page. The full public directory and discharge cards come in later issues."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.permissions import PUBLIC, requires

bp = Blueprint("public", __name__)


@bp.get("/")
@requires(PUBLIC)
def home():  # noqa: ANN201
    return render_template("public/home.html")


@bp.get("/healthz")
@requires(PUBLIC)
def health():  # noqa: ANN201
    return {"status": "ok"}
