"""What a PostgreSQL search looks up before its statement, remembered per worker while the
directory is unchanged.

Why: before its one big statement a search asks the database a few small questions in one round
trip (app.search.pg_plan): each word's forms and typo alternatives, the places near the radius's
edge, the eligibility rules that could refuse. The answers depend only on the search rows, and
counselors ask about the same towns and words all day; the edge band alone is ~3 ms of the
~38 ms of "housing" near Hartford at 50,000 services. So each answer is kept with the content
versions (app.content_version) it was read under, and the round trip still asks for it, but as
`CASE WHEN <current versions> = <remembered> THEN NULL ELSE (<the question>) END`: the database
answers again only when something changed, and the versions and answers come from one snapshot.

The versions are those of what the answers are read from (`ASKED`): "catalog" (names,
descriptions, terms, places: app.public.card_cache) and this module's `SCOPE` (the other tables
a search row's words, places and rules come from, and `flask search rebuild`). Capacity figures
decide none of the answers, so a bed taken or freed (the busiest write of a network) leaves them
standing; the statement and the page read capacity afresh (the page rows key on `CURRENT`).
A transaction's own changes, not yet under any version, are asked about afresh and not kept.
Writes the version watchers cannot see (SQL typed by hand) are caught by age: an answer older
than a minute is asked for again (app.search.versioned_memo).

When every answer a search needs is remembered (`remembered`), the search sends its statement
at once, carrying the versions; the statement reads nothing if they moved (app.search.pg_plan).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import text

from app import content_version
from app.search.pg_pipeline import driver_sql, send
from app.search.versioned_memo import VersionedMemo

UNVERSIONED = "-"
SCOPE = "search-lookups"
# beyond the catalog's own tables, those a search row's words, places and rules are built from
# (service_capacity and unit are left out: a capacity figure answers no lookup)
TABLES = ("eligibility_rule", "language", "need_area_mapping", "taxonomy")
ASKED_SCOPES = frozenset({"catalog", SCOPE})


def versions_sql(scopes: tuple[str, ...]) -> str:
    """The scopes' tokens now, as one text (UNVERSIONED if none was ever bumped)."""
    listed = ", ".join(f"'{scope}'" for scope in sorted(scopes))
    return (
        "coalesce((SELECT string_agg(token, ',' ORDER BY scope) FROM content_version "
        f"WHERE scope IN ({listed})), '{UNVERSIONED}')"
    )


CURRENT = versions_sql(("catalog", "search"))  # everything a search row holds, capacity too
ASKED = versions_sql(tuple(ASKED_SCOPES))  # what the lookups' answers are read from


def watch() -> None:
    """Bump SCOPE with every write to TABLES (once per process; app.search.sync.init_search)."""
    content_version.watch_tables(SCOPE, TABLES)
    content_version.install()


MEMO = VersionedMemo(max_entries=512, max_age=60.0)


def fetch(
    session: Any,
    questions: dict[str, tuple[Hashable | None, str]],
    params: dict[str, Any],
    first: str | None = None,
) -> dict[str, Any]:
    """Answers to `questions` ({name: (memo key or None, SQL of one JSON value)}) in one
    statement; a question with a key is answered from memory when the versions still match.
    `first` (SQL without parameters, e.g. the search's settings) is sent just before, in the
    same round trip."""
    if not questions:
        if first is not None:
            session.execute(text(first))
        return {}
    bind = session.get_bind()  # one process may talk to several databases (tests)
    keep = not own_changes(session)  # else the answers hold what no version names yet
    questions = {
        name: (None if key is None or not keep else (bind, key), sql)
        for name, (key, sql) in questions.items()
    }
    known: dict[str, tuple[str, Any]] = {}  # name -> (version remembered under, answer)
    parts = [f"'_v', {ASKED}"]
    for n, (name, (key, sql)) in enumerate(questions.items()):
        held = MEMO.get(key) if key is not None else None
        if held is None:
            parts.append(f"'{name}', ({sql})")
            continue
        params[f"_lv{n}"] = held[0]
        known[name] = held
        parts.append(
            f"'{name}', CASE WHEN {ASKED} = CAST(:_lv{n} AS text) THEN NULL ELSE ({sql}) END"
        )
    asked = f"SELECT json_build_object({', '.join(parts)})"
    if first is None or bind.dialect.name != "postgresql":
        if first is not None:
            session.execute(text(first))
        answers = session.execute(text(asked), params).scalar_one()
    else:
        sent = send(session, [(first, {}), driver_sql(session, asked, params)])
        answers = sent[1][0][0][0]
    version = answers.pop("_v")
    for name, (key, _) in questions.items():
        if name in known and known[name][0] == version:  # unchanged: the CASE said NULL
            answers[name] = known[name][1]
        elif key is not None and version != UNVERSIONED:  # never bumped: nothing to key on
            MEMO.put(key, version, answers.get(name))
    return answers


def remembered(
    session: Any, questions: dict[str, tuple[Hashable | None, str]]
) -> tuple[dict[str, Any], str] | None:
    """(answers, version) when every question is remembered under one version, else None. The
    caller checks the version in its own statement (`ASKED`), and asks again if it moved."""
    if own_changes(session):
        return None
    bind = session.get_bind()
    answers: dict[str, Any] = {}
    versions = set()
    for name, (key, _) in questions.items():
        held = MEMO.get((bind, key)) if key is not None else None
        if held is None:
            return None
        versions.add(held[0])
        answers[name] = held[1]
    if len(versions) != 1:
        return None
    return answers, versions.pop()


def own_changes(session: Any) -> bool:
    """Whether the session's transaction has written what the answers are read from (not yet
    committed, so under no version)."""
    return bool(ASKED_SCOPES & content_version.pending(session))


def forget() -> None:
    """Drop every remembered answer (tests, benchmarks)."""
    MEMO.clear()
