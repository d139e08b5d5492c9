"""Full text: lay terms, typos, phrases, exact-before-typo ranking, "did you mean"."""

from __future__ import annotations

import pytest

from app.search.synonyms import QueryPart, parse_text
from tests.search.conftest import names, service


def test_sober_house_finds_recovery_housing(find, taxonomy) -> None:  # noqa: ANN001
    service("Maple Recovery Residence", description="Alcohol- and drug-free recovery housing.")
    service("Downtown Food Pantry", description="Groceries every Tuesday.")
    assert names(find(text="sober house")) == ["Maple Recovery Residence"]
    assert names(find(text="Sober Living")) == ["Maple Recovery Residence"]


def test_halfway_house_finds_transitional_housing(find, taxonomy) -> None:  # noqa: ANN001
    service("Cedar Street Program", description="Transitional housing for men on parole.")
    service("Oak Apartments", description="Permanent supportive apartments.")
    assert names(find(text="halfway house")) == ["Cedar Street Program"]


def test_lay_terms_for_benefits_treatment_jobs_and_lawyers(find, taxonomy) -> None:  # noqa: ANN001
    service("Benefits Desk", description="Help applying for SNAP and Medicaid.")
    service("River Detox", description="Medically supervised substance-use treatment.")
    service("Work Ready", description="Employment coaching and job placement.")
    service("Justice Clinic", description="Free legal aid for record clearing.")
    service("Peer Circle", description="Peer recovery support groups every evening.")
    service("Papers Project", description="Help getting identification documents.")
    assert names(find(text="food stamps")) == ["Benefits Desk"]
    assert names(find(text="EBT")) == ["Benefits Desk"]
    assert names(find(text="rehab")) == ["River Detox"]
    assert names(find(text="lawyer")) == ["Justice Clinic"]
    assert names(find(text="AA")) == ["Peer Circle"]
    assert names(find(text="birth certificate")) == ["Papers Project"]
    assert "Work Ready" in names(find(text="job"))


def test_the_users_own_words_still_match(find, taxonomy) -> None:  # noqa: ANN001
    service("Sober House on Elm", description="A sober house for twelve men.")
    assert names(find(text="sober house")) == ["Sober House on Elm"]


def test_stemming_matches_other_word_forms(find, taxonomy) -> None:  # noqa: ANN001
    service("Housing Navigation", description="We help people find apartments.")
    assert names(find(text="house")) == ["Housing Navigation"]


def test_one_letter_typo_still_finds_it(find, taxonomy) -> None:  # noqa: ANN001
    service("Housing Navigation", description="Help finding a place to live.")
    service("Food Pantry", description="Groceries.")
    results = find(text="housng")
    assert names(results) == ["Housing Navigation"]
    assert results.results[0].typo_match is True


def test_two_letters_swapped_is_a_one_letter_typo(find, taxonomy) -> None:  # noqa: ANN001
    """Both backends count an adjacent swap as one edit (plain edit distance counts two, and a
    short word's swap shares few trigrams)."""
    service("Food Pantry", description="Groceries.")
    service("Help Desk", description="Questions answered.")
    service("Legal Aid", description="Free lawyers.")
    for typed, found in (("pantyr", "Food Pantry"), ("hlep", "Help Desk"), ("lgeal", "Legal Aid")):
        results = find(text=typed)
        assert names(results) == [found], typed
        assert results.results[0].typo_match is True
    assert names(find(text="pnatry")) == ["Food Pantry"]
    assert names(find(text="apntry")) == []  # the first letter is never a typo


def test_exact_match_ranks_above_typo_match(find, taxonomy) -> None:  # noqa: ANN001
    # "hosing" is one letter from "housing"; a service that says "housing" once must still
    # come before one that says "hosing" in its name.
    service("Hosing Hosing Hosing", description="Garden hosing supplies.")
    service("Community Help", description="Some housing help.")
    results = find(text="housing")
    assert names(results) == ["Community Help", "Hosing Hosing Hosing"]
    assert [r.typo_match for r in results.results] == [False, True]


def test_short_words_are_not_fuzzy(find, taxonomy) -> None:  # noqa: ANN001
    service("Bus Passes", description="Monthly bus passes.")
    assert names(find(text="bug")) == []


