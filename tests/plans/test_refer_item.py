"""Referring from a plan item: the consent that covers the service pre-selected, or a short
consent step in the same submit; bad input keeps everything unsaved; the item is linked to the
referral and moves to "in progress"; and the whole walk takes at most four page loads."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.directory.vocabulary import Answer, Criterion
from app.domain_errors import Conflict
from app.extensions import db
from app.plans import services
from app.plans.referring import link_referral
from app.plans.vocabulary import ItemKind, ItemStatus
from app.referrals.models import Consent, Referral
from app.referrals.vocabulary import ConsentShare
from tests import factories
from tests.plans.findplace_helpers import form_values, href, reindex
from tests.search.conftest import index_dir  # noqa: F401


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def item(world):  # noqa: ANN001,ANN201
    plan = services.start_plan(world.client, world.counselor)
    db.session.commit()
    return next(i for i in plan.items if i.kind == ItemKind.HOUSING)


def _url(item, world) -> str:  # noqa: ANN001
    return f"/plans/items/{item.id}/refer?service={world.service.id}&location={world.location.id}"


def _sent_form(html: str, **changes: object) -> MultiDict:
    """What the page posts as shown, with some fields replaced (None drops one)."""
    values = [(k, v) for k, v in form_values(html, "priority") if k not in changes]
    for name, value in changes.items():
        if isinstance(value, list):
            values += [(name, v) for v in value]
        elif value is not None:
            values.append((name, str(value)))
    return MultiDict(values)


def test_a_covering_consent_is_used_and_the_item_follows(client, login, world, item) -> None:  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.org)
    login(world.counselor)
    page = client.get(_url(item, world))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="consent-on-file"' in html and "Harbor House Org" in html
    assert "will see this person's answers to the eligibility questions" in html
    assert 'name="shares"' not in html  # no consent step
    assert f'<option selected value="{world.location.id}">' in html
    assert '<option selected value="housing.transitional">' in html
    response = client.post(_url(item, world), data=_sent_form(html))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/referrals/clients/{world.client.id}/plan#item-{item.id}"
    )
    referral = db.session.scalar(select(Referral))
    item = factories.reload(item)
    assert item.referral_id == referral.id and item.status == ItemStatus.IN_PROGRESS
    assert referral.location_id == world.location.id
    plan_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Referral sent to Transitional Housing." in plan_page
    assert f'href="/referrals/{referral.id}"' in plan_page  # the item shows its referral


def test_a_need_area_consent_is_named_and_a_missing_share_is_said(
    client, login, world, item
) -> None:  # noqa: ANN001
    factories.make_consent(
        world.client, world.counselor, need_area_code="housing", shares=["identity"]
    )
    login(world.counselor)
    html = client.get(_url(item, world)).get_data(as_text=True)
    assert "every provider in Housing" in html
    assert "does not include the answers to the eligibility questions" in html
    assert 'name="shares"' not in html


def test_without_consent_the_step_is_on_the_same_form(client, login, world, item) -> None:  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.other_org)
    login(world.counselor)
    html = client.get(_url(item, world)).get_data(as_text=True)
    assert "No consent on file covers Harbor House Org" in html
    assert "signed a consent to share with Harbor House Org" in html
    assert "Elsewhere Org" not in html  # one organization, never a list of them
    suggested = 'checked id="shares-2" name="shares" required type="checkbox" value="eligibility"'
    assert suggested in html  # sharing the eligibility answers is suggested
    response = client.post(_url(item, world), data=_sent_form(html, consent_signed="y"))
    assert response.status_code == 303
    consent = db.session.scalar(select(Consent).where(Consent.organization_id == world.org.id))
    assert consent is not None and ConsentShare.ELIGIBILITY.value in consent.shares
    referral = db.session.scalar(select(Referral))
    assert referral.consent_id == consent.id
    assert factories.reload(item).referral_id == referral.id


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"consent_signed": None}, "Tick this to confirm the person signed the consent form."),
        ({"consent_signed": "y", "shares": None}, "Tick at least one thing that may be shared."),
        (
            {"consent_signed": "y", "signed_on": "2026-03-01", "expires_on": "2026-02-01"},
            "The consent cannot end before it is signed.",
        ),
    ],
)
def test_bad_consent_input_is_shown_at_its_field_and_nothing_is_saved(
    client, login, world, item, changes, field_message
) -> None:  # noqa: ANN001
    login(world.counselor)
    html = client.get(_url(item, world)).get_data(as_text=True)
    response = client.post(_url(item, world), data=_sent_form(html, **changes))
    assert response.status_code == 422
    assert field_message in response.get_data(as_text=True)
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert _count(Consent) == 0 and _count(Referral) == 0
    assert factories.reload(item).status == ItemStatus.TO_DO


def test_a_refusal_after_the_consent_keeps_the_consent_unsaved(client, login, world, item) -> None:  # noqa: ANN001
    factories.make_rule(world.service, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    world.client.eligibility = {"on_registry": True}
    db.session.commit()
    login(world.counselor)
    html = client.get(_url(item, world)).get_data(as_text=True)
    assert "Not eligible" in html
    response = client.post(_url(item, world), data=_sent_form(html, consent_signed="y"))
    assert response.status_code == 422
    assert "Say why you are sending the referral anyway" in response.get_data(as_text=True)
    assert _count(Consent) == 0 and _count(Referral) == 0
    item = factories.reload(item)
    assert item.referral_id is None and item.status == ItemStatus.TO_DO


def test_a_closed_item_is_not_referred_for(client, login, world, item) -> None:  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.org)
    login(world.counselor)
    html = client.get(_url(item, world)).get_data(as_text=True)
    services.update_item(item, world.counselor, status=ItemStatus.ARRANGED, expected_version=1)
    db.session.commit()
    response = client.post(_url(item, world), data=_sent_form(html))
    assert response.status_code == 409
    assert "Set it back to “to do”" in response.get_data(as_text=True)
    assert _count(Referral) == 0


def test_link_referral_moves_only_to_do_and_only_the_persons_own(world, item) -> None:  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    item.status = ItemStatus.IN_PROGRESS
    db.session.commit()
    link_referral(item, referral, world.counselor)
    assert item.referral_id == referral.id and item.status == ItemStatus.IN_PROGRESS
    someone_else = factories.make_client(world.counselor)
    other = factories.make_referral(someone_else, world.service, world.counselor)
    with pytest.raises(Conflict):
        link_referral(item, other, world.counselor)


@pytest.mark.parametrize("who", ["outsider", "provider", "analyst"])
def test_only_the_team_opens_the_form(client, login, world, item, who) -> None:  # noqa: ANN001
    login(getattr(world, who))
    assert client.get(_url(item, world)).status_code == 403
    assert client.post(_url(item, world), data={"priority": "routine"}).status_code == 403
    assert _count(Referral) == 0


def test_unknown_item_or_service_is_not_found(client, login, world, item) -> None:  # noqa: ANN001
    login(world.counselor)
    assert client.get(f"/plans/items/nope/refer?service={world.service.id}").status_code == 404
    assert client.get(f"/plans/items/{item.id}/refer?service=nope").status_code == 404


def test_plan_to_referral_sent_takes_at_most_four_page_loads(
    client,
    login,
    world,
    item,
    index_dir,  # noqa: F811
) -> None:  # noqa: ANN001
    """From the plan page on screen: every GET or POST the counselor makes, and every redirect
    the browser follows, is one page load."""
    reindex(index_dir)
    login(world.counselor)
    plan_url = f"/referrals/clients/{world.client.id}/plan"
    loads = 0

    def load(method: str, url: str, data: object = None):  # noqa: ANN202
        nonlocal loads
        response = client.open(url, method=method, data=data)
        loads += 1
        while response.status_code in (301, 302, 303):
            response = client.get(response.headers["Location"])
            loads += 1
        assert response.status_code == 200, response.get_data(as_text=True)[:1000]
        return response.get_data(as_text=True)

    plan_html = client.get(plan_url).get_data(as_text=True)  # where the walk starts
    results = load("GET", href(plan_html, rf"item={item.id}"))
    refer_url = href(results, r"/refer\?")
    form = load("GET", refer_url)
    # No consent on file: the counselor ticks the one box of the short consent step, sends
    # (the form has no action: it posts back to its own address, as a browser does).
    done = load("POST", refer_url, _sent_form(form, consent_signed="y"))
    assert "Referral sent to Transitional Housing." in done
    assert f'id="item-{item.id}"' in done
    assert loads <= 4, loads
    assert factories.reload(item).status == ItemStatus.IN_PROGRESS
