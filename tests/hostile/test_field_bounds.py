"""Every free-text field of every form has an upper length bound (WTForms Length)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.validators import Length

import app as app_package
from app.directory.services import EditError, ServiceData, update_service
from app.extensions import db
from app.referrals.errors import ReferralValidationError
from app.referrals.services import transition
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.test_route_permissions import _login


def _all_form_classes() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    seen, todo = [], [Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.startswith("app.")]


def _unbounded(form: Form) -> list[str]:
    """Free-text fields without Length(max=...); FieldList row forms are walked as classes."""
    return [
        field.name
        for field in form
        if isinstance(field, StringField)
        and field.type not in {"HiddenField", "CSRFTokenField"}
        and not any(isinstance(v, Length) and v.max and v.max > 0 for v in field.validators)
    ]


def test_every_free_text_field_has_a_maximum_length(app):  # noqa: ANN001
    problems = {}
    with app.test_request_context("/", method="POST"):
        for cls in _all_form_classes():
            form = cls(meta={"csrf": False}) if issubclass(cls, FlaskForm) else cls()
            missing = _unbounded(form)
            if missing:
                problems[f"{cls.__module__}.{cls.__name__}"] = missing
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


# --- "What to bring" is a short list, on the page and in the services --------------------------

MANY_LINES = "\n".join(f"Item {n}" for n in range(20_000))


def test_service_form_refuses_a_20000_line_what_to_bring(client, world):  # noqa: ANN001
    _login(client, world.users["provider_a"])
    response = client.post(
        f"/directory/services/{world.service_a.id}/edit",
        data={
            "name": "Re-entry Housing",
            "description": "Beds.",
            "status": "active",
            "documents": MANY_LINES,
        },
    )
    assert response.status_code == 422
    assert "Keep this to 30 lines or fewer" in response.get_data(as_text=True)
    assert factories.reload(world.service_a).required_documents == []


def test_accept_form_refuses_a_long_what_to_bring_list(client, world):  # noqa: ANN001
    _login(client, world.users["provider_a"])
    referral = factories.reload(world.referral)
    response = client.post(
        f"/referrals/{referral.id}/step/accept",
        data={
            "accept-version": str(referral.version),
            "accept-what_to_bring": "\n".join(f"ID {n}" for n in range(40)),
        },
    )
    assert response.status_code == 422
    assert "Keep this to 30 lines or fewer" in response.get_data(as_text=True)
    assert factories.reload(world.referral).status == ReferralStatus.SENT


def test_services_refuse_long_lists(world):  # noqa: ANN001
    with pytest.raises(EditError) as caught:
        update_service(
            world.service_a,
            ServiceData(name="Re-entry Housing", documents=MANY_LINES.splitlines()),
        )
    assert caught.value.field == "documents"
    db.session.rollback()
    referral = factories.reload(world.referral)
    with pytest.raises(ReferralValidationError) as caught:
        transition(
            referral,
            "accept",
            world.users["provider_a"],
            expected_version=referral.version,
            what_to_bring=MANY_LINES,
        )
    assert caught.value.field == "what_to_bring"
