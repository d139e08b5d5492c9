"""Every CSV the app writes goes through app.safe_csv, which keeps spreadsheets from running
cells as formulas; our own HSDS import reads the defused text back unchanged."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app import safe_csv

APP = Path(__file__).resolve().parent.parent / "app"
RAW_WRITERS = {"writer", "DictWriter"}


def _raw_csv_writers(tree: ast.AST) -> list[int]:
    """Lines that reach csv.writer / csv.DictWriter directly (or import them from csv)."""
    lines = []
    for node in ast.walk(tree):
        attribute = isinstance(node, ast.Attribute) and node.attr in RAW_WRITERS
        if attribute and isinstance(node.value, ast.Name) and node.value.id == "csv":
            lines.append(node.lineno)
        imported = isinstance(node, ast.ImportFrom) and node.module == "csv"
        if imported and any(alias.name in RAW_WRITERS for alias in node.names):
            lines.append(node.lineno)
    return lines


def test_no_module_writes_csv_without_the_safe_writer() -> None:
    offenders = [
        f"{path.relative_to(APP.parent)}:{line}"
        for path in sorted(APP.rglob("*.py"))
        if path.name != "safe_csv.py"
        for line in _raw_csv_writers(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == [], "use app.safe_csv.writer instead of csv.writer"


def test_formula_cells_are_written_as_text() -> None:
    out = io.StringIO()
    safe_csv.writer(out).writerow(
        ['=HYPERLINK("http://x.example","click")', "+1 860 555 0100", "-2+3", "@SUM(A1)",
         "\tcmd", "\rcmd", "Norwich", 12, -3, "-3", "1e5", ""]
    )  # fmt: skip
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells == [
        "'=HYPERLINK(\"http://x.example\",\"click\")", "'+1 860 555 0100", "'-2+3", "'@SUM(A1)",
        "'\tcmd", "'\rcmd", "Norwich", "12", "-3", "-3", "1e5", "",
    ]  # fmt: skip


def test_an_apostrophe_already_in_front_is_kept_apart() -> None:
    assert safe_csv.defuse("'=1+1") == "''=1+1"
    assert safe_csv.restore("''=1+1") == "'=1+1"
    assert safe_csv.restore("'tis") == "'tis"


@given(st.text())
def test_restore_undoes_defuse(text: str) -> None:
    defused = safe_csv.defuse(text)
    assert safe_csv.restore(defused) == text
    assert not defused.startswith(safe_csv.TRIGGERS) or safe_csv.NUMBER.match(defused)
