"""Document readiness: what a person lacks for a service, who nearby helps get it, and the
plan item that tracks getting it.

The verdict itself is the eligibility matcher's ("Needs: birth certificate",
app.directory.eligibility); this module only turns it into help.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.directory.models import NEED_AREA_TAXONOMY, Service, ServiceAtLocation, TaxonomyTerm
from app.directory.vocabulary import Document, ServiceStatus
from app.domain_errors import Conflict
from app.extensions import db
from app.plans.places import need_areas_for
from app.plans.services import add_item, plan_for
from app.plans.vocabulary import ItemKind
from app.referrals.alternatives import _distance, _town_point

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.plans.models import PlanItem
    from app.referrals.models import Client

# The plan item kind that tracks getting each document (app.plans.vocabulary).
ITEM_KIND: dict[Document, ItemKind] = {
    Document.STATE_ID: ItemKind.ID_DOCUMENTS,
    Document.SOCIAL_SECURITY_CARD: ItemKind.ID_DOCUMENTS,
    Document.BIRTH_CERTIFICATE: ItemKind.ID_DOCUMENTS,
    Document.DD214: ItemKind.ID_DOCUMENTS,
    Document.RELEASE_PAPERS: ItemKind.ID_DOCUMENTS,
    Document.MEDICAID_CARD: ItemKind.BENEFITS,
    Document.PROOF_OF_INCOME: ItemKind.BENEFITS,
}

TITLES: dict[Document, str] = {
    Document.STATE_ID: "Get a state ID",
    Document.SOCIAL_SECURITY_CARD: "Get a Social Security card",
    Document.BIRTH_CERTIFICATE: "Get a birth certificate",
    Document.DD214: "Get military discharge papers (DD-214)",
    Document.RELEASE_PAPERS: "Get a copy of the release papers",
    Document.MEDICAID_CARD: "Get a Medicaid card",
    Document.PROOF_OF_INCOME: "Get proof of income",
}


class NoPlan(Conflict):
    def __init__(self) -> None:
        super().__init__("Start a release plan for this person first.")


def help_services(client: Client, needs: list[Document], limit: int = 3) -> list[Service]:
    """Active services in the need areas that help get these documents, nearest first to
    where the person is going (no location = last)."""
    codes = {code for doc in needs for code in need_areas_for(ITEM_KIND[doc])}
    if not codes:
        return []
    term_ids = select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code.in_(codes)
    )
    candidates = db.session.scalars(
        select(Service)
        .where(
            Service.status == ServiceStatus.ACTIVE,
            Service.taxonomy_terms.any(TaxonomyTerm.id.in_(term_ids)),
        )
        .options(
            selectinload(Service.organization),
            selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
        )
    ).all()
    origin = _town_point(client.destination_town)

    def order(service: Service) -> tuple:
        miles = _distance(service, origin)
        return (miles is None, miles or 0.0, service.name.lower(), service.id)

    return sorted(candidates, key=order)[:limit]


def open_item_for(client: Client, document: Document) -> PlanItem | None:
    plan = plan_for(client)
    if plan is None:
        return None
    title = TITLES[document]
    return next(
        (i for i in plan.items if i.title == title and i.status.is_open),
        None,
    )


def add_document_item(
    client: Client, document: Document, actor: User, today: date | None = None
) -> tuple[PlanItem, bool]:
    """The plan item for getting this document: an open one already there, else a new one of
    the right kind (ID and vital documents, or benefits). (item, added)."""
    plan = plan_for(client)
    if plan is None:
        raise NoPlan()
    existing = open_item_for(client, document)
    if existing is not None:
        return existing, False
    item = add_item(plan, actor, TITLES[document], kind=ITEM_KIND[document], today=today)
    return item, True


class DocumentHelp:
    """What the referral form shows under "Needs: ...": each missing document with its plan
    item (if any), and the nearby services that help get them."""

    def __init__(self, client: Client, needs: list[Document]) -> None:
        self.client = client
        self.needs = needs
        self.plan = plan_for(client)
        self.items = {doc: open_item_for(client, doc) for doc in needs} if self.plan else {}
        self.services = help_services(client, needs)

    def title(self, document: Document) -> str:
        return TITLES[document]


def document_help(client: Client, verdict: object) -> DocumentHelp | None:
    needs = list(getattr(verdict, "needs", None) or [])
    return DocumentHelp(client, needs) if needs else None
