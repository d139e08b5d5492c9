"""Indexed documents: each service's catalog fields, named one by one, and its facts.

Never client data and never internal site-visit notes: `service_document` is the only place
a document is made, and it reads nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from app.search import docfacts

BATCH = 1000


class NeedAreaMap:
    """Need-area codes of a service: its own need-area terms, those mapped from its Open
    Eligibility terms, and every ancestor (a recovery house is also "housing")."""

    def __init__(self) -> None:
        from app.directory.models import NEED_AREA_TAXONOMY, TaxonomyTerm, need_area_mapping
        from app.extensions import db

        terms = db.session.execute(
            select(TaxonomyTerm.id, TaxonomyTerm.code, TaxonomyTerm.parent_id).where(
                TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY
            )
        ).all()
        self.code_of = {t.id: t.code for t in terms}
        self.parent_of = {t.id: t.parent_id for t in terms}
        self.mapped: dict[str, list[str]] = {}
        for need_id, term_id in db.session.execute(select(need_area_mapping)).all():
            self.mapped.setdefault(term_id, []).append(need_id)

    def codes(self, term_ids: Iterable[str]) -> list[str]:
        found: set[str] = set()
        for term_id in term_ids:
            for need_id in [term_id] if term_id in self.code_of else self.mapped.get(term_id, []):
                while need_id is not None and need_id not in found:
                    found.add(need_id)
                    need_id = self.parent_of.get(need_id)
        return sorted(self.code_of[i] for i in found if self.code_of.get(i))


SPANISH = "es"  # the translation language searched with Spanish stems


def _join(values: Iterable[str | None]) -> str:
    return " ".join(v for v in values if v)


def service_document(service: Any, needs: NeedAreaMap, extra: dict[str, Any]) -> dict[str, Any]:
    """The indexed copy of one service: catalog fields only, named one by one. `extra` holds
    its capacity, eligibility and schedule rows (loaded for a whole batch at once)."""
    org = service.organization
    locations = sorted(service.locations, key=lambda loc: loc.id)
    towns = sorted({loc.town for loc in locations if loc.town})
    languages = sorted({(lang.code or "").lower() for lang in service.languages if lang.code})
    need_codes = needs.codes(t.id for t in service.taxonomy_terms)
    term_names = _join(t.name for t in service.taxonomy_terms)
    title = _join([service.name, service.alternate_name])
    tags = _join([term_names, org.name, org.alternate_name])
    points = [
        (loc.id, loc.latitude, loc.longitude)
        for loc in locations
        if loc.latitude is not None and loc.longitude is not None
    ]
    facts = docfacts.encode(
        status=str(service.status),
        verified=service.last_verified_at,
        need_areas=need_codes,
        towns=towns,
        languages=languages,
        points=points,
        capacities=extra["capacities"].get(service.id, []),
        rules=extra["rules"].get(service.id, []),
        hours=extra["hours"].get(service.id, []),
    )
    body = [
        service.description,
        service.eligibility_description,
        *(lang.name for lang in service.languages),
        *towns,
    ]
    return {
        "id": service.id,
        "title": title,
        "tags": tags,
        "body": _join(body),
        # The provider's own Spanish wording is searched with Spanish stems beside the English.
        "es": _join([title, tags, *body, getattr(service, "spanish", None)]),
        "spell": _join([title, service.description, tags]),
        "need_areas": ",".join(need_codes),
        "languages": ",".join(languages),
        "towns": ",".join(t.lower().replace(",", " ") for t in towns),
        "status": str(service.status),
        "facts": facts,
    }


def _load_services(ids: list[str]) -> list[Any]:
    """The fields service_document reads, for these services, in five plain queries (no ORM
    objects: ~10x faster at 50,000 services, and what is committed or flushed, never a stale
    copy held by the session)."""
    from app.directory.models import (
        Address,
        Language,
        Location,
        Organization,
        Service,
        ServiceAtLocation,
        TaxonomyTerm,
        service_taxonomy_term,
    )
    from app.extensions import db
    from app.public.models import ServiceTranslation

    run = db.session.execute
    link = service_taxonomy_term.c
    terms: dict[str, list[Any]] = {}
    for service_id, term_id, name in run(
        select(link.service_id, TaxonomyTerm.id, TaxonomyTerm.name)
        .join(TaxonomyTerm, TaxonomyTerm.id == link.taxonomy_term_id)
        .where(link.service_id.in_(ids))
    ):
        terms.setdefault(service_id, []).append(SimpleNamespace(id=term_id, name=name))
    languages: dict[str, list[Any]] = {}
    for service_id, code, name in run(
        select(Language.service_id, Language.code, Language.name).where(
            Language.service_id.in_(ids)
        )
    ):
        languages.setdefault(service_id, []).append(SimpleNamespace(code=code, name=name))
    placed = run(
        select(ServiceAtLocation.service_id, Location.id, Location.latitude, Location.longitude)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(ids))
    ).all()
    town: dict[str, str] = {}  # a location's physical address, else its first (Location.town)
    physical: set[str] = set()
    location_ids = sorted({row[1] for row in placed})
    for start in range(0, len(location_ids), BATCH):
        for location_id, city, kind in run(
            select(Address.location_id, Address.city, Address.address_type).where(
                Address.location_id.in_(location_ids[start : start + BATCH])
            )
        ):
            if location_id not in town or (kind == "physical" and location_id not in physical):
                town[location_id] = city
                if kind == "physical":
                    physical.add(location_id)
    locations: dict[str, list[Any]] = {}
    for service_id, location_id, lat, lon in placed:
        locations.setdefault(service_id, []).append(
            SimpleNamespace(id=location_id, town=town.get(location_id), latitude=lat, longitude=lon)
        )
    spanish: dict[str, str] = {
        service_id: _join([name, description, eligibility])
        for service_id, name, description, eligibility in run(
            select(
                ServiceTranslation.service_id,
                ServiceTranslation.name,
                ServiceTranslation.description,
                ServiceTranslation.eligibility_description,
            ).where(ServiceTranslation.service_id.in_(ids), ServiceTranslation.language == SPANISH)
        )
    }
    found = []
    for row in run(
        select(
            Service.id,
            Service.name,
            Service.alternate_name,
            Service.description,
            Service.eligibility_description,
            Service.status,
            Service.last_verified_at,
            Organization.name.label("org_name"),
            Organization.alternate_name.label("org_alternate_name"),
        )
        .outerjoin(Organization, Organization.id == Service.organization_id)
        .where(Service.id.in_(ids))
    ):
        found.append(
            SimpleNamespace(
                id=row.id,
                name=row.name,
                alternate_name=row.alternate_name,
                description=row.description,
                eligibility_description=row.eligibility_description,
                status=row.status,
                last_verified_at=row.last_verified_at,
                organization=SimpleNamespace(
                    name=row.org_name, alternate_name=row.org_alternate_name
                ),
                taxonomy_terms=terms.get(row.id, []),
                languages=languages.get(row.id, []),
                locations=locations.get(row.id, []),
                spanish=spanish.get(row.id),
            )
        )
    return found


def documents(ids: list[str]) -> Iterator[dict[str, Any]]:
    """The documents of these services (those still in the database), a batch at a time."""
    from app.search import facts

    needs = NeedAreaMap()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        extra = {
            "capacities": facts.capacities(chunk),
            "rules": facts.eligibility_rules(chunk),
            "hours": facts.schedules(chunk),
        }
        for service in _load_services(chunk):
            yield service_document(service, needs, extra)
