"""The card's PDF: one letter page, fast, Spanish accents right, no personal data."""

from __future__ import annotations

import time

from app.public import cards
from app.public.card_pdf import card_pdf
from app.public.card_view import card_view
from tests.public.helpers import (
    accepted_referral,
    counselor_and_client,
    load_reference_data,
    make_card,
    public_service,
)
from tests.public.pdftext import page_count, pdf_text
from tests.public.test_cards import assert_no_client_data


def _card(language: str = "en", n: int = 2):  # noqa: ANN202
    load_reference_data()
    counselor, client = counselor_and_client()
    services = [
        public_service(f"Service Number {i}", needs=("entitlements",), bring=("Birth certificate",))
        for i in range(n)
    ]
    referral = accepted_referral(client, services[0], counselor, what_to_bring="Pay stubs")
    return make_card(
        services,
        client=client,
        actor=counselor,
        language=language,
        referrals={services[0].id: referral},
    )


def test_pdf_download_is_a_one_page_pdf_without_client_data(app, client):  # noqa: ANN001
    card = _card()
    code = cards.format_code(card.code)
    response = client.get(f"/card/{code}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f'filename="card-{code}.pdf"' in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"%PDF")
    assert page_count(body) == 1
    text = pdf_text(body)
    assert "Places that can help you" in text
    assert code in text
    assert "Service Number 0" in text and "Service Number 1" in text
    assert "Your appointment:" in text and "Pay stubs" in text and "Birth certificate" in text
    assert "Information checked on" in text
    assert_no_client_data(text)


def test_spanish_pdf_has_its_accents(app, client):  # noqa: ANN001
    card = _card(language="es")
    text = pdf_text(client.get(f"/card/{card.code}/pdf").get_data())
    assert "Lugares que le pueden ayudar" in text
    assert "Información revisada el" in text
    assert "Su cita:" in text
    assert "teléfono" in text.lower() or "Teléfono" in text


def test_english_pdf_of_a_spanish_card_on_request(app, client):  # noqa: ANN001
    card = _card(language="es")
    response = client.get(f"/card/{card.code}/pdf?lang=en")
    assert "Places that can help you" in pdf_text(response.get_data())
    assert response.headers["Content-Disposition"].endswith('-en.pdf"')


def test_pdf_fits_one_page_and_never_runs_away(app):  # noqa: ANN001
    """A guard against runaway layout (it once took 22 s), not a speed figure: ~0.45 s of CPU here
    (process time, so other work on the machine cannot fail it)."""
    card = _card(n=10)
    from flask import current_app

    with current_app.test_request_context("/"):
        view = card_view(card)
        started = time.process_time()
        body = card_pdf(view)
        elapsed = time.process_time() - started
    assert page_count(body) == 1
    assert elapsed < 5.0, elapsed
