"""The PostgreSQL search backend: search rows written in the catalog change's own transaction.

Why: with several web servers on one database, a search must see every committed change at
once, on every server. So there is no queue and no index folder: app.search.sync calls `write`
from the session's before_commit hook with the services the transaction changed, and their
search rows (app.search.pg_schema) commit or roll back with the change itself.

`rebuild` replaces every row in one transaction (readers keep seeing the old rows until it
commits); `flask search rebuild` runs it, never a request.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import text

from app.search import pg_schema

log = logging.getLogger(__name__)

_TSV = (
    "setweight(to_tsvector('{cfg}', {p}title), 'A') || "
    "setweight(to_tsvector('{cfg}', {p}tags), 'B') || "
    "setweight(to_tsvector('{cfg}', {p}body), 'C')"
)

# Spanish forms only decide matches (ts_rank reads the English vector): one unweighted vector
_ES = "to_tsvector('partners_es', concat_ws(' ', {p}title, {p}tags, {p}body))"

UPSERT = f"""
INSERT INTO search_document AS d
    (service_id, version, status, tsv, tsv_es, spell, need_areas, languages, towns, facts)
VALUES (:id, nextval('search_document_version'), :status,
    {_TSV.format(cfg="partners_en", p=":")}, {_ES.format(p=":")},
    to_tsvector('partners_words', :spell),
    CAST(:need_areas AS text[]), CAST(:languages AS text[]), CAST(:towns AS text[]), :facts)
ON CONFLICT (service_id) DO UPDATE SET
    version = excluded.version, status = excluded.status, tsv = excluded.tsv,
    tsv_es = excluded.tsv_es, spell = excluded.spell, need_areas = excluded.need_areas,
    languages = excluded.languages, towns = excluded.towns, facts = excluded.facts
RETURNING doc
"""


def _row(doc: dict[str, Any]) -> dict[str, Any]:
    """The SQL parameters of one indexed document (app.search.documents)."""
    facts = doc["facts"]
    return {
        "id": doc["id"],
        "status": doc["status"],
        "title": doc["title"],
        "tags": doc["tags"],
        "body": doc["body"],
        "spell": doc["spell"],
        "need_areas": [c for c in doc["need_areas"].lower().split(",") if c],
        "languages": [c for c in doc["languages"].split(",") if c],
        "towns": [t for t in doc["towns"].split(",") if t],
        "facts": facts.decode("utf-8") if isinstance(facts, bytes) else facts,
    }


def _points(doc: dict[str, Any]) -> list[list[Any]]:
    facts = doc["facts"]
    return json.loads(facts).get("p", [])


def write(session: Any, ids: Iterable[str]) -> int:
    """Upsert the search rows of these services from the session's current state (uncommitted
    changes included); rows of services no longer there are deleted. Returns rows written."""
    from app.search.documents import documents

    ids = sorted(set(ids))
    if not ids:
        return 0
    conn = session.connection()
    written: set[str] = set()
    points: list[dict[str, Any]] = []
    docs: list[int] = []
    all_spell: list[str] = []
    for doc in documents(ids):
        number = conn.execute(text(UPSERT), _row(doc)).scalar_one()
        written.add(doc["id"])
        docs.append(number)
        all_spell.append(doc["spell"])
        points.extend(
            {"doc": number, "loc": loc, "lat": lat, "lon": lon} for loc, lat, lon in _points(doc)
        )
    gone = [i for i in ids if i not in written]
    if gone:
        conn.execute(
            text("DELETE FROM search_document WHERE service_id = ANY(:ids)"), {"ids": gone}
        )
    if docs:
        conn.execute(text("DELETE FROM search_point WHERE doc = ANY(:docs)"), {"docs": docs})
    if points:
        conn.execute(
            text(
                "INSERT INTO search_point (doc, location_id, lat, lon) "
                "VALUES (:doc, :loc, :lat, :lon)"
            ),
            points,
        )
    if all_spell:
        conn.execute(
            text(
                "INSERT INTO search_word (word) SELECT DISTINCT lexeme "
                "FROM unnest(to_tsvector('partners_words', :spell)) ON CONFLICT DO NOTHING"
            ),
            {"spell": " ".join(all_spell)},
        )
    return len(written)


def rebuild(session: Any) -> int:
    """Every search row anew from the catalog, in the caller's transaction (it commits)."""
    from sqlalchemy import select

    from app.directory.models import Service
    from app.search.documents import documents

    conn = session.connection()
    conn.execute(text("SET LOCAL gin_pending_list_limit = '64MB'"))  # fewer GIN merges
    conn.execute(text("DELETE FROM search_point"))
    conn.execute(text("DELETE FROM search_document"))
    conn.execute(text("DELETE FROM search_word"))
    ids = list(session.scalars(select(Service.id).order_by(Service.id)))
    batch: list[dict[str, Any]] = []
    count = 0

    def flush() -> None:
        if batch:
            _bulk_insert(conn, batch)
            batch.clear()

    for doc in documents(ids):
        batch.append(doc)
        count += 1
        if len(batch) >= 2000:
            flush()
    flush()
    conn.execute(
        text(
            "INSERT INTO search_word (word) SELECT word FROM ts_stat("
            "'SELECT spell FROM search_document') ON CONFLICT DO NOTHING"
        )
    )
    conn.execute(text("ANALYZE search_document"))
    conn.execute(text("ANALYZE search_point"))
    return count


