"""The plan as the person sees it: arranged items with where, when and what to bring; pending
items as "being worked on"; could-not-arrange gently; not-needed and registration hidden; plain
referral statuses; nothing staff typed about the person."""

from __future__ import annotations

from dataclasses import asdict

from flask_babel import force_locale

from app.extensions import db
from app.plans.person_view import (
    ARRANGED,
    COULD_NOT,
    PENDING,
    person_plan,
    person_plan_for_card,
    referral_words,
)
from app.referrals.vocabulary import ReferralStatus
from tests.plans.person_world import SECRET_TITLE, assert_no_personal_data, person_with_plan


def _by_id(view) -> dict:  # noqa: ANN001
    return {item.id: item for item in view.items}


def test_items_are_grouped_and_the_hidden_ones_left_out(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    with app.test_request_context():
        view = person_plan_for_card(w.card)
    shown = _by_id(view)
    assert [i.id for i in view.arranged] == [w.housing.id]
    assert w.employment.id in [i.id for i in view.pending]
    assert w.funds.id in [i.id for i in view.pending]  # still "to do"
    assert w.other.id in [i.id for i in view.pending]
    assert [i.id for i in view.could_not] == [w.documents.id]
    assert w.clothing.id not in shown  # not needed
    assert w.registration.id not in shown  # never shown to the person
    assert {shown[w.housing.id].state, shown[w.funds.id].state} == {ARRANGED, PENDING}
    assert shown[w.documents.id].state == COULD_NOT


def test_an_arranged_item_says_where_when_and_what_to_bring(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    with app.test_request_context():
        housing = _by_id(person_plan_for_card(w.card))[w.housing.id]
    assert housing.title == "A place to live"
    assert housing.service == "Hope House"
    assert housing.place is not None and "Hartford" in housing.place.address
    assert housing.phones  # the service's phone
    assert housing.when.replace("\xa0", " ") == "Tuesday, May 6, 2031 at 2:30 PM"  # local, not UTC
    assert housing.bring == ["State ID", "Two pay stubs", "Your medicine list"]
    assert housing.referral_status == "They said yes"
    assert housing.can_answer is True


def test_a_pending_item_shows_its_referral_in_plain_words_without_a_time(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    with app.test_request_context():
        employment = _by_id(person_plan_for_card(w.card))[w.employment.id]
    assert employment.service == "Job Center"
    assert employment.referral_status == "On the waiting list"
    assert employment.when is None


def test_referral_statuses_read_as_plain_words(app) -> None:  # noqa: ANN001
    with app.test_request_context():
        assert referral_words(ReferralStatus.SENT) == "Waiting for their answer"
        assert referral_words(ReferralStatus.ACCEPTED) == "They said yes"
        assert referral_words(ReferralStatus.ENROLLED) == "You are signed up"
        assert referral_words(ReferralStatus.DECLINED).startswith("They could not take you")
        assert referral_words(ReferralStatus.CANCELLED) is None
        with force_locale("es"):
            assert referral_words(ReferralStatus.ACCEPTED) == "Le dijeron que sí"


def test_nothing_staff_typed_about_the_person_is_in_the_view(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    with app.test_request_context():
        view = person_plan_for_card(w.card)
    assert_no_personal_data(repr([asdict(item) for item in view.items]))
    assert _by_id(view)[w.other.id].title == "Another step in your plan"


def test_the_printed_copy_may_show_a_free_text_title(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    with app.test_request_context():
        view = person_plan(w.plan, with_titles=True)
    assert _by_id(view)[w.other.id].title == SECRET_TITLE


def test_a_cancelled_referral_is_not_shown(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    w.employment.referral.status = ReferralStatus.CANCELLED
    db.session.commit()
    with app.test_request_context():
        employment = _by_id(person_plan_for_card(w.card))[w.employment.id]
    assert employment.service is None and employment.referral_status is None


def test_a_card_made_for_nobody_has_no_plan(app) -> None:  # noqa: ANN001
    w = person_with_plan()
    w.card.client_id = None
    db.session.commit()
    with app.test_request_context():
        assert person_plan_for_card(w.card) is None
