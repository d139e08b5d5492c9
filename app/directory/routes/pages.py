"""Browse the catalog, read a service, edit organizations, services and locations."""

from __future__ import annotations

from flask import render_template

from app.directory.blueprint import bp
from app.permissions import requires


@bp.get("/")
@requires("directory.browse")
def browse():  # noqa: ANN201
    return render_template("directory/browse.html")
