"""Error pages for HTML and JSON problem bodies (RFC 9457) for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError, PendingRollbackError
from werkzeug.exceptions import HTTPException

# Seconds a client is asked to wait when the database cannot be reached (a restart takes a few).
RETRY_AFTER_SECONDS = 5


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/fhir/")) or (
        request.accept_mimetypes.best == "application/json"
    )


def problem(status: int, title: str, detail: str | None = None, **extra):  # noqa: ANN003,ANN201
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _signed_in() -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):  # noqa: ANN202
        # The exception's own headers (Allow on a 405, as RFC 9110 requires), not its body's type.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if wants_json():
            response = problem(error.code or 500, error.name, error.description)
            response.headers.extend(headers)
            return response
        if error.code == 404 and not _signed_in():
            # Visitors get the public page, in their language, with the way back to search.
            return render_template("public/not_found.html"), 404
        template = f"errors/{error.code}.html"
        return (
            render_template([template, "errors/generic.html"], error=error, code=error.code),
            error.code,
            headers,
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PendingRollbackError)
    def handle_database_unavailable(error: Exception):  # noqa: ARG001,ANN202
        """The database cannot be reached (restarting, failing over, locked): 503 and "try again".

        Nothing was written (the request's transaction never committed), so repeating is safe.
        The page is standalone: the usual layout asks the database for the signed-in user.
        """
        from app.extensions import db

        try:
            db.session.rollback()
        except (OperationalError, InterfaceError, PendingRollbackError):  # the connection is gone
            db.session.close()
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if wants_json():
            response = problem(
                503,
                "Service Unavailable",
                "The database cannot be reached just now. Nothing was saved; try again shortly.",
            )
            response.headers.update(headers)
            return response
        return render_template("errors/unavailable.html"), 503, headers

    @app.errorhandler(500)
    def handle_500(error):  # noqa: ANN001,ANN202
        from app.extensions import db

        db.session.rollback()
        if wants_json():
            return problem(500, "Internal Server Error")
        return render_template("errors/generic.html", error=None, code=500), 500
