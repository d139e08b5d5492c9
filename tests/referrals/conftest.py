"""Referral fixtures: a small world (provider, counselor, client, service).

The real SMTP server fixtures (`smtp`, `smtp_down`) are shared from tests/conftest.py.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from app.accounts.models import Role
from tests import factories

# --- a small world -------------------------------------------------------------------------------

FIRST_NAME = "Zebulon"
LAST_NAME = "Quixwell"
DATE_OF_BIRTH = date(1979, 11, 23)
INMATE_NUMBER = "INM-448812"


NEED_AREAS = (
    ("housing", None, "Housing"),
    ("housing.transitional", "housing", "Transitional and halfway housing"),
    ("employment", None, "Employment and job training"),
    ("food", None, "Food"),
)


def need_area_terms(db):  # noqa: ANN001,ANN201
    """A few need areas with the seed's ids (need-<code>), much faster than load_taxonomies()."""
    from app.directory.models import NEED_AREA_TAXONOMY, TaxonomyTerm

    terms = []
    for order, (code, parent, name) in enumerate(NEED_AREAS):
        term = TaxonomyTerm(
            id=f"need-{code}",
            code=code,
            name=name,
            parent_id=f"need-{parent}" if parent else None,
            taxonomy=NEED_AREA_TAXONOMY,
            sort_order=order,
        )
        db.session.add(term)
        db.session.flush()
        terms.append(term)
    db.session.commit()
    return terms


@pytest.fixture
def world(db):  # noqa: ANN001,ANN201
    """Two provider organizations, a housing service with room, a counselor with one client.

    The client's name, date of birth and inmate number are distinctive so tests can assert that
    they never leak into e-mails or notifications.
    """
    housing, transitional = need_area_terms(db)[:2]
    facility = factories.make_facility()
    org = factories.make_organization(name="Harbor House Org", email="intake@harbor.example.org")
    other_org = factories.make_organization(name="Elsewhere Org")
    location = factories.make_location(org, town="Hartford")
    service = factories.make_service(org, location=location, name="Transitional Housing")
    service.taxonomy_terms = [housing, transitional]
    db.session.commit()
    factories.make_capacity(service, available=3, maximum=10)
    counselor = factories.make_user(Role.COUNSELOR, facility=facility, name="Casey Counselor")
    w = SimpleNamespace(
        facility=facility,
        org=org,
        other_org=other_org,
        location=location,
        service=service,
        counselor=counselor,
        provider=factories.make_user(Role.PROVIDER, organizations=[org], name="Pat Provider"),
        other_provider=factories.make_user(Role.PROVIDER, organizations=[other_org]),
        outsider=factories.make_user(Role.COUNSELOR, facility=facility, name="Other Counselor"),
        admin=factories.make_user(Role.ADMIN),
        analyst=factories.make_user(Role.ANALYST),
    )
    w.client = factories.make_client(
        counselor,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        date_of_birth=DATE_OF_BIRTH,
        inmate_number=INMATE_NUMBER,
        destination_town="Hartford",
        projected_release_date=date(2030, 1, 15),
    )
    return w
