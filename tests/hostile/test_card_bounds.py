"""A discharge card stays one page, and renders fast, whatever its services and referrals hold.

The speed bounds guard against runaway work (a layout loop over 20,000 items), so they count
this process's CPU time, not the wall clock, which grows with whatever else the machine runs."""

from __future__ import annotations

import re
import time

from app.extensions import db
from app.public import cards
from app.public.card_pdf import card_pdf
from app.public.card_view import CardView, EntryView
from app.public.listing import PhoneView, PlaceView
from tests.public.helpers import (
    accepted_referral,
    counselor_and_client,
    load_reference_data,
    make_card,
    public_service,
)
from tests.public.pdftext import page_count, pdf_text

MORE = "more — see the card online"


def test_card_with_huge_data_is_one_fast_page(app, client):  # noqa: ANN001
    load_reference_data()
    counselor, person = counselor_and_client()
    services = [
        public_service(
            f"Service {i} " + "with a very long name " * 10,
            needs=("entitlements",),
            bring=tuple(f"Document number {n} of many" for n in range(300)),
        )
        for i in range(cards.MAX_ENTRIES)
    ]
    referral = accepted_referral(
        person, services[0], counselor, what_to_bring="\n".join(f"item {n}" for n in range(20_000))
    )
    card = make_card(services, client=person, actor=counselor, referrals={services[0].id: referral})
    db.session.commit()
    started = time.process_time()
    response = client.get(f"/card/{cards.format_code(card.code)}/pdf")
    elapsed = time.process_time() - started
    assert response.status_code == 200
    assert page_count(response.get_data()) == 1
    text = pdf_text(response.get_data())
    assert MORE in text
    assert "Information checked on" in text  # the footer made it onto the page
    assert elapsed < 8, f"card PDF took {elapsed:.1f}s of CPU"


def _entry(i: int) -> EntryView:
    return EntryView(
        service_id=str(i),
        name=f"Entry {i} " + "x" * 5000,
        organization="Org " + "y" * 5000,
        place=PlaceView(name="Place", address="1 Main St " * 500, directions_url=None),
        phones=[PhoneView(display="860-555-0100" * 50, href=None)] * 20,
        hours=None,
        bring=["z" * 3000] * 20_000,
        intake="Monday " * 400,
        closed=None,
        alternative=None,
        last_checked=None,
    )


def test_card_pdf_counts_entries_that_cannot_fit(app):  # noqa: ANN001
    view = CardView(
        code="12345-67890",
        url="https://example.org/card/12345-67890",
        entries=[_entry(i) for i in range(30)],
        checked_on="May 1, 2030",
        expires_on="June 1, 2030",
    )
    with app.test_request_context("/"):
        started = time.process_time()
        body = card_pdf(view)
        elapsed = time.process_time() - started
    assert page_count(body) == 1
    text = pdf_text(body)
    assert re.search(r"…and \d+ more", text) and MORE in text and "This card works until" in text
    assert elapsed < 15, f"card PDF took {elapsed:.1f}s of CPU"
