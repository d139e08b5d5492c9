"""The Whoosh index: a derived copy of the catalog, rebuilt from the database at any time.

What goes in: catalog fields only (service, organization name, taxonomy terms, need areas,
free-text eligibility, languages, towns, status, and the facts in app.search.docfacts). Never
client data and never internal site-visit notes: documents are built field by field in
`service_document`, nothing else is read.

ONE WRITER. Every write (`update_services`, `delete_services`, `rebuild_index`, `apply_queue`)
holds the index's writer lock (app.search.queue), so two processes never write at once; the
web app never calls them inside a request but queues ids after commit (app.search.sync).
`rebuild_index` builds into a fresh directory and swaps a symlink atomically, then applies queue
entries that arrived while it was building, so an update made during a rebuild is not lost.

Readers never wait: `searcher()` keeps one searcher per thread and refreshes it when the index
changes; a missing or corrupt index found there is rebuilt and the query retried once.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import threading
import time
import uuid
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from whoosh import index as whoosh_index
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, TEXT, Schema
from whoosh.index import FileIndex, LockError
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from app.search import queue as wqueue
from app.search import whoosh_mmap
from app.search.documents import documents

log = logging.getLogger(__name__)
whoosh_mmap.install()  # read segments in place from their memory map, not a private copy

WRITE_LOCK_TIMEOUT = 10.0  # seconds a Whoosh writer waits for its own lock before a retry
WRITE_RETRIES = 3
SMALL_SEGMENTS_MAX = 6  # more small segments than this: merge them (merge_small_segments)

# Text fields searched for words, with their boosts (BM25F scores are multiplied by these).
# Three fields rather than one per column: every field is one more posting list per word.
FIELD_BOOSTS: dict[str, float] = {
    "title": 4.0,  # name, alternate name
    "tags": 2.0,  # taxonomy terms and need areas, organization
    "body": 1.0,  # description, free-text eligibility, languages, towns
}
SPELL_FIELD = "spell"  # unstemmed words of the main text, for typo tolerance and "did you mean"
# The same text (title, tags, body) with Spanish stems, as PostgreSQL's tsv_es: a word also
# matches its Spanish stem here ("casas" finds "Casa Esperanza"), at a lower weight.
SPANISH_FIELD = "es"
SPANISH_BOOST = 0.2


def english_analyzer() -> Analyzer:
    """Words, lower case, accents removed ("Transición" = "transicion"), English stop words
    dropped, English stems. Queries use the same analyzer (app.search.whoosh_view)."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter()
    )


def spanish_analyzer() -> Analyzer:
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(lang="es")
        | StemFilter(lang="es")
    )


