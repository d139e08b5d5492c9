"""The provider's Spanish text on Spanish pages, the card and its PDF; the English, marked
lang="en", where they gave none."""

from __future__ import annotations

import re

import pytest

from app.directory.models import Service
from app.extensions import db
from app.public import cards
from app.public.models import ServiceTranslation
from tests.public.helpers import (
    accepted_referral,
    counselor_and_client,
    load_reference_data,
    make_card,
    public_service,
)
from tests.public.pdftext import justified_lines, page_count, pdf_text

ENGLISH_BRING = ("Your release papers from the facility", "A list of your medicines")
SPANISH_BRING = "Sus papeles de salida del centro\nUna lista de sus medicinas"


def _translated(**kw) -> ServiceTranslation:  # noqa: ANN003
    load_reference_data()
    service = public_service(
        "Harbor Recovery House",
        needs=("housing",),
        description="Sober beds for men.",
        fees_description="Free",
        application_process="Call to book an interview.",
        eligibility_description="Men 18 and over.",
        bring=ENGLISH_BRING,
    )
    row = ServiceTranslation(service_id=service.id, language="es", **kw)
    db.session.add(row)
    db.session.commit()
    return row


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_service_page_in_spanish_shows_spanish_and_marks_the_english(app, client):  # noqa: ANN001
    row = _translated(
        name="Casa de recuperación Harbor",
        description="Camas sobrias para hombres.",
        documents=SPANISH_BRING,
        fees_description="Gratis",
    )
    html = client.get(f"/services/{row.service_id}?lang=es").get_data(as_text=True)
    assert "<title>Casa de recuperación Harbor" in html
    assert "<h1>Casa de recuperación Harbor</h1>" in html
    assert "<p>Camas sobrias para hombres.</p>" in html
    assert "<li>Sus papeles de salida del centro</li>" in html
    assert "<li>Una lista de sus medicinas</li>" in html
    assert "Gratis" in html
    for english in ENGLISH_BRING + ("Sober beds for men.", "Free<"):
        assert english not in html, english
    # Not translated: shown in English, marked so a screen reader switches voice.
    assert '<span lang="en">Call to book an interview.</span>' in html
    assert '<span lang="en">Men 18 and over.</span>' in html

    english = client.get(f"/services/{row.service_id}?lang=en").get_data(as_text=True)
    assert "<h1>Harbor Recovery House</h1>" in english and '<span lang="en">' not in english
    assert "<li>Your release papers from the facility</li>" in english
    assert "Casa de recuperación" not in english


def test_untranslated_service_in_spanish_is_english_marked_as_such(app, client):  # noqa: ANN001
    service = public_service("Job Start", description="Help finding work.", bring=("A résumé",))
    html = client.get(f"/services/{service.id}?lang=es").get_data(as_text=True)
    assert "<title>Job Start" in html  # the title holds no markup
    assert '<h1><span lang="en">Job Start</span></h1>' in html
    assert '<li><span lang="en">A résumé</span></li>' in html
    report = client.get(f"/services/{service.id}/report?lang=es").get_data(as_text=True)
    assert '<span lang="en">Job Start</span>' in report


@pytest.fixture
def index_dir(app, tmp_path):  # noqa: ANN001,ANN201
    from app.search.index import forget

    old = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    yield tmp_path / "index"
    forget(tmp_path / "index")
    app.config["SEARCH_INDEX_DIR"] = old


def test_results_in_spanish_use_spanish_names(app, client, index_dir):  # noqa: ANN001
    row = _translated(name="Casa de recuperación Harbor")
    public_service("Night Shelter", needs=("housing",))
    html = client.get("/search?need=housing&lang=es").get_data(as_text=True)
    assert f'href="/services/{row.service_id}">Casa de recuperación Harbor</a>' in html
    assert '<span lang="en">Night Shelter</span>' in html


def _card(language: str = "es"):  # noqa: ANN202
    counselor, person = counselor_and_client()
    row = _translated(name="Casa de recuperación Harbor", documents=SPANISH_BRING)
    service = db.session.get(Service, row.service_id)
    other = public_service("Paper Trail ID Clinic", bring=("Birth certificate",))
    db.session.add(
        ServiceTranslation(service_id=other.id, language="es", documents="Acta de nacimiento")
    )
    db.session.commit()
    referral = accepted_referral(person, service, counselor)
    return make_card(
        [service, other],
        client=person,
        actor=counselor,
        language=language,
        referrals={service.id: referral},
    )


def test_spanish_card_page_and_print_view_show_spanish_bring_items(app, client):  # noqa: ANN001
    card = _card()
    code = cards.format_code(card.code)
    for url in (f"/card/{code}", f"/card/{code}/print"):
        html = client.get(url).get_data(as_text=True)
        assert "Casa de recuperación Harbor" in html, url
        assert "Sus papeles de salida del centro, Una lista de sus medicinas" in html, url
        assert "Acta de nacimiento" in html, url
        assert '<span lang="en">Paper Trail ID Clinic</span>' in html, url
        for english in (*ENGLISH_BRING, "Birth certificate"):
            assert english not in html, (url, english)


def test_spanish_pdf_has_spanish_bring_items_and_no_justified_lines(app, client):  # noqa: ANN001
    card = _card()
    body = client.get(f"/card/{card.code}/pdf").get_data()
    assert page_count(body) == 1
    text = pdf_text(body)
    assert "Casa de recuperación Harbor" in text
    assert "Traiga: Sus papeles de salida del centro, Una lista de sus medicinas" in text
    assert "Traiga: Acta de nacimiento" in text
    for english in (*ENGLISH_BRING, "Birth certificate", "Bring:"):
        assert english not in text, english
    assert justified_lines(body) == 0


def test_english_pdf_keeps_the_english_bring_items(app, client):  # noqa: ANN001
    card = _card(language="en")
    text = pdf_text(client.get(f"/card/{card.code}/pdf").get_data())
    assert "Bring: Your release papers from the facility, A list of your medicines" in text
    assert "Sus papeles" not in text
