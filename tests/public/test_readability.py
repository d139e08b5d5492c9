"""The card and the public pages read at about grade 6-7 (English) and plainly in Spanish."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.public.helpers import load_reference_data, make_card, public_service
from tests.public.readability import fernandez_huerta, flesch_kincaid_grade, visible_text

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"


def _catalog(path: Path):  # noqa: ANN202
    with path.open("rb") as f:
        return read_po(f)


def _sentences(catalog) -> list[str]:  # noqa: ANN001
    """Whole sentences of the fixed text (labels and fragments are too short to score)."""
    out = []
    for message in catalog:
        text = message.id if isinstance(message.id, str) else None
        if text and text.rstrip().endswith((".", "?", "!")):
            out.append(text.replace("%(", "").replace(")s", ""))
    return out


def test_the_formula_tells_easy_from_hard_text():
    assert flesch_kincaid_grade("Call us. We can help. Bring your ID.") < 3
    hard = (
        "Notwithstanding the aforementioned considerations, eligibility determinations "
        "necessitate comprehensive documentation of institutional supervision arrangements."
    )
    assert flesch_kincaid_grade(hard) > 14


def test_fixed_public_text_reads_at_grade_8_or_below():
    sentences = _sentences(_catalog(TRANSLATIONS / "messages.pot"))
    assert len(sentences) > 40
    grade = flesch_kincaid_grade("\n".join(sentences))
    assert grade <= 8, grade
    worst = max(sentences, key=flesch_kincaid_grade)
    assert flesch_kincaid_grade(worst) <= 12, worst


def test_spanish_fixed_text_is_plain():
    english = set(_sentences(_catalog(TRANSLATIONS / "messages.pot")))
    catalog = _catalog(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po")
    spanish = [
        m.string
        for m in catalog
        if isinstance(m.id, str) and m.id.replace("%(", "").replace(")s", "") in english
    ]
    assert fernandez_huerta(" ".join(spanish)) >= 60  # "plain" or easier


@pytest.mark.parametrize("path", ["/", "/card/{code}", "/card/{code}/print"])
def test_pages_read_at_grade_8_or_below(app, client, path):  # noqa: ANN001
    load_reference_data()
    service = public_service(
        "Town ID Office", needs=("entitlements",), bring=("Birth certificate",)
    )
    card = make_card([service])
    html = client.get(path.format(code=card.code)).get_data(as_text=True)
    text = visible_text(html)
    assert len(text.split()) > 20
    assert flesch_kincaid_grade(text) <= 8, text