def _bulk_insert(conn: Any, docs: list[dict[str, Any]]) -> None:
    """Many documents in three statements: a JSON array unpacked on the server."""
    rows = [_row(doc) for doc in docs]
    payload = json.dumps(rows)
    tsv_en = _TSV.format(cfg="partners_en", p="r.")
    tsv_es = _ES.format(p="r.")
    conn.execute(
        text(
            "INSERT INTO search_document (service_id, status, tsv, tsv_es, spell, need_areas, "
            "languages, towns, facts) "
            f"SELECT r.id, r.status, {tsv_en}, {tsv_es}, to_tsvector('partners_words', r.spell), "
            "r.need_areas, r.languages, r.towns, r.facts "
            "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id text, status text, "
            "title text, tags text, body text, spell text, need_areas text[], "
            "languages text[], towns text[], facts text)"
        ),
        {"rows": payload},
    )
    points = [
        {"id": doc["id"], "loc": loc, "lat": lat, "lon": lon}
        for doc in docs
        for loc, lat, lon in _points(doc)
    ]
    if points:
        conn.execute(
            text(
                "INSERT INTO search_point (doc, location_id, lat, lon) "
                "SELECT d.doc, p.loc, p.lat, p.lon FROM jsonb_to_recordset(CAST(:points AS jsonb)) "
                "AS p(id text, loc text, lat float8, lon float8) "
                "JOIN search_document d ON d.service_id = p.id"
            ),
            {"points": json.dumps(points)},
        )


class PostgresBackend:
    """Search rows in the application's PostgreSQL database (see the module docstring)."""

    def _session(self) -> Any:
        from app.extensions import db

        return db.session

    def rebuild(self) -> int:
        session = self._session()
        count = rebuild(session)
        session.commit()
        return count

    def update(self, ids: Iterable[str]) -> None:
        session = self._session()
        write(session, ids)
        session.commit()

    def delete(self, ids: Iterable[str]) -> None:
        session = self._session()
        session.execute(
            text("DELETE FROM search_document WHERE service_id = ANY(:ids)"), {"ids": list(ids)}
        )
        session.commit()

    def run(self, action: Callable[[Any], object]) -> object:
        """Run `action` on a view of the committed rows (and this transaction's own)."""
        from app.search.pg_view import PostgresView
        from app.search.rebuild import IndexUnavailable

        session = self._session()
        ext = extension_schema_of(session)
        if ext is None:
            raise IndexUnavailable(
                "unusable", "the PostgreSQL search tables are missing: run `flask db upgrade`"
            )
        # psycopg prepares a statement after five runs, and PostgreSQL may then switch to a
        # generic plan that ignores the actual box or filter values (30-40 ms for a geo search
        # with no hit): plan each search statement for its own values.
        session.execute(text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"))
        return action(PostgresView(session, ext))


def has_rows(session: Any) -> bool:
    return session.execute(text("SELECT EXISTS (SELECT 1 FROM search_document)")).scalar_one()


_ext_schema: dict[Any, str] = {}


def extension_schema_of(session: Any) -> str | None:
    """The schema of pg_trgm for this engine, once the search tables exist (else None)."""
    engine = session.get_bind()
    found = _ext_schema.get(engine)
    if found is None:
        conn = session.connection()
        if not pg_schema.present(conn):
            return None
        found = conn.execute(
            text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
            )
        ).scalar_one()
        _ext_schema[engine] = found
    return found
