"""Spanish search: lay terms from seed/synonyms_es.csv, accents, Spanish word forms, filler words.

Runs on both backends (tests/search/conftest.py): the synonym list is shared, and each backend
folds accents and knows Spanish stems in its own way.
"""

from __future__ import annotations

import csv

import pytest

from app.search.synonyms import SEED, fold, parse_text, word_key
from tests.search.conftest import names, service


@pytest.fixture
def catalog(taxonomy) -> None:  # noqa: ANN001
    """One service of each kind the Spanish words below should find, named by what it is."""
    service("Harbor Shelter", description="Beds for tonight.", needs=("housing.emergency_shelter",))
    service("Elm Sober House", description="Drug-free living.", needs=("housing.recovery",))
    service("Oak Apartments", description="Long-term homes.", needs=("housing.permanent",))
    service("Main Street Pantry", description="Groceries every Tuesday.", needs=("food",))
    service("Work Ready", description="Job coaching.", needs=("employment",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "vivienda" is the app's own Spanish name for Housing: every kind of housing.
        ("vivienda", ["Elm Sober House", "Harbor Shelter", "Oak Apartments"]),
        ("Viviendas", ["Elm Sober House", "Harbor Shelter", "Oak Apartments"]),
        ("comida", ["Main Street Pantry"]),
        ("albergue", ["Harbor Shelter"]),
        ("Albergues", ["Harbor Shelter"]),
        ("refugio", ["Harbor Shelter"]),
        ("casa sobria", ["Elm Sober House"]),
        ("casas sobrias", ["Elm Sober House"]),
        ("CASA SOBRIA", ["Elm Sober House"]),
        ("trabajo", ["Work Ready"]),
        ("busco comida en Hartford", ["Main Street Pantry"]),
    ],
)
def test_spanish_words_find_the_right_services(find, catalog, text, expected) -> None:  # noqa: ANN001
    results = find(text=text)
    assert sorted(names(results)) == expected
    assert results.did_you_mean is None


def test_a_spanish_lay_term_is_not_matched_by_its_short_spanish_stem(find, taxonomy) -> None:  # noqa: ANN001,E501
    # Spanish stems "comida" to "com", as it does the English "come": a lay term means what its
    # list says (food), never whatever shares a three-letter stem.
    service("Main Street Pantry", description="Groceries.", needs=("food",))
    service("Walk-in Clinic", description="Come in any weekday morning.")
    service("Case Desk", description="Case management.")
    assert names(find(text="comida")) == ["Main Street Pantry"]
    assert names(find(text="casa")) == []  # "casa" means housing, not "case management"


def test_accents_do_not_matter(find, taxonomy) -> None:  # noqa: ANN001
    service("Programa de Transición", description="Ayuda después de la cárcel.")
    service("Main Street Pantry", description="Groceries.")
    for text in ("transicion", "Transición", "TRANSICIÓN", "carcel", "cárcel"):
        assert names(find(text=text)) == ["Programa de Transición"], text


def test_spanish_word_forms_match_by_stem(find, taxonomy) -> None:  # noqa: ANN001
    # "esperanzas" has no English stem in common with "Esperanza": only the Spanish stem finds it.
    service("Casa Esperanza", description="Un hogar para mujeres.")
    service("Main Street Pantry", description="Groceries.")
    assert names(find(text="esperanzas")) == ["Casa Esperanza"]


def test_no_did_you_mean_for_a_spanish_lay_term(find, taxonomy) -> None:  # noqa: ANN001
    # Nothing in this catalog is food, but "comida" is a word we know: no made-up correction.
    service("Harbor Shelter", description="Beds for tonight.", needs=("housing.emergency_shelter",))
    results = find(text="comida")
    assert results.total == 0
    assert results.did_you_mean is None


def test_english_search_is_unchanged(find, catalog) -> None:  # noqa: ANN001
    assert names(find(text="shelter")) == ["Harbor Shelter"]
    assert names(find(text="sober house")) == ["Elm Sober House"]


# --- the data -----------------------------------------------------------------------------------


def test_every_need_areas_spanish_name_is_a_lay_term() -> None:
    """Whatever the home page calls a need area in Spanish, typed as words, finds that area."""
    with (SEED / "need_areas.csv").open(encoding="utf-8") as handle:
        spanish_names = [row["name_es"] for row in csv.DictReader(handle)]
    assert spanish_names
    for name in spanish_names:
        parts = parse_text(name)
        assert len(parts) == 1 and parts[0].expansions, name


def test_spanish_terms_are_singular_plural_and_accent_blind() -> None:
    assert word_key("Albergues") == word_key("albergue") == "albergue"
    assert word_key("hogares") == word_key("hogar")
    assert word_key("transición") == "transicion"
    assert fold("Niños") == "ninos"
    assert word_key("bus") == "bus"  # three letters: never cut
    (part,) = parse_text("refugios")
    assert part.words == ("refugios",) and part.expansions == (("shelter",),)


def test_filler_words_are_dropped_outside_quotes() -> None:
    assert [p.words for p in parse_text("necesito ayuda para la renta")] == [("renta",)]
    assert [p.words for p in parse_text('"la casa"')] == [("la", "casa")]


def test_the_providers_own_spanish_wording_is_searched(find, taxonomy) -> None:  # noqa: ANN001
    """A service's Spanish text (entered by its provider) finds it with Spanish words; added after
    the service, it is searched at once (the PostgreSQL row is rewritten in the same commit)."""
    from app.extensions import db
    from app.public.models import ServiceTranslation

    harbor = service("Harbor Shelter", description="Beds for tonight.")
    service("Main Street Pantry", description="Groceries every Tuesday.")
    db.session.commit()
    assert names(find(text="camas")) == []
    db.session.add(
        ServiceTranslation(
            service_id=harbor.id,
            language="es",
            name="Refugio del Puerto",
            description="Camas para esta noche; se habla español.",
        )
    )
    db.session.commit()
    assert names(find(text="camas")) == ["Harbor Shelter"]  # "camas" is only in the Spanish text
    assert names(find(text="refugio puerto")) == ["Harbor Shelter"]
    assert names(find(text="beds")) == ["Harbor Shelter"]  # the English stays searched