def test_quoted_phrase_needs_the_words_together(find, taxonomy) -> None:  # noqa: ANN001
    service("Night Shelter", description="Emergency beds for one night.")
    service("Day Program", description="Beds for the night are not offered; emergency food only.")
    assert names(find(text='"emergency beds"')) == ["Night Shelter"]
    assert sorted(names(find(text="emergency beds"))) == ["Day Program", "Night Shelter"]


def test_every_word_must_match(find, taxonomy) -> None:  # noqa: ANN001
    service("Housing Navigation", description="Apartments.")
    service("Veterans Housing", description="Apartments for veterans.")
    assert names(find(text="veterans housing")) == ["Veterans Housing"]


def test_did_you_mean_on_zero_results(find, taxonomy) -> None:  # noqa: ANN001
    service("Transportation Help", description="Bus passes and rides to appointments.")
    results = find(text="trnsportaton")
    assert results.total == 0
    assert results.did_you_mean == "transportation"


def test_did_you_mean_finds_two_edits_with_few_letters_in_common(find, taxonomy) -> None:  # noqa: ANN001
    """Two edits in a short word leave few trigrams in common ("pamtri" and "pantry" share 2
    of 12): both backends still suggest the word, as Whoosh's edit automaton does."""
    service("Harbor Food Pantry", description="Groceries.")
    results = find(text="pamtri")
    assert results.total == 0 and results.did_you_mean == "pantry"


def test_no_suggestion_when_results_found(find, taxonomy) -> None:  # noqa: ANN001
    service("Transportation Help", description="Bus passes.")
    assert find(text="transportation").did_you_mean is None


def test_parse_text_keeps_quotes_and_finds_lay_terms() -> None:
    parts = parse_text('"free meals" sober house Hartford')
    assert parts[0] == QueryPart(("free", "meals"), phrase=True)
    assert parts[1].words == ("sober", "house")
    assert ("recovery", "housing") in parts[1].expansions
    assert parts[2] == QueryPart(("hartford",))


@pytest.mark.whoosh_only
def test_relevance_is_whooshs_own_bm25f_score(index_dir, taxonomy) -> None:  # noqa: ANN001
    """The block-at-a-time scorer (app.search.whoosh_scoring) gives exactly the scores Whoosh's
    matchers give, also over two segments with a deleted document, typo terms and phrases."""
    import pytest

    from app.search import index as ix
    from app.search.backend import IndexFilters, get_backend
    from app.search.documents import documents

    made = [
        service(
            f"Residence {i}",
            description="housing " * (i % 4 + 1) + "for men leaving prison",
            needs=("housing.recovery",),
        )
        for i in range(12)
    ]
    service("Sober Living House", description="Recovery housing with house meetings.")
    service("Job Center", description="Employment, job training and housing referrals.")
    ix.rebuild_index(index_dir)
    writer = ix.open_index(index_dir).writer()
    writer.delete_by_term("id", made[1].id)
    for doc in documents([made[3].id, made[7].id]):
        writer.update_document(**doc)
    writer.commit(merge=False)  # a second segment, and deletions left in the first
    ix.forget(index_dir)

    def compare(view) -> int:  # noqa: ANN001
        checked = 0
        for text in ("housing", "sober house", "job training", "housng men", '"recovery housing"'):
            parts = parse_text(text)
            for tier in (0, 1):
                q, _ = view._query(parts, tier)
                whoosh = {h.docnum: h.score for h in view.searcher.search(q, limit=None)}
                ours = view.relevance(parts, tier, list(whoosh) + [10_000])
                assert ours.keys() == whoosh.keys(), text
                for key, score in whoosh.items():
                    assert ours[key] == pytest.approx(score, rel=1e-9), text
                checked += len(whoosh)
            matched = view.match(parts, IndexFilters(statuses=()))
            assert matched.keys() == whoosh.keys(), text  # the typo tier includes the exact one
        leaves = view.searcher.reader().leaf_readers()
        assert len(leaves) == 2 and leaves[0][0].has_deletions()
        return checked

    assert get_backend(index_dir).run(compare) > 40
