"""The HSDS import applies the capacity page's and the API's own rules (validate_figures):
a negative count, one past PostgreSQL's integer range, or an expected wait longer than its column
is an error at its file, row and column, and nothing is written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.directory.models import ServiceCapacity
from app.extensions import db
from app.interop.csv_export import export_to_dir
from app.interop.csv_import import import_path
from tests.interop.hsds_helpers import catalog, empty_database, index_dir, taxonomy  # noqa: F401


def set_cell(path: Path, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture
def exported(app, catalog, tmp_path) -> Path:  # noqa: ANN001,F811
    export_to_dir(tmp_path / "pkg")
    empty_database()
    return tmp_path / "pkg" / "service_capacity.csv"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("available", "-1", "Available cannot be a negative number"),
        ("maximum", "-8", "Maximum cannot be a negative number"),
        ("x_partners_waitlist_length", "-2", "People waiting cannot be a negative number"),
        ("maximum", "2147483648", "too large"),
        ("available", "1e20", "too large"),
        ("x_partners_expected_wait", "w" * 101, "Expected wait is longer than 100 characters"),
    ],
)
def test_a_figure_the_page_refuses_is_refused_with_its_cell(exported, column, value, message):  # noqa: ANN001,ANN201
    set_cell(exported, column, value)
    report = import_path(exported.parent)
    assert not report.written
    problems = [(p.file, p.row, p.column) for p in report.errors if message in p.message]
    assert problems == [("service_capacity.csv", 2, column)], [str(p) for p in report.errors]
    assert db.session.query(ServiceCapacity).count() == 0


def test_available_over_maximum_stays_a_warning(exported) -> None:  # noqa: ANN001
    set_cell(exported, "available", "9")
    set_cell(exported, "maximum", "8")
    report = import_path(exported.parent)
    assert report.ok
    assert ("service_capacity.csv", 2, "available") in {
        (p.file, p.row, p.column) for p in report.warnings
    }
