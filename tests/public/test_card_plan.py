"""The plan on the person's card page and their answers: shown in plain words without personal
data, in English and Spanish; answers need CSRF, come once per item per local day (also when two
arrive at once), only for items on this card's plan and only while the card works; they are
rate-limited, kept in the plan's history and told to the coordinator without a name."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.audit.models import AuditEntry
from app.clock import local_today, network_zone
from app.extensions import db
from app.notify.models import Notification, OutboxMessage
from app.notify.services import send_pending
from app.plans.answers import AlreadyAnswered, record_answer
from app.plans.models import PlanAnswer, PlanItem
from app.plans.services import start_plan
from app.plans.vocabulary import PersonAnswer
from app.public.cards import format_code
from app.public.listing import long_day
from app.public.models import DischargeCard
from app.referrals.services import add_team_member, set_coordinator
from app.templating import format_date
from tests import factories
from tests.plans.person_world import assert_no_personal_data, person_with_plan
from tests.public.helpers import expire


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """`hour`:`minute` on a local calendar day, as UTC (23:30 in Hartford is the next UTC day)."""
    return datetime.combine(day, time(hour, minute), tzinfo=network_zone()).astimezone(UTC)


def _tomorrow() -> date:
    """A day while the card still works, whatever day the run's clock started on."""
    return local_today() + timedelta(days=1)


@pytest.fixture
def w(app):  # noqa: ANN001,ANN201
    return person_with_plan()


def _card_url(w) -> str:  # noqa: ANN001
    return f"/card/{format_code(w.card.code)}"


def _answer_url(w, item) -> str:  # noqa: ANN001
    return f"{_card_url(w)}/items/{item.id}/answer"


def _answers(item=None) -> list[PlanAnswer]:  # noqa: ANN001
    query = select(PlanAnswer).order_by(PlanAnswer.answered_at)
    if item is not None:
        query = query.where(PlanAnswer.item_id == item.id)
    return list(db.session.scalars(query))


# --- the page -----------------------------------------------------------------------------------


def test_the_card_page_shows_the_plan_in_plain_words(client, w) -> None:  # noqa: ANN001
    html = client.get(_card_url(w)).get_data(as_text=True)
    start = html.index('id="plan-heading"')
    plan = html[start : html.index("</section>", start)]
    assert "A place to live" in plan and "Hope House" in plan
    assert "They said yes" in plan
    assert "2:30" in plan and "May 6, 2031" in plan
    assert "Two pay stubs" in plan and "State ID" in plan
    assert "Your counselor is working on this." in plan
    assert "On the waiting list" in plan  # the job center, still being arranged
    assert "could not arrange this yet" in plan and 'href="tel:211"' in plan
    assert "Clothes for your release" not in plan  # not needed: hidden
    assert plan.count('value="need_help"') == plan.count("Tell your counselor")
    assert f'action="{_answer_url(w, w.housing)}"' in plan
    assert f'action="{_answer_url(w, w.documents)}"' not in plan  # could not arrange: no buttons


def test_the_card_page_holds_no_personal_data_and_nothing_staff_typed(client, w) -> None:  # noqa: ANN001
    for path in (_card_url(w), _card_url(w) + "?lang=es"):
        html = client.get(path).get_data(as_text=True)
        assert "Hope House" in html
        assert_no_personal_data(html)


