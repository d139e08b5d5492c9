"""Staff catalog pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.permissions import requires

bp = Blueprint("directory", __name__, url_prefix="/directory")


@bp.get("/")
@requires("directory.browse")
def browse():  # noqa: ANN201
    return render_template("directory/browse.html")
