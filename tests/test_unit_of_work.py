"""The request is the unit of work: a view that succeeds is committed once, anything that goes
wrong after a service flushed leaves nothing behind, and domain errors become 403/409/422 answers.

The routes here live on their own app (same database, exceptions not propagated, as in
production) so a real service can flush and then fail on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Blueprint, jsonify
from sqlalchemy import func, select

from app import create_app
from app.directory.models import Organization
from app.directory.services import EditError, OrganizationData, create_organization
from app.domain_errors import Conflict
from app.extensions import db
from app.referrals.errors import NotAllowed
from app.unit_of_work import form_renderer, on_domain_error

NAME = "Unit of Work Test Org"


def _flush_org() -> Organization:
    return create_organization(OrganizationData(name=NAME, description="x"))


def _blueprint() -> Blueprint:
    bp = Blueprint("uow_test", __name__)

    @bp.post("/_uow/page/ok")
    @bp.post("/api/_uow/ok")
    def ok():  # noqa: ANN202
        org = _flush_org()
        return jsonify({"id": org.id}), 201

    @bp.post("/_uow/page/<kind>")
    @bp.post("/api/_uow/<kind>")
    def fails(kind: str):  # noqa: ANN202
        _flush_org()  # written to the transaction, not yet committed
        if kind == "crash":
            raise RuntimeError("boom after the flush")
        if kind == "forbidden":
            raise NotAllowed("Only the referring side can do that.")
        if kind == "conflict":
            raise Conflict("Someone else changed it first.")
        if kind == "form":
            from flask_wtf import FlaskForm
            from wtforms import StringField

            class Form(FlaskForm):
                name = StringField("Name")

            form = Form(meta={"csrf": False})
            on_domain_error(form_renderer(form, lambda: f"<form>{form.name.errors}</form>"))
        raise EditError("name", "That name is taken.")

    return bp


@pytest.fixture
def uow_client(app, tmp_path):  # noqa: ANN001,ANN201
    config = dict(app.config)
    config.update(
        PROPAGATE_EXCEPTIONS=False,
        WTF_CSRF_ENABLED=False,
        SEARCH_SYNC="off",
        SEARCH_INDEX_DIR=str(tmp_path / "uow_index"),
    )
    other = create_app(config)
    other.register_blueprint(_blueprint())
    yield other.test_client()
    with other.app_context():
        db.engine.dispose()


def _orgs() -> int:
    db.session.rollback()  # read what is committed now
    return db.session.scalar(
        select(func.count()).select_from(Organization).where(Organization.name == NAME)
    )


@pytest.mark.parametrize("prefix", ["/_uow/page", "/api/_uow"])
def test_a_successful_view_is_committed_once(uow_client, prefix: str) -> None:  # noqa: ANN001
    response = uow_client.post(f"{prefix}/ok")
    assert response.status_code == 201
    assert _orgs() == 1


@pytest.mark.parametrize("prefix", ["/_uow/page", "/api/_uow"])
def test_an_exception_after_a_flush_leaves_nothing(uow_client, prefix: str) -> None:  # noqa: ANN001
    response = uow_client.post(f"{prefix}/crash")
    assert response.status_code == 500
    assert _orgs() == 0


@pytest.mark.parametrize(
    ("kind", "status", "title"),
    [
        ("forbidden", 403, "Forbidden"),
        ("conflict", 409, "Conflict"),
        ("invalid", 422, "Unprocessable Content"),
    ],
)
def test_api_domain_errors_become_problems_and_roll_back(uow_client, kind, status, title) -> None:  # noqa: ANN001
    response = uow_client.post(f"/api/_uow/{kind}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] == title
    if status == 422:
        assert body["field"] == "name"
        assert body["errors"] == {"name": ["That name is taken."]}
    assert _orgs() == 0


@pytest.mark.parametrize(("kind", "status"), [("forbidden", 403), ("conflict", 409)])
def test_page_domain_errors_show_an_error_page_and_roll_back(uow_client, kind, status) -> None:  # noqa: ANN001
    response = uow_client.post(f"/_uow/page/{kind}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    if status == 409:
        assert "Someone else changed it first." in response.get_data(as_text=True)
    assert _orgs() == 0


def test_a_page_form_shows_the_message_at_its_field_and_saves_nothing(uow_client) -> None:  # noqa: ANN001
    response = uow_client.post("/_uow/page/form")
    assert response.status_code == 422
    assert response.get_data(as_text=True) == "<form>['That name is taken.']</form>"
    assert _orgs() == 0


# --- views hold no transactions and no except chains ----------------------------------------------

APP = Path(__file__).resolve().parent.parent / "app"


def _view_modules() -> list[Path]:
    found = {
        *APP.glob("**/routes*.py"),
        *APP.glob("**/routes/*.py"),
        *APP.glob("**/*_routes.py"),
        *APP.glob("api/*.py"),
    }
    return sorted(found)


def _domain_error_names() -> set[str]:
    import app.models  # noqa: F401  every domain module is imported by the app
    from app.domain_errors import DomainError

    names, todo = set(), [DomainError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _caught(handler: ast.ExceptHandler) -> list[str]:
    nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "") for n in nodes if n]


def test_no_view_commits_rolls_back_or_catches_a_domain_error(app) -> None:  # noqa: ANN001
    """The request owns the transaction and the registered handlers own the domain errors."""
    modules = _view_modules()
    assert len(modules) > 20, "the view modules moved: update the globs"
    domain_errors = _domain_error_names()
    offences = []
    for path in modules:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(APP.parent)}:{getattr(node, 'lineno', '?')}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"commit", "rollback"}
            ):
                offences.append(f"{where} calls .{node.func.attr}()")
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                for name in set(_caught(node)) & domain_errors:
                    offences.append(f"{where} catches {name}")
    assert offences == []