def test_the_plan_is_shown_in_spanish(client, w) -> None:  # noqa: ANN001
    html = client.get(_card_url(w) + "?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in html
    for words in (
        "Su plan",
        "Un lugar donde vivir",
        "Le dijeron que sí",
        "Su consejero está trabajando en esto.",
        "Necesito ayuda con esto",
        "Llame al 211",
    ):
        assert words in html, words


def test_a_card_without_a_plan_shows_only_its_places(client, w) -> None:  # noqa: ANN001
    w.card.client_id = None
    db.session.commit()
    html = client.get(_card_url(w)).get_data(as_text=True)
    assert "Hope House" in html and "Your plan" not in html


# --- answers ------------------------------------------------------------------------------------


def test_an_answer_is_kept_told_to_the_coordinator_and_thanked(client, w, time_machine) -> None:  # noqa: ANN001
    day = _tomorrow()
    time_machine.move_to(_local(day, 11), tick=False)
    response = client.post(_answer_url(w, w.housing), data={"answer": "need_help"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Thank you" in html and "I need help with this" in html
    assert response.headers["Cache-Control"] == "private, no-store"
    [answer] = _answers(w.housing)
    assert (answer.answer, answer.card_id) == (PersonAnswer.NEED_HELP, w.card.id)
    assert answer.answered_on == day
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "plan.answer"))
    assert entry.details == {"answer": "need_help", "kind": "housing", "item_id": w.housing.id}
    assert entry.client_id == w.client.id and entry.actor_id is None
    [note] = db.session.scalars(select(Notification).where(Notification.kind == "plan.answer"))
    assert note.user_id == w.counselor.id
    assert note.text == "The person you coordinate answered on their card: needs help with Housing"
    assert note.link == f"/referrals/clients/{w.client.id}/plan#item-{w.housing.id}"


def test_the_coordinator_gets_an_email_without_personal_data(client, w, smtp) -> None:  # noqa: ANN001
    parole = factories.make_user(Role.COUNSELOR, name="Pat Parole", email="parole@example.org")
    add_team_member(w.client, parole, "Parole officer", w.counselor)
    set_coordinator(w.client, parole, w.counselor)
    w.plan.coordinator_id = None  # nobody named on the plan: the team's primary coordinator
    db.session.commit()
    client.post(_answer_url(w, w.employment), data={"answer": "could_not_go"})
    assert send_pending() == (1, 0)
    [message] = smtp.to("parole@example.org")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert " ".join(message["Subject"].split()) == (
        "The person you coordinate answered on their card: could not go (Employment)"
    )
    assert f"http://localhost/referrals/clients/{w.client.id}/plan" in body
    assert_no_personal_data(message["Subject"] + body)
    assert smtp.to(w.counselor.email) == []


def test_one_answer_per_item_per_local_day(app, client, w, time_machine) -> None:  # noqa: ANN001
    day = _tomorrow()
    time_machine.move_to(_local(day, 11), tick=False)
    assert client.post(_answer_url(w, w.housing), data={"answer": "went"}).status_code == 200
    time_machine.move_to(_local(day, 23, 30), tick=False)  # still that day in Hartford
    again = client.post(_answer_url(w, w.housing), data={"answer": "need_help"})
    assert again.status_code == 409
    assert "You already told us today" in again.get_data(as_text=True)
    assert [a.answer for a in _answers(w.housing)] == [PersonAnswer.WENT]
    page = client.get(_card_url(w)).get_data(as_text=True)
    assert "You already told us today. Thank you." in page
    with app.test_request_context():
        told = f"You told us on {long_day(day)}: I went"
    assert told in page
    other_item = client.post(_answer_url(w, w.funds), data={"answer": "need_help"})
    assert other_item.status_code == 200  # another item the same day is fine
    time_machine.move_to(_local(day + timedelta(days=1), 0, 5), tick=False)
    assert client.post(_answer_url(w, w.housing), data={"answer": "went"}).status_code == 200
    assert [a.answered_on for a in _answers(w.housing)] == [day, day + timedelta(days=1)]


def _race(app, w, racers: int = 4) -> list[object]:  # noqa: ANN001
    ready = threading.Barrier(racers, timeout=20)
    outcomes: list[object] = []

    def answer() -> None:
        try:
            with app.app_context():
                card = db.session.get(DischargeCard, w.card.id)
                item = db.session.get(PlanItem, w.housing.id)
                _ = item.plan.client.team, item.plan.coordinator
                ready.wait()
                try:
                    record_answer(card, item, "went")
                    db.session.commit()
                    outcomes.append("stored")
                except AlreadyAnswered as refused:
                    db.session.rollback()
                    outcomes.append(refused)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            outcomes.append(exc)

    threads = [threading.Thread(target=answer) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_answers_arriving_at_once_store_one_and_refuse_the_others(app, w) -> None:  # noqa: ANN001
    outcomes = _race(app, w)
    assert outcomes.count("stored") == 1, outcomes
    assert all(isinstance(o, AlreadyAnswered) for o in outcomes if o != "stored"), outcomes
    db.session.expire_all()
    assert len(_answers(w.housing)) == 1


@pytest.mark.postgres
def test_answers_arriving_at_once_on_postgres(app, w) -> None:  # noqa: ANN001
    test_answers_arriving_at_once_store_one_and_refuse_the_others(app, w)


def test_an_item_of_another_persons_plan_is_not_found(client, w) -> None:  # noqa: ANN001
    someone_else = factories.make_client(w.counselor)
    theirs = start_plan(someone_else, w.counselor).items[0]
    db.session.commit()
    response = client.post(_answer_url(w, theirs), data={"answer": "went"})
    assert response.status_code == 404
    missing = client.post(f"{_card_url(w)}/items/not-an-item/answer", data={"answer": "went"})
    assert missing.status_code == 404
    assert _answers() == []


def test_an_expired_or_revoked_card_takes_no_answer(client, w) -> None:  # noqa: ANN001
    expire(w.card)
    response = client.post(_answer_url(w, w.housing), data={"answer": "went"})
    assert response.status_code == 404
    assert "We could not open this card" in response.get_data(as_text=True)
    assert _answers() == []


def test_items_that_are_not_open_take_no_answer(client, w) -> None:  # noqa: ANN001
    for item in (w.documents, w.clothing, w.registration):
        response = client.post(_answer_url(w, item), data={"answer": "went"})
        assert response.status_code == 409
        assert "no longer open for answers" in response.get_data(as_text=True)
    assert _answers() == []


def test_a_made_up_answer_is_refused_with_a_message(client, w) -> None:  # noqa: ANN001
    response = client.post(_answer_url(w, w.housing), data={"answer": "delete_everything"})
    assert response.status_code == 422
    assert "choose one of the three answers" in response.get_data(as_text=True)
    assert _answers() == []


def test_an_answer_without_the_csrf_token_is_refused(app, client, w, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    refused = client.post(_answer_url(w, w.housing), data={"answer": "went"})
    assert refused.status_code == 400
    assert _answers() == []
    page = client.get(_card_url(w)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = client.post(_answer_url(w, w.housing), data={"answer": "went", "csrf_token": token})
    assert accepted.status_code == 200
    assert len(_answers()) == 1


def test_answers_are_rate_limited(app, client, w, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(app.config, "PLAN_ANSWER_RATE_LIMIT", "3 per hour")
    items = [w.housing, w.employment, w.funds, w.other]
    statuses = [
        client.post(_answer_url(w, item), data={"answer": "went"}).status_code for item in items
    ]
    assert statuses == [200, 200, 200, 429]
    assert len(_answers()) == 3


def test_the_staff_plan_page_shows_what_the_person_said(client, login, w, time_machine) -> None:  # noqa: ANN001
    day = _tomorrow()
    time_machine.move_to(_local(day, 11), tick=False)
    client.post(_answer_url(w, w.housing), data={"answer": "need_help"})
    login(w.counselor)
    page = client.get(f"/referrals/clients/{w.client.id}/plan").get_data(as_text=True)
    housing = page[page.index(f'id="item-{w.housing.id}"') :]
    housing = housing[: housing.index("</li>")]
    assert f"The person said: “I need help with this” ({format_date(day)})" in housing


def test_an_answer_without_a_coordinator_is_still_kept(client, w) -> None:  # noqa: ANN001
    """Nobody coordinates (the plan has none, the team names none): kept, nobody e-mailed."""
    w.plan.coordinator_id = None
    for member in w.client.team:
        member.is_coordinator = False
    db.session.commit()
    assert client.post(_answer_url(w, w.housing), data={"answer": "went"}).status_code == 200
    assert len(_answers()) == 1
    told = (
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "plan.answer")
    )
    assert db.session.scalar(told) == 0
