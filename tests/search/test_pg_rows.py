"""The PostgreSQL search rows are built by SQL (app.search.pg_build); the Whoosh documents by
Python (app.search.documents). Both must say the same about every service, and a rebuild must
write exactly the rows the commits wrote."""

from __future__ import annotations

import json
import threading
from datetime import time

import pytest
from sqlalchemy import text

from app.directory.models import (
    WEEKDAYS,
    Address,
    Language,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from app.directory.vocabulary import Answer, CapacityStatus, Criterion
from app.extensions import db
from app.search import SearchRequest, search
from app.search.documents import documents
from app.search.pg_backend import PostgresBackend
from tests import factories
from tests.search.conftest import names, service

pytestmark = pytest.mark.postgres  # runs on the postgres backend only (see conftest)

ROWS = (
    "SELECT service_id, status, need_areas, languages, towns, town_names, verified, cap_count, "
    "cap_room, cap_waitlist, cap_assessment, cap_any, rule_keys, lat, lon, location_id, "
    "ARRAY(SELECT p.location_id || ':' || p.multi FROM search_point p WHERE p.doc = d.doc "
    "ORDER BY 1) AS points, "
    "ARRAY(SELECT lexeme || ':' || array_to_string(weights, '') FROM unnest(tsv) "
    "ORDER BY lexeme) AS en, "
    "ARRAY(SELECT lexeme FROM unnest(tsv_es) ORDER BY lexeme) AS es, "
    "ARRAY(SELECT lexeme FROM unnest(spell) ORDER BY lexeme) AS spell FROM search_document d"
)


def _rows() -> dict[str, dict]:
    found = db.session.execute(text(ROWS)).mappings()
    return {row["service_id"]: dict(row) for row in found}


def _catalog() -> list[str]:
    """Services that exercise every part of a row."""
    recovery = service(
        "Oak Street Recovery House",
        description="Sober living with peer support.",
        needs=("housing.recovery",),
        languages=("en", "es"),
        town="New Britain",
    )
    # a need area mapped from an Open Eligibility term, and a term without a code
    mapped = db.session.execute(
        text("SELECT taxonomy_term_id FROM need_area_mapping LIMIT 1")
    ).scalar_one()
    recovery.taxonomy_terms.append(db.session.get(TaxonomyTerm, mapped))
    recovery.languages.append(Language(name="Sign language", code=None))
    recovery.alternate_name = "Oak House"
    recovery.eligibility_description = "Adults in recovery."
    # a second location whose mailing address comes first, its physical one second
    org = recovery.organization
    org.alternate_name = "OSR"
    second = factories.make_location(org, town="Mailing Town", latitude=41.7, longitude=-72.7)
    second.addresses.append(
        Address(
            address_1="1 Side Street",
            city="Berlin, CT",
            state_province="CT",
            postal_code="06037",
            address_type="physical",
        )
    )
    second.addresses[0].address_type = "mailing"
    recovery.service_at_locations.append(ServiceAtLocation(location=second))
    factories.make_capacity(recovery, available=2, age_days=1)
    factories.make_capacity(recovery, status=CapacityStatus.WAITLIST, available=0, age_days=3)
    factories.make_capacity(
        recovery, status=CapacityStatus.ASSESSMENT_REQUIRED, available=None, age_days=40
    )
    factories.make_rule(recovery, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    factories.make_rule(recovery, Criterion.GENDER, Answer.YES, values=["female"])
    factories.make_rule(recovery, Criterion.AGE, Answer.YES, min_age=18, max_age=64)
    db.session.add(Schedule(service=recovery, freq="WEEKLY", byday="MO,TU", opens_at=time(9),
                            closes_at=time(17)))  # fmt: skip
    db.session.add(Schedule(service=recovery, freq="DAILY", byday="", opens_at=time(22),
                            closes_at=time(6)))  # fmt: skip
    # hours from the location when the service has none of its own
    pantry = service("Food Pantry", description="Groceries every week.", needs=("food",))
    place = pantry.service_at_locations[0].location
    db.session.add(Schedule(location_id=place.id, freq="WEEKLY", byday="SA", opens_at=time(10),
                            closes_at=time(12)))  # fmt: skip
    factories.make_capacity(pantry, status=CapacityStatus.NO_CAPACITY, available=0, age_days=2)
    bare = service("Bare Listing", description="")
    db.session.commit()
    return [recovery.id, pantry.id, bare.id]


def test_rows_say_what_the_whoosh_documents_say(taxonomy) -> None:  # noqa: ANN001
    ids = _catalog()
    rows = _rows()
    for doc in documents(ids):
        row = rows[doc["id"]]
        facts = json.loads(doc["facts"])
        assert row["status"] == doc["status"]
        assert sorted(row["need_areas"]) == sorted(facts["n"])
        assert row["town_names"] == facts["t"]
        assert row["towns"] == [t for t in doc["towns"].split(",") if t]
        assert row["languages"] == facts["l"]
        assert row["verified"] == facts["v"]
        capacities = facts["c"]
        assert row["cap_count"] == len(capacities)
        room = [c[3] for c in capacities if c[0] == "has-capacity" and (c[1] is None or c[1] > 0)]
        assert row["cap_room"] == max(room, default=None)
        assert row["cap_waitlist"] == max(
            (c[3] for c in capacities if c[0] == "waitlist"), default=None
        )
        assert row["cap_any"] == max((c[3] for c in capacities), default=None)
        assert len(row["rule_keys"]) == len(facts["r"])
        # the same words with the same weights as the Whoosh fields would give
        expected = db.session.execute(
            text(
                "SELECT ARRAY(SELECT lexeme || ':' || array_to_string(weights, '') FROM unnest("
                "setweight(to_tsvector('partners_en', :title), 'A') || "
                "setweight(to_tsvector('partners_en', :tags), 'B') || "
                "setweight(to_tsvector('partners_en', :body), 'C')) ORDER BY lexeme), "
                "ARRAY(SELECT lexeme FROM unnest(to_tsvector('partners_words', :spell)) "
                "ORDER BY lexeme)"
            ),
            doc,
        ).one()
        assert row["en"] == expected[0], doc["id"]
        assert row["spell"] == expected[1]
    hours = dict(
        db.session.execute(
            text(
                "SELECT d.service_id, array_agg(h.day || h.opens::text ORDER BY h.day, h.opens) "
                "FROM search_hours h JOIN search_document d USING (doc) GROUP BY 1"
            )
        ).all()
    )
    assert sorted(hours[ids[0]]) == sorted(
        ["MO09:00:00", "TU09:00:00"] + [f"{day}22:00:00" for day in WEEKDAYS]
    )
    assert hours[ids[1]] == ["SA10:00:00"]
    assert ids[2] not in hours
    # a service at one place carries it on its row; one at several places finds its points
    recovery, pantry = rows[ids[0]], rows[ids[1]]
    assert (recovery["lat"], recovery["location_id"]) == (None, None)
    assert len(recovery["points"]) == 2 and all(p.endswith(":true") for p in recovery["points"])
    place = db.session.get(Service, ids[1]).service_at_locations[0].location
    assert (pantry["lat"], pantry["lon"]) == (place.latitude, place.longitude)
    assert pantry["location_id"] == place.id and pantry["points"] == [f"{place.id}:false"]


def test_a_rebuild_writes_the_rows_the_commits_wrote(app, taxonomy) -> None:  # noqa: ANN001
    _catalog()
    before = _rows()
    points = db.session.execute(text("SELECT count(*) FROM search_point")).scalar_one()
    db.session.commit()
    assert PostgresBackend().rebuild() == 3
    assert _rows() == before
    assert db.session.execute(text("SELECT count(*) FROM search_point")).scalar_one() == points
    assert sorted(names(search(SearchRequest(text="groceries")))) == ["Food Pantry"]
    # a change after the rebuild writes into the swapped-in tables
    pantry = db.session.execute(
        text("SELECT id FROM service WHERE name = 'Food Pantry'")
    ).scalar_one()
    db.session.execute(
        text("UPDATE service SET description = 'Fresh vegetables.' WHERE id = :id"), {"id": pantry}
    )
    PostgresBackend().update([pantry])
    assert names(search(SearchRequest(text="vegetables"))) == ["Food Pantry"]


def test_searches_answer_while_a_rebuild_runs(app, taxonomy) -> None:  # noqa: ANN001
    for n in range(30):
        service(f"Pantry {n}", description="Groceries.")
    db.session.commit()
    done = threading.Event()
    failures: list[BaseException] = []

    def rebuild() -> None:
        try:
            with app.app_context():
                PostgresBackend().rebuild()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=rebuild)
    worker.start()
    answered = 0
    while not done.is_set() or answered == 0:
        assert search(SearchRequest(text="groceries", per_page=50)).total == 30
        db.session.rollback()
        answered += 1
    worker.join()
    assert not failures
    assert search(SearchRequest(text="groceries")).total == 30
