"""The request is the unit of work: services flush, this module commits or rolls back once.

- After the view: a response under 400 commits the session; any error response rolls it back
  (a streamed read is left open for its stream and closed at teardown).
  An unhandled exception reaches the 500 handler (which rolls back) or, under tests that let
  exceptions through, the app context's teardown, which discards the session unsaved.
  After-commit work (search sync, outbox mail sent on close) hangs off that one commit.
- A DomainError raised anywhere in the view is answered here: rolled back first (so what the
  page shows next is what the database holds), then the view's own renderer if it registered
  one with `on_domain_error` (a form shown again with the message at its field), else a JSON
  problem for the API or a plain error page.
CLI commands and jobs are their own units and commit themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from flask import Flask, Response, flash, redirect, render_template, request
from sqlalchemy import event

from app.domain_errors import DomainError
from app.errors import problem, wants_json
from app.extensions import db

Renderer = Callable[[DomainError], Any]
# Kept in the request's WSGI environ, not in `g`: an app context can outlive one request (a test's,
# a CLI's), and another request must never answer with this view's renderer.
_RENDERER = "partners.domain_error_renderer"
_WROTE = "unit_of_work_wrote"


def on_domain_error(render: Renderer) -> None:
    """How this view answers a domain error; `render` may return None to take the default."""
    request.environ[_RENDERER] = render


def form_renderer(form: Any, render: Callable[[], Any], fallback: str | None = None) -> Renderer:
    """The usual page answer: the message at its field (else at `fallback`, else atop the form),
    the form shown again with the error's status.

    403 and 404 take the default error page; `render` builds the page and is called after the
    rollback, so it shows the database as it is.
    """

    def answer(error: DomainError) -> Any:
        if error.status in {403, 404}:
            return None
        problems = getattr(error, "problems", None) or {error.field: error.message}
        for name, message in problems.items():
            name = getattr(name, "value", name)
            name = name if name and name in form else fallback
            if name and name in form:
                form[name].errors = [*form[name].errors, message]
            else:
                form.form_errors.append(message)
        return render(), error.status

    return answer


def flash_and_redirect(target: str, prefix: str = "", code: int = 302) -> Renderer:
    """For one-click actions without a form: the reason as a flash message, back to `target`."""

    def answer(error: DomainError) -> Any:
        if error.status in {403, 404}:
            return None
        flash(prefix + error.message, "error")
        return redirect(target, code=code)

    return answer


def commit_now() -> None:
    """Close the unit early, for the rare write that must outlive a refused request (an API
    token's last-used stamp); everything after it is the request's own unit as usual."""
    db.session.commit()


def domain_problem(error: DomainError) -> Response:
    return problem(error.status, error.title, error.message, **error.problem_extra())


def _note_write(session: Any, *_: Any) -> None:
    session.info[_WROTE] = True


def _note_bulk_write(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _install_listeners() -> None:
    from flask_sqlalchemy.session import Session

    if not event.contains(Session, "after_flush", _note_write):
        event.listen(Session, "after_flush", _note_write)
        event.listen(Session, "do_orm_execute", _note_bulk_write)


def register_unit_of_work(app: Flask) -> None:
    _install_listeners()

    @app.after_request
    def finish_unit(response: Response) -> Response:
        session = db.session()
        if response.status_code >= 400:
            session.rollback()
        elif response.is_streamed and not session.info.get(_WROTE):
            # A read streamed after this hook: committing would expire what it still reads.
            # The app context's teardown closes the session once the stream is done.
            return response
        else:
            session.commit()
        session.info.pop(_WROTE, None)  # the next unit in this session starts clean
        return response

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError) -> Any:
        db.session.rollback()
        render = request.environ.pop(_RENDERER, None)
        if render is not None:
            answer = render(error)
            if answer is not None:
                return answer
        if wants_json():
            return domain_problem(error)
        shown = SimpleNamespace(name=error.title, description=error.message)
        page = render_template("errors/generic.html", error=shown, code=error.status)
        return page, error.status
