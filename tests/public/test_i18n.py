"""Translations: catalogs complete and current, Spanish on every public surface."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"


def _read(path: Path, reader):  # noqa: ANN001,ANN202
    with path.open("rb") as f:
        return reader(f)


def _ids(catalog) -> set:  # noqa: ANN001
    return {m.id for m in catalog if m.id}


def test_template_is_current_with_the_code():
    """Every marked string in the public code and templates is in messages.pot (run the
    extract/update/compile steps in the README after changing public text)."""
    method_map = []
    with (ROOT / "babel.cfg").open() as f:
        for line in f:
            line = line.strip()
            if line.startswith("[") and ":" in line:
                method, pattern = line.strip("[]").split(":", 1)
                method_map.append((pattern.strip(), method.strip()))
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        method_map,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None},
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    pot = _ids(_read(TRANSLATIONS / "messages.pot", read_po))
    assert found - pot == set(), "run pybabel extract + update (see README)"


def test_spanish_catalog_is_complete_and_compiled():
    po = _read(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po", read_po)
    pot = _ids(_read(TRANSLATIONS / "messages.pot", read_po))
    assert _ids(po) >= pot
    untranslated = [
        m.id
        for m in po
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []
    assert [m.id for m in po if m.id and "fuzzy" in m.flags] == []
    mo = _read(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.mo", read_mo)
    assert _pairs(mo) == _pairs(po), "run pybabel compile (see README)"


def _pairs(catalog) -> dict:  # noqa: ANN001
    def norm(value):  # noqa: ANN001,ANN202
        return tuple(value) if isinstance(value, list | tuple) else value

    return {norm(m.id): norm(m.string) for m in catalog if m.id}