def plain_analyzer() -> Analyzer:
    """Unstemmed words without accents (the spell field)."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter()


def make_schema() -> Schema:
    stem = english_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=stem),
        tags=TEXT(analyzer=stem),
        body=TEXT(analyzer=stem),
        es=TEXT(analyzer=spanish_analyzer(), phrase=False),
        spell=TEXT(analyzer=plain_analyzer(), phrase=False),
        need_areas=KEYWORD(commas=True, lowercase=True),
        languages=KEYWORD(commas=True, lowercase=True),
        towns=KEYWORD(commas=True, lowercase=True),
        status=ID(),
        facts=COLUMN(VarBytesColumn()),
    )


SCHEMA = make_schema()


def index_dir_from_config(index_dir: str | os.PathLike | None = None) -> Path:
    if index_dir is not None:
        return Path(index_dir)
    from flask import current_app

    return Path(current_app.config["SEARCH_INDEX_DIR"])


# --- building, opening, writing -----------------------------------------------------------------


def rebuild_index(index_dir: str | os.PathLike | None = None) -> int:
    """Build the whole index from the database into a new directory and swap it in atomically
    (the index path is a symlink to the current build); then apply the queue entries that
    arrived meanwhile. Holds the writer lock throughout. Returns the number of services."""
    from app.search.rebuild import IndexPathUnusable, unusable_reason

    path = index_dir_from_config(index_dir).absolute()
    reason = unusable_reason(path)
    if reason is not None:  # say so, rather than leave a half-built folder behind
        raise IndexPathUnusable(reason)
    with wqueue.writer_lock(path):
        covered = wqueue.pending(path)  # committed before we read the database: in the build
        count = _build_and_swap(path)
        wqueue.remove(covered)
        apply_queue(path)
    forget(path)
    return count


def _build_and_swap(path: Path) -> int:
    from app.directory.models import Service
    from app.extensions import db

    path.parent.mkdir(parents=True, exist_ok=True)
    build = path.parent / f"{path.name}.{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    build.mkdir()
    try:
        ix = whoosh_index.create_in(str(build), SCHEMA)
        ids = list(db.session.scalars(select(Service.id).order_by(Service.id)))
        writer = ix.writer(limitmb=256)
        for doc in documents(ids):
            writer.add_document(**doc)
        writer.commit()
        ix.close()
        _swap_in(path, build)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)  # never an orphan build folder
        raise
    return len(ids)


def apply_queue(index_dir: str | os.PathLike | None = None) -> int:
    """Apply every queued entry (the caller holds the writer lock); returns the ids applied.
    An entry is removed only after its update was committed to the index."""
    path = index_dir_from_config(index_dir)
    done = 0
    while True:
        batch = wqueue.read(wqueue.pending(path))
        if not batch.files:
            return done
        update_services(batch.ids, path)
        wqueue.remove(batch.files)
        done += len(batch.ids)
        merge_small_segments(path)  # a long stream of updates must not pile up segments


def _swap_in(path: Path, build: Path) -> None:
    old_target = Path(os.path.realpath(path)) if path.is_symlink() else None
    if path.exists() and not path.is_symlink():  # a plain directory from an older layout
        shutil.rmtree(path)
    link = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.link"
    os.symlink(build.name, link)
    os.replace(link, path)  # atomic: readers see the old build or the new one, never neither
    if old_target is not None and old_target != build and old_target.parent == path.parent:
        shutil.rmtree(old_target, ignore_errors=True)


def _check(ix: FileIndex) -> None:
    """Raise if the index cannot be read or was built with another schema."""
    if set(ix.schema.names()) != set(SCHEMA.names()):
        raise ValueError("index schema differs from the current schema")
    with ix.searcher() as searcher:
        reader = searcher.reader()
        reader.doc_count()
        list(reader.lexicon("status"))
        if reader.doc_count_all():
            reader.column_reader("id")[0]


def _usable(path: Path, *, quiet: bool = False) -> FileIndex | None:
    try:
        if not whoosh_index.exists_in(str(path)):
            raise FileNotFoundError(f"no search index in {path}")
        ix = whoosh_index.open_dir(str(path))
        _check(ix)
        return ix
    except Exception as exc:  # noqa: BLE001 - any failure to read means rebuild
        if not quiet:
            log.warning("search index at %s unusable (%s)", path, exc)
        if not isinstance(exc, FileNotFoundError):  # nothing opened: skip the (slow) collection
            collect_abandoned_files(exc)
        return None


def segment_counts(index_dir: str | os.PathLike | None = None) -> list[tuple[int, int]]:
    """(documents, of them deleted) per segment, largest first; [] when there is no index."""
    path = index_dir_from_config(index_dir)
    if not whoosh_index.exists_in(str(path)):
        return []
    segments = whoosh_index.open_dir(str(path))._segments()
    counts = [(seg.doc_count_all(), seg.deleted_count()) for seg in segments]
    return sorted(counts, reverse=True)


def index_exists(index_dir: str | os.PathLike | None = None) -> bool:
    """Whether anything is at the index path (a broken index counts: writers rebuild it)."""
    return index_dir_from_config(index_dir).exists()


def usable_now(index_dir: str | os.PathLike | None = None) -> bool:
    """Whether a readable index of the current schema is there now (never builds one)."""
    ix = _usable(index_dir_from_config(index_dir), quiet=True)
    if ix is None:
        return False
    ix.close()
    return True


def open_index(index_dir: str | os.PathLike | None = None, *, build: bool = True) -> FileIndex:
    """The index, rebuilt from the database first when it is missing, unreadable or outdated.
    The rebuild waits for the writer lock; if another process rebuilt meanwhile, use theirs.
    With build=False, IndexUnavailable instead (the caller starts a background rebuild)."""
    path = index_dir_from_config(index_dir)
    ix = _usable(path, quiet=not build)
    if ix is not None:
        return ix
    if not build:
        from app.search.rebuild import IndexUnavailable

        raise IndexUnavailable("rebuilding")
    with wqueue.writer_lock(path):
        ix = _usable(path)
        if ix is not None:
            return ix
        log.warning("rebuilding the search index at %s from the database", path)
        rebuild_index(path)
    return whoosh_index.open_dir(str(path))


def collect_abandoned_files(exc: BaseException) -> None:
    """Whoosh leaves files open when it fails to read a broken index; close them quietly now
    (by dropping the failed frames) rather than as ResourceWarnings at some later moment."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        exc.__traceback__ = None
        gc.collect()


