"""Duplicates within one source: a 211 file that lists the same organization or service twice
flags those pairs too (the same rules as across sources), never pairs a record with itself,
merges nothing by itself, and the review page says the pair came from one source."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.directory.models import Organization, Service
from app.extensions import db
from app.interop.csv_import import import_path
from app.interop.models import DuplicateCandidate, DuplicateStatus
from tests.interop.sources import source_a, write_package
from tests.interop.test_duplicates import admin  # noqa: F401

ORG = [f"11111111-0000-4000-8000-00000000000{n}" for n in range(1, 6)]
SVC = [f"22222222-0000-4000-8000-00000000000{n}" for n in range(1, 6)]
LOC = [f"33333333-0000-4000-8000-00000000000{n}" for n in range(1, 6)]


def _id(prefix: str, n: int) -> str:
    return f"{prefix}-0000-4000-8000-{n:012d}"


def listed_twice() -> dict[str, list[list[str]]]:
    """One 211 file: "Harbor House" three times — copies 1 and 2 at one address, copy 3 shares
    only copy 2's phone — and a "Harbor House" elsewhere with its own phone (not a duplicate);
    each copy has a "Sober Living Beds" service at its location."""
    streets = ["12 Main Street", "12 Main St.", "40 Oak Avenue", "700 Far Road"]
    org_phones = ["(860) 555-0100", "860-555-0199", "860 555 0199", "(203) 555-0142"]
    tables: dict[str, list[list[str]]] = {
        "organizations.csv": [], "services.csv": [], "locations.csv": [], "addresses.csv": [],
        "service_at_location.csv": [], "phones.csv": [],
    }  # fmt: skip
    for n in range(4):
        name = "Harbor House, Inc." if n != 1 else "HARBOR HOUSE"
        tables["organizations.csv"].append([ORG[n], name, "Sober housing.", "", ""])
        tables["services.csv"].append([SVC[n], ORG[n], "Sober Living Beds", "Beds.", "active", ""])
        tables["locations.csv"].append([LOC[n], "physical", ORG[n], "Harbor House"])
        tables["addresses.csv"].append([_id("44444444", n), LOC[n], streets[n], "Hartford", "CT",
                                        "06103", "US", "physical"])  # fmt: skip
        tables["service_at_location.csv"].append([_id("55555555", n), SVC[n], LOC[n]])
        tables["phones.csv"].append([_id("66666666", n), ORG[n], "", org_phones[n]])
    return tables


def pairs(kind: str) -> set[tuple[str, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(DuplicateCandidate).where(DuplicateCandidate.kind == kind))
    return {(c.first_id, c.second_id, c.reason) for c in rows}


def test_one_source_listing_an_organization_twice_is_flagged(app, tmp_path: Path) -> None:  # noqa: ANN001
    report = import_path(write_package(tmp_path / "region-211.zip", listed_twice()))
    assert report.ok, [str(p) for p in report.errors]
    db.session.commit()
    assert pairs("organization") == {
        (ORG[0], ORG[1], "same name and address"),  # "12 Main Street" = "12 Main St."
        (ORG[1], ORG[2], "same name and phone"),  # the chain: 2 shares only a phone with 3
    }
    # Services: copies 1 and 2 share their location's address; 3 and 4 share nothing.
    assert pairs("service") == {(SVC[0], SVC[1], "same name and address")}
    assert report.duplicates == 3
    assert "3 probable duplicates flagged" in report.summary()
    # Nothing merged by itself, and no record paired with itself.
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 4
    assert db.session.scalar(select(func.count()).select_from(Service)) == 4
    assert all(c.first_id != c.second_id for c in db.session.scalars(select(DuplicateCandidate)))
    assert {c.status for c in db.session.scalars(select(DuplicateCandidate))} == {
        DuplicateStatus.OPEN
    }
    # Importing the same file again flags nothing new.
    again = import_path(write_package(tmp_path / "region-211.zip", listed_twice()))
    db.session.commit()
    assert again.duplicates == 0 and len(pairs("organization")) == 2


def test_within_and_across_sources_in_one_import(app, tmp_path: Path) -> None:  # noqa: ANN001
    """The county's Harbor House is already there: the 211's copies pair with it (across) and
    with each other (within), each pair once."""
    first = import_path(write_package(tmp_path / "county.zip", source_a()))
    db.session.commit()
    assert first.duplicates == 0
    second = import_path(write_package(tmp_path / "region-211.zip", listed_twice()))
    db.session.commit()
    found = {(a, b) for a, b, _ in pairs("organization")}
    county = "aaaaaaaa-0000-4000-8000-000000000001"
    assert (county, ORG[0]) in found and (county, ORG[1]) in found  # across: address
    assert (ORG[0], ORG[1]) in found and (ORG[1], ORG[2]) in found  # within
    assert (county, ORG[3]) not in found  # same name, other address and phone
    assert second.duplicates == len(pairs("organization")) + len(pairs("service"))


def test_the_review_page_says_which_source(app, tmp_path: Path, admin, login) -> None:  # noqa: ANN001,F811
    import_path(write_package(tmp_path / "county.zip", source_a()))
    db.session.commit()
    import_path(write_package(tmp_path / "region-211.zip", listed_twice()))
    db.session.commit()
    html = login(admin).get("/admin/hsds/duplicates").get_data(as_text=True)
    assert "Within one source: region-211.zip" in html
    assert "Across sources: county.zip, region-211.zip" in html
