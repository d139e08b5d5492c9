"""Content-version tokens change in the transaction that changes what they cover, whatever the
path (ORM flush, ORM bulk statement, plain Core on the session's connection), and only then: a
rolled-back change leaves them as they were, and a write to something no scope covers
(capacity) leaves them alone."""

from __future__ import annotations

from sqlalchemy import insert

from app import content_version
from app.accounts.models import Role
from app.common import new_id
from app.directory.capacity import update_capacity
from app.directory.models import Phone, Service
from app.directory.services import verify_service
from app.extensions import db
from app.public.card_cache import CATALOG, card_scope, client_scope
from tests import factories
from tests.plans.person_world import person_with_plan


def _tokens(*scopes: str) -> tuple[str, ...]:
    db.session.rollback()  # a fresh read, not this session's transaction
    return content_version.read(list(scopes))


def test_a_scope_never_changed_has_the_missing_token(app) -> None:  # noqa: ANN001
    assert _tokens("card:nobody") == (content_version.MISSING,)


def test_an_orm_change_bumps_only_its_scope_and_a_rollback_nothing(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    scopes = (CATALOG, card_scope(w.card.id), client_scope(w.client.id))
    before = _tokens(*scopes)
    db.session.add(Phone(service_id=w.house.id, number="860-555-0101"))
    db.session.flush()
    db.session.rollback()
    assert _tokens(*scopes) == before
    db.session.add(Phone(service_id=w.house.id, number="860-555-0101"))
    db.session.commit()
    after = _tokens(*scopes)
    assert after[0] != before[0] and after[1:] == before[1:]


def test_a_plan_item_bumps_its_persons_scope_only(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    scopes = (CATALOG, card_scope(w.card.id), client_scope(w.client.id))
    before = _tokens(*scopes)
    w.funds.notes = "changed"
    db.session.commit()
    after = _tokens(*scopes)
    assert after[:2] == before[:2] and after[2] != before[2]


def test_a_core_insert_on_the_sessions_connection_bumps_the_catalog(app) -> None:  # noqa: ANN001
    """The HSDS import and the synthetic generator write with Core, not the ORM."""
    service = factories.make_service()
    before = _tokens(CATALOG)
    db.session.connection().execute(
        insert(Phone.__table__).values(id=new_id(), service_id=service.id, number="860-555-0102")
    )
    db.session.commit()
    assert _tokens(CATALOG) != before


def test_a_bulk_update_bumps_the_catalog(app) -> None:  # noqa: ANN001
    """ "Mark verified" is one UPDATE statement without loading the row's changes."""
    admin = factories.make_user(Role.ADMIN)
    service = factories.make_service()
    before = _tokens(CATALOG)
    verify_service(db.session.get(Service, service.id), admin)
    db.session.commit()
    assert _tokens(CATALOG) != before


def test_a_capacity_update_leaves_the_catalog_token_alone(app) -> None:  # noqa: ANN001
    service = factories.make_service()
    capacity = factories.make_capacity(service)
    before = _tokens(CATALOG)
    update_capacity(capacity, actor=None, expected_version=capacity.version, available=0,
                    maximum=10)  # fmt: skip
    db.session.commit()
    assert _tokens(CATALOG) == before


def test_an_hsds_import_bumps_the_catalog(app) -> None:  # noqa: ANN001
    """On PostgreSQL the import writes with COPY, which no SQLAlchemy event sees."""
    from app.interop.csv_import import import_path
    from tests.interop.hsds_helpers import EXAMPLE

    before = content_version.read([CATALOG])
    assert import_path(EXAMPLE).ok
    db.session.commit()
    assert content_version.read([CATALOG]) != before
