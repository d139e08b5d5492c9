"""Plain database search while the index is rebuilt (see app.search.rebuild).

Why plain: it must answer in well under a second at 50,000 services on both databases, with no
index. So it applies only the words (each word in the name or description) and the need areas,
keeps active services, and lists them by name: no ranking, distance, typo tolerance or facets.
Pages say so ("Search is being rebuilt; results are in plain order").
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select

from app.extensions import db

MAX_WORDS = 8


def _need_area_services(codes: Iterable[str]):  # noqa: ANN202
    """Ids of services tagged with one of these need areas or a term mapped to one."""
    from app.directory.models import (
        NEED_AREA_TAXONOMY,
        TaxonomyTerm,
        need_area_mapping,
        service_taxonomy_term,
    )

    need_ids = select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code.in_(list(codes))
    )
    mapped = select(need_area_mapping.c.taxonomy_term_id).where(
        need_area_mapping.c.need_area_id.in_(need_ids)
    )
    link = service_taxonomy_term.c
    return select(link.service_id).where(
        or_(link.taxonomy_term_id.in_(need_ids), link.taxonomy_term_id.in_(mapped))
    )


def plain_page(
    text: str | None, need_areas: Iterable[str], page: int, per_page: int
) -> tuple[int, list[str]]:
    """(how many active services match, the ids of this page in name order)."""
    from app.directory.models import Service
    from app.directory.vocabulary import ServiceStatus

    where = [Service.status == ServiceStatus.ACTIVE]
    for word in (text or "").replace('"', " ").split()[:MAX_WORDS]:
        where.append(
            or_(
                Service.name.icontains(word, autoescape=True),
                Service.description.icontains(word, autoescape=True),
            )
        )
    needs = list(need_areas)
    if needs:
        where.append(Service.id.in_(_need_area_services(needs)))
    total = db.session.scalar(select(func.count()).select_from(Service).where(*where)) or 0
    ids = db.session.scalars(
        select(Service.id)
        .where(*where)
        .order_by(Service.name, Service.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return int(total), list(ids)
