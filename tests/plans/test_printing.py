"""The printed plans: the person's copy (first name only, their language, arranged items with
where / when / phone / what to bring, what is still being worked on) and the staff copy (the
whole checklist); the care team only."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.plans.models import PlanAnswer
from app.plans.vocabulary import PersonAnswer
from app.public.cards import format_code
from tests import factories
from tests.plans.person_world import (
    SECRET_NOTE,
    SECRET_REASON,
    SECRET_TITLE,
    assert_no_personal_data,
    person_with_plan,
)
from tests.public.helpers import SECRET_FIRST, SECRET_INMATE, SECRET_LAST


@pytest.fixture
def w(app):  # noqa: ANN001,ANN201
    return person_with_plan()


def _url(w, which: str) -> str:  # noqa: ANN001
    return f"/referrals/clients/{w.client.id}/plan/print/{which}"


def test_the_plan_page_links_both_printed_copies(client, login, w) -> None:  # noqa: ANN001
    login(w.counselor)
    page = client.get(f"/referrals/clients/{w.client.id}/plan").get_data(as_text=True)
    assert f'href="{_url(w, "person")}"' in page and "Print for the person" in page
    assert f'href="{_url(w, "staff")}"' in page and "Print for staff" in page


def test_the_persons_copy_greets_them_by_first_name_and_says_nothing_else_about_them(
    client,  # noqa: ANN001
    login,  # noqa: ANN001
    w,  # noqa: ANN001
) -> None:
    login(w.counselor)
    response = client.get(_url(w, "person"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Your release plan, {SECRET_FIRST}" in html
    html_without_greeting = html.replace(SECRET_FIRST, "")
    # The free-text title is theirs to read on paper; everything else staff typed is not.
    assert SECRET_TITLE in html
    assert_no_personal_data(html_without_greeting.replace(SECRET_TITLE, ""))
    for words in ("Hope House", "State ID", "Two pay stubs", "May 6, 2031", "2:30"):
        assert words in html, words
    assert "Your counselor is still working on these" in html and "Job Center" in html
    assert "On the waiting list" in html
    assert "Could not be arranged" in html and "ID and important papers" in html
    assert format_code(w.card.code) in html  # how to see it again
    assert "print.css" in html and "<nav" not in html  # one sheet, no staff navigation


def test_the_persons_copy_is_in_their_preferred_language(client, login, w) -> None:  # noqa: ANN001
    w.client.preferred_language = "es"
    db.session.commit()
    login(w.counselor)
    html = client.get(_url(w, "person")).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert f"Su plan para la salida, {SECRET_FIRST}" in html
    assert "Un lugar donde vivir" in html and "Traiga:" in html


def test_the_staff_copy_holds_the_whole_checklist(client, login, w) -> None:  # noqa: ANN001
    db.session.add(
        PlanAnswer(
            item_id=w.housing.id,
            answer=PersonAnswer.WENT,
            answered_on=factories.local_days_ago(1).date(),
            card_id=w.card.id,
        )
    )
    db.session.commit()
    login(w.counselor)
    html = client.get(_url(w, "staff")).get_data(as_text=True)
    assert "Confidential" in html
    assert f"{SECRET_FIRST} {SECRET_LAST}" in html and SECRET_INMATE in html
    for words in (
        "DNA and sex-offender registration",
        "Could not arrange: " + SECRET_REASON,
        SECRET_NOTE,
        SECRET_TITLE,
        "Hope House (accepted)",
        "Job Center (waitlisted)",
        "The person said: “I went”",
        w.counselor.name,
        w.counselor.email,
        "primary coordinator",
    ):
        assert words in html, words


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.ANALYST, Role.COUNSELOR])
def test_only_the_care_team_prints_a_plan(client, login, w, role) -> None:  # noqa: ANN001
    login(factories.make_user(role))
    for which in ("person", "staff"):
        assert client.get(_url(w, which)).status_code == 403


def test_no_plan_no_printout(client, login, w) -> None:  # noqa: ANN001
    someone = factories.make_client(w.counselor)
    login(w.counselor)
    response = client.get(f"/referrals/clients/{someone.id}/plan/print/person")
    assert response.status_code == 404
