"""The person's eligibility flags are defined once (app.directory.vocabulary.PROFILE_FLAGS): every
form, parser, serializer and template reads them from there, so a new flag is one entry there
(plus its typed EligibilityProfile field), not eight edits."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from app.directory.eligibility import EligibilityProfile
from app.directory.eligibility_forms import CheckForm
from app.directory.vocabulary import FLAG_FOR, PROFILE_FLAGS, Criterion
from app.referrals.clients import _clean_eligibility
from app.referrals.forms.clients import ClientForm
from app.search.forms import SearchForm
from app.search.params import profile_from_args
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
NAMES = [flag.name for flag in PROFILE_FLAGS]


def test_every_flag_names_a_profile_field_and_its_own_criterion() -> None:
    fields = {f.name for f in dataclasses.fields(EligibilityProfile)}
    assert set(NAMES) <= fields
    assert len(set(NAMES)) == len(NAMES)
    assert set(FLAG_FOR) <= set(Criterion) and len(FLAG_FOR) == len(PROFILE_FLAGS)


@pytest.mark.parametrize("form_class", [ClientForm, SearchForm, CheckForm])
def test_every_form_asks_every_flag_in_the_same_words(app, form_class) -> None:  # noqa: ANN001
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        for flag in PROFILE_FLAGS:
            assert flag.name in form, f"{form_class.__name__} lacks {flag.name}"
            assert form[flag.name].label.text == flag.question


@pytest.mark.parametrize("flag", PROFILE_FLAGS, ids=NAMES)
def test_the_search_parser_and_the_client_serializer_read_every_flag(flag) -> None:  # noqa: ANN001
    profile = profile_from_args(MultiDict({flag.name: "yes"}))
    assert getattr(profile, flag.name) is True
    assert _clean_eligibility({flag.name: False}) == {flag.name: False}


def test_the_client_form_stores_and_shows_every_flag(app) -> None:  # noqa: ANN001
    with app.test_request_context(method="POST", data={name: "yes" for name in NAMES}):
        form = ClientForm(meta={"csrf": False})
        assert form.eligibility() == dict.fromkeys(NAMES, True)
        person = factories.make_client(
            factories.make_user(), eligibility=dict.fromkeys(NAMES, False)
        )
        form.fill_from(person)
        assert [form[name].data for name in NAMES] == ["no"] * len(NAMES)


def test_the_pages_render_every_question(client, login) -> None:  # noqa: ANN001
    login(factories.make_user())
    for url in ("/referrals/clients/new", "/staff/search"):
        page = client.get(url).get_data(as_text=True)
        for flag in PROFILE_FLAGS:
            assert flag.question in page, (url, flag.name)


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_no_module_or_template_spells_the_flags_out_again() -> None:
    """Demo data may name them (it is data); code and templates must loop over PROFILE_FLAGS."""
    spelled = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        if path.name == "vocabulary.py" and path.parent.name == "directory":
            continue
        if "seeding" in path.parts:
            continue
        found = _string_constants(path) & set(NAMES)
        if found:
            spelled.append(f"{path.relative_to(ROOT)}: {sorted(found)}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        found = {name for name in NAMES if f"'{name}'" in text or f"form.{name}" in text}
        if found:
            spelled.append(f"{path.relative_to(ROOT)}: {sorted(found)}")
    assert spelled == []
