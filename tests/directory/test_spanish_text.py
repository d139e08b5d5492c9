"""A service's Spanish text, entered beside the English on the service form."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.audit.models import AuditEntry
from app.directory.models import Service
from app.directory.services import EditError
from app.directory.translations import AUDIT_ACTION, TranslationData, set_translation, translation
from app.extensions import db
from app.public.models import ServiceTranslation
from tests import factories
from tests.directory.test_editing import service_form

SPANISH = {
    "es_name": "Vivienda de reingreso",
    "es_description": "Camas para hombres que salen de prisión.",
    "es_documents": "Identificación con foto\n\n  Tarjeta del Seguro Social  \n",
    "es_fees_description": "Gratis",
    "es_application_process": "Llame para una cita.",
    "es_eligibility_description": "Hombres de 18 años o más.",
    "es_alert": "Cerrado hasta el 3 de mayo",
}


def spanish_form(**overrides: object) -> dict[str, object]:
    """The service form as a browser sends it: every Spanish box, empty unless given."""
    return service_form(**{name: "" for name in SPANISH} | overrides)


def _rows(service: Service) -> list[ServiceTranslation]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ServiceTranslation).where(ServiceTranslation.service_id == service.id)
        )
    )


def _audits() -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION).order_by(AuditEntry.at)
    return list(db.session.scalars(query))


def test_provider_enters_spanish_beside_the_english(client, login):  # noqa: ANN001
    org = factories.make_organization()
    service = factories.make_service(org, name="Re-entry Housing")
    db.session.commit()
    provider = factories.make_user(Role.PROVIDER, organizations=[org])
    login(provider)

    page = client.get(f"/directory/services/{service.id}/edit").get_data(as_text=True)
    # Each Spanish box sits in the same pair as its English field, marked as Spanish.
    pair = page[page.index('<div class="pair">') :]
    pair = pair[: pair.index('<div class="pair">', 1)]
    assert 'name="name"' in pair and 'name="es_name"' in pair
    assert '<input id="es_name" lang="es" maxlength="250" name="es_name"' in pair
    for name in SPANISH:
        assert f'id="{name}" lang="es"' in page, name

    response = client.post(f"/directory/services/{service.id}/edit", data=service_form(**SPANISH))
    assert response.status_code == 302, response.get_data(as_text=True)
    (row,) = _rows(service)
    assert row.language == "es"
    assert row.name == "Vivienda de reingreso"
    assert row.description == "Camas para hombres que salen de prisión."
    assert row.documents == "Identificación con foto\nTarjeta del Seguro Social"
    assert row.fees_description == "Gratis"
    assert row.application_process == "Llame para una cita."
    assert row.eligibility_description == "Hombres de 18 años o más."
    assert row.alert == "Cerrado hasta el 3 de mayo"

    (entry,) = _audits()
    assert entry.actor_id == provider.id and entry.object_id == service.id
    assert entry.details["language"] == "es"
    assert sorted(entry.details["fields"]) == sorted(k.removeprefix("es_") for k in SPANISH)
    assert "Vivienda" not in str(entry.details)  # names of fields, never their text

    again = client.get(f"/directory/services/{service.id}/edit").get_data(as_text=True)
    assert "Camas para hombres que salen de prisión." in again
    assert "Identificación con foto\nTarjeta del Seguro Social" in again


def test_saving_the_same_text_again_is_not_audited_and_clearing_removes_it(client, login):  # noqa: ANN001
    org = factories.make_organization()
    service = factories.make_service(org, name="Re-entry Housing")
    db.session.commit()
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    url = f"/directory/services/{service.id}/edit"

    client.post(url, data=spanish_form(es_name="Vivienda"))
    client.post(url, data=spanish_form(es_name="Vivienda"))
    assert len(_audits()) == 1

    client.post(url, data=spanish_form(es_description="Camas."))
    (row,) = _rows(service)
    assert row.name is None and row.description == "Camas."

    assert client.post(url, data=spanish_form()).status_code == 302
    assert _rows(service) == []
    assert [sorted(a.details["fields"]) for a in _audits()] == [
        ["name"],
        ["description", "name"],
        ["description"],
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("es_name", "x" * 251, "250"),
        ("es_alert", "x" * 501, "500"),
        ("es_fees_description", "x" * 2001, "2000"),
        ("es_description", "x" * 5001, "5000"),
        ("es_documents", "x" * 251, "250 characters"),
        ("es_documents", "\n".join(f"Cosa {i}" for i in range(60)), "lines or fewer"),
    ],
)
def test_spanish_fields_have_the_english_limits(client, login, field, value, message):  # noqa: ANN001
    org = factories.make_organization()
    service = factories.make_service(org, name="Re-entry Housing")
    db.session.commit()
    login(factories.make_user(Role.PROVIDER, organizations=[org]))

    response = client.post(
        f"/directory/services/{service.id}/edit",
        data=service_form(name="Changed", **{field: value}),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-err"' in html and message in html
    assert _rows(service) == []
    assert db.session.get(Service, service.id).name == "Re-entry Housing"


def test_another_organizations_provider_cannot_enter_spanish(client, login):  # noqa: ANN001
    service = factories.make_service(factories.make_organization(), name="Theirs")
    other = factories.make_organization()
    db.session.commit()
    login(factories.make_user(Role.PROVIDER, organizations=[other]))
    response = client.post(
        f"/directory/services/{service.id}/edit", data=service_form(es_name="Suyo")
    )
    assert response.status_code == 403
    assert _rows(service) == []


def test_admin_adds_a_service_with_its_spanish_text(client, login):  # noqa: ANN001
    org = factories.make_organization()
    db.session.commit()
    login(factories.make_user(Role.ADMIN))
    response = client.post(
        f"/directory/organizations/{org.id}/services/new",
        data=service_form(name="Job Start", es_name="Empleo ya"),
    )
    assert response.status_code == 302
    service = db.session.scalar(select(Service).where(Service.name == "Job Start"))
    assert translation(service).name == "Empleo ya"


def test_set_translation_without_a_request_names_the_field(db):  # noqa: ANN001
    service = factories.make_service(factories.make_organization())
    with pytest.raises(EditError) as caught:
        set_translation(service, TranslationData(fees_description="x" * 2001), None)
    assert caught.value.field == "es_fees_description"
    with pytest.raises(EditError):
        set_translation(service, TranslationData(name="Ok"), None, language="fr")
    row = set_translation(service, TranslationData(name="  Vivienda  "), None)
    assert row is not None and row.name == "Vivienda" and row.description is None
