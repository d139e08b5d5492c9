"""What a search worker keeps in memory: the index read in place from its memory map, each
service's facts held compactly (shared values once), and no zipcodes data in the worker."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from datetime import UTC, date, datetime, time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from app.directory.vocabulary import Answer, CapacityStatus, Criterion
from app.search import index  # noqa: F401 - installs the in-place reading (whoosh_mmap)
from app.search.docfacts import DocFacts, Interner, encode
from app.search.facts import CapacityRow, RuleRow, ScheduleRow

ROOT = Path(__file__).resolve().parents[2]


def _index_of(path: Path, docs: int) -> int:
    """A one-segment index of `docs` documents with distinct words; its size in bytes."""
    ix = whoosh_index.create_in(str(path), Schema(id=ID(stored=True), body=TEXT))
    writer = ix.writer()
    for n in range(docs):
        words = " ".join(f"w{(n * 7 + k) % 5000}x{k}" for k in range(40))
        writer.add_document(id=str(n), body=f"common {words}")
    writer.commit()
    ix.close()
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


def test_a_searcher_reads_the_segment_in_place_rather_than_copying_it(tmp_path: Path) -> None:
    size = _index_of(tmp_path, 3000)
    assert size > 1_000_000
    tracemalloc.start()
    try:
        ix = whoosh_index.open_dir(str(tmp_path))
        with ix.searcher() as searcher:
            assert len(list(searcher.postings("body", "common").all_ids())) == 3000
            assert searcher.document(id="2999")["id"] == "2999"
            held = tracemalloc.get_traced_memory()[0]
        ix.close()
    finally:
        tracemalloc.stop()
    assert held < size / 4  # Whoosh's own BufferFile held a copy of the whole segment


def test_facts_read_back_as_written_and_shared_values_are_held_once() -> None:
    updated = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    rule = RuleRow(Criterion("age"), Answer("yes"), [], 18, 64)
    hours = ScheduleRow("WEEKLY", "MO,TU", time(9), time(17), date(2026, 1, 1), None)
    raw = [
        encode(
            status="active",
            verified=updated,
            need_areas=["housing", "housing.recovery"],
            towns=["Hartford"],
            languages=["en", "es"],
            points=[(f"loc-{n}", 41.7 + n / 100, -72.6)],
            capacities=[CapacityRow("x", n, 10, CapacityStatus.HAS_CAPACITY, updated)],
            rules=[rule],
            hours=[hours],
        )
        for n in range(3)
    ]
    intern = Interner()
    first, second, _ = (DocFacts(r, intern) for r in raw)
    assert first.status == "active" and first.verified == updated
    assert first.need_areas == ("housing", "housing.recovery")
    assert first.towns == ("Hartford",) and first.languages == ("en", "es")
    assert first.points == (("loc-0", 41.7, -72.6),)
    assert first.rules == [rule] and first.hours == [hours]
    assert second.capacities == [CapacityRow("", 1, 10, CapacityStatus.HAS_CAPACITY, updated)]
    # equal values are one object, so 50,000 services hold a few hundred of them
    assert first.rules is second.rules and first.hours is second.hours
    assert first.need_areas is second.need_areas and first.status is second.status
    empty = DocFacts(None)
    assert (empty.status, empty.points, empty.rules, empty.capacities) == ("", (), [], [])


def test_the_offline_geocoder_keeps_no_zipcodes_data_in_the_process() -> None:
    code = (
        "import sys; from app.search import geo; "
        "print(geo.offline_lookup('Hartford').label, geo.offline_lookup('06103').label, "
        "'zipcodes' in sys.modules)"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["Hartford,", "CT", "06103", "(Hartford,", "CT)", "False"]


def test_released_pages_are_read_again_when_needed(tmp_path: Path) -> None:
    from app.search.whoosh_mmap import release_pages

    _index_of(tmp_path, 500)
    ix = whoosh_index.open_dir(str(tmp_path))
    with ix.searcher() as searcher:
        before = list(searcher.postings("body", "common").all_ids())
        for leaf, _ in searcher.reader().leaf_readers():
            release_pages(leaf)
        assert list(searcher.postings("body", "common").all_ids()) == before == list(range(500))
        assert searcher.document(id="499")["id"] == "499"
    ix.close()
