"""`flask users`: the same account rules as the admin pages, with readable errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import Role, User
from tests import factories


@pytest.fixture
def run(app):  # noqa: ANN001, ANN201
    runner = app.test_cli_runner()

    def _run(*args: str, input: str | None = None):  # noqa: A002, ANN202
        return runner.invoke(args=["users", *args], input=input)

    return _run


def _user(db, email: str) -> User | None:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_create_admin_with_password_option(run, db):
    result = run(
        "create",
        "First.Admin@Example.org",
        "--name",
        "First Admin",
        "--role",
        "admin",
        "--password",
        "a long admin password",
    )
    assert result.exit_code == 0, result.output
    assert "Created first.admin@example.org" in result.output
    user = _user(db, "first.admin@example.org")
    assert user.role == Role.ADMIN and user.active
    assert user.check_password("a long admin password")


def test_create_prompts_for_hidden_password_twice(run, db):
    result = run(
        "create",
        "ana@example.org",
        "--name",
        "Ana",
        "--role",
        "analyst",
        input="a long typed password\na long typed password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long typed password" not in result.output  # hidden
    assert _user(db, "ana@example.org").check_password("a long typed password")


def test_create_counselor_and_provider_by_names(run, db):
    facility = factories.make_facility(name="Osborn Correctional Institution")
    one = factories.make_organization(name="Harbor Housing")
    two = factories.make_organization(name="Second Chance Jobs")
    result = run(
        "create",
        "c@example.org",
        "--name",
        "C",
        "--role",
        "counselor",
        "--facility",
        "osborn correctional institution",
        "--password",
        "x" * 12,
    )
    assert result.exit_code == 0, result.output
    assert _user(db, "c@example.org").facility_id == facility.id
    result = run(
        "create",
        "p@example.org",
        "--name",
        "P",
        "--role",
        "provider",
        "--organization",
        "Harbor Housing",
        "--organization",
        "Second Chance Jobs",
        "--password",
        "x" * 12,
    )
    assert result.exit_code == 0, result.output
    assert _user(db, "p@example.org").organization_ids == {one.id, two.id}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--role", "boss"], 2, "Invalid value for '--role'"),
        (["--role", "counselor", "--facility", "Nowhere"], 2, "No facility named 'Nowhere'"),
        (["--role", "provider", "--organization", "Ghost Org"], 2, "No organization named"),
        (["--role", "counselor"], 1, "Choose the facility this counselor works at."),
        (["--role", "analyst", "--password", "short"], 1, "Use at least 12 characters."),
    ],
)
def test_create_errors_are_messages_not_tracebacks(run, db, args, code, message):
    result = run(
        "create",
        "x@example.org",
        "--name",
        "X",
        *args,
        *([] if "--password" in args else ["--password", "y" * 12]),
    )
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert _user(db, "x@example.org") is None


def test_create_refuses_a_duplicate_email(run, db):
    factories.make_user(Role.ANALYST, email="taken@example.org")
    result = run(
        "create", "TAKEN@example.org", "--name", "T", "--role", "admin", "--password", "y" * 12
    )
    assert result.exit_code == 1
    assert "Another account already uses this e-mail address." in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an IntegrityError


def test_deactivate(run, client):
    user = factories.make_user(Role.COUNSELOR)
    result = run("deactivate", user.email.upper())
    assert result.exit_code == 0, result.output
    assert factories.reload(user).active is False
    response = client.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 422
    missing = run("deactivate", "nobody@example.org")
    assert missing.exit_code == 1
    assert "No account for nobody@example.org" in missing.output


def test_list(run):
    assert "No accounts." in run("list").output
    org = factories.make_organization(name="Harbor Housing")
    factories.make_user(Role.PROVIDER, organizations=[org], email="p@example.org", active=False)
    factories.make_user(Role.ADMIN, email="a@example.org")
    output = run("list").output
    assert output.index("a@example.org") < output.index("p@example.org")
    assert "provider\tdeactivated\tHarbor Housing" in output