def _write(index_dir: str | os.PathLike | None, apply: Any, **commit: Any) -> None:
    """Run `apply(writer)` under the writer lock, retrying when Whoosh's own lock is busy.
    Commits add a segment without merging (merge_small_segments does that, after a batch)."""
    commit = commit or {"merge": False}
    path = index_dir_from_config(index_dir)
    with wqueue.writer_lock(path):
        ix = _open_for_write(path)
        for attempt in range(WRITE_RETRIES):
            try:
                writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT, delay=0.05)
            except LockError:
                if attempt == WRITE_RETRIES - 1:
                    raise
                continue
            try:
                apply(writer)
                writer.commit(**commit)
            except BaseException:
                _checked.discard(path)  # check the index again before the next write
                if not writer.is_closed:
                    writer.cancel()
                raise
            return


_checked: set[Path] = set()


def _open_for_write(path: Path) -> FileIndex:
    """The index for a writer. The full check of open_index runs once per process (and again
    after a failed write); after that opening the directory is enough (~1 ms instead of ~8)."""
    if path in _checked:
        try:
            return whoosh_index.open_dir(str(path))
        except Exception:  # noqa: BLE001 - anything odd: take the checked path below
            _checked.discard(path)
    ix = open_index(path)
    _checked.add(path)
    return ix


def update_services(ids: Iterable[str], index_dir: str | os.PathLike | None = None) -> None:
    """Re-index these services from the database; ids no longer in it are removed."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return

    def apply(writer: Any) -> None:
        seen = set()
        for doc in documents(ids):
            seen.add(doc["id"])
            writer.update_document(**doc)
        for gone in set(ids) - seen:
            writer.delete_by_term("id", gone)

    _write(index_dir, apply)


def merge_small_segments(index_dir: str | os.PathLike | None = None) -> int:
    """Merge once there are more than SMALL_SEGMENTS_MAX small segments beside the largest;
    returns how many segments there were (0: no index yet, and none is built here). Each update
    adds a small segment and searches read every segment, so the writer merges after each
    batch it applies, off the update path, the way Lucene merges in the background."""
    path = index_dir_from_config(index_dir)
    if not whoosh_index.exists_in(str(path)):
        return 0
    with wqueue.writer_lock(path):
        count = len(_open_for_write(path)._segments())
        if count > SMALL_SEGMENTS_MAX + 1:
            _write(path, lambda writer: None, mergetype=_merge_followers)
    return count


def _merge_followers(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: fold every segment but the largest into one (only their documents
    are rewritten: cheap while they are small beside it, which a nightly rebuild keeps so). Once
    they pass a quarter of the largest, fold everything, which also drops the old copies of
    updated services that the largest segment keeps."""
    from whoosh.reading import SegmentReader

    ordered = sorted(segments, key=lambda seg: seg.doc_count_all())
    merged, kept = ordered[:-1], ordered[-1:]
    if sum(seg.doc_count_all() for seg in merged) > ordered[-1].doc_count_all() // 4:
        merged, kept = ordered, []
    for seg in merged:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return kept


def delete_services(ids: Iterable[str], index_dir: str | os.PathLike | None = None) -> None:
    ids = list(dict.fromkeys(ids))
    if ids:
        _write(index_dir, lambda writer: [writer.delete_by_term("id", i) for i in ids])


# --- reading ------------------------------------------------------------------------------------

_local = threading.local()


def searcher(index_dir: str | os.PathLike | None = None, *, build: bool = True) -> Searcher:
    """This thread's searcher, refreshed if the index changed; reopened after a rebuild swap.
    With build=False a missing or unreadable index raises IndexUnavailable (see open_index)."""
    path = str(index_dir_from_config(index_dir))
    real = os.path.realpath(path)
    cache: dict[str, tuple[str, Searcher]] = _local.__dict__.setdefault("searchers", {})
    entry = cache.get(path)
    if entry is not None and entry[0] == real and os.path.isdir(real):
        current = entry[1]
        ix = current._ix  # noqa: SLF001 - the index this searcher was opened from
        if ix.latest_generation() == current.reader().generation():
            return current
        # Whoosh's own refresh() reuses segment readers and misses deletions; open afresh.
        fresh = ix.searcher()
        current.close()
        cache[path] = (real, fresh)
        return fresh
    forget(path)
    ix = open_index(path, build=build)
    found = ix.searcher()
    cache[path] = (os.path.realpath(path), found)
    return found


def forget(index_dir: str | os.PathLike | None = None) -> None:
    """Drop this thread's cached searcher (after an error, or when a test removes the index)."""
    _checked.discard(index_dir_from_config(index_dir))
    path = str(index_dir_from_config(index_dir))
    cache = _local.__dict__.setdefault("searchers", {})
    entry = cache.pop(path, None)
    if entry is not None:
        with contextlib.suppress(Exception):  # closing a broken searcher may fail too
            entry[1].close()


def index_size_bytes(index_dir: str | os.PathLike | None = None) -> int:
    real = Path(os.path.realpath(index_dir_from_config(index_dir)))
    return sum(f.stat().st_size for f in real.iterdir() if f.is_file())
