"""Languages are shown by name on staff pages ("Chinese", not "zh"): the person's preferred
language on their record and referral, and a service's languages (even when an import stored the
code as the name)."""

from __future__ import annotations

from app.directory.models import Language
from app.extensions import db
from app.i18n import language_name
from tests import factories


def test_names_from_codes() -> None:
    assert [language_name(c) for c in ("en", "es", "zh", "ht", "ase")] == [
        "English",
        "Spanish",
        "Chinese",
        "Haitian Creole",
        "American Sign Language",
    ]
    assert language_name("other") == "Another language"
    assert language_name("zh", "es") == "Chino"
    assert language_name("xx-unknown") == "xx-unknown"  # shown as given, never a 500
    assert language_name(None) == ""


def test_a_persons_preferred_language_by_name(client, login, world) -> None:  # noqa: ANN001
    world.client.preferred_language = "es"
    db.session.commit()
    referral = factories.make_referral(world.client, world.service, world.counselor)
    login(world.provider)  # the provider sees it on the referral, as consented
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "<dt>Preferred language</dt><dd>Spanish</dd>" in page
    client.post("/account/logout")
    login(world.counselor)
    page = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert "<dt>Preferred language</dt><dd>Spanish</dd>" in page
    world.client.preferred_language = "other"
    db.session.commit()
    page = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert "<dt>Preferred language</dt><dd>Another language</dd>" in page


def test_a_services_languages_by_name(client, login, world) -> None:  # noqa: ANN001
    world.service.languages = [
        Language(code="zh", name="zh"),  # as a careless import might store it
        Language(code="en", name="English"),
        Language(code=None, name="Cape Verdean Creole"),
    ]
    db.session.commit()
    login(world.provider)
    page = client.get(f"/directory/services/{world.service.id}").get_data(as_text=True)
    shown = page.split("<h3>Languages</h3>", 1)[1].split("</p>", 1)[0]
    assert "Chinese" in shown and "English" in shown and "Cape Verdean Creole" in shown
    assert "zh" not in shown
