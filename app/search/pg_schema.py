"""The PostgreSQL search tables, text configurations and extensions (PostgreSQL only).

They are not SQLAlchemy models: SQLite never has them, and `create_all` never makes them. The
migration calls `create` on PostgreSQL; the test suite calls it on its PostgreSQL schema.

- search_document: one row per service: weighted English tsvector (name A, need areas, terms and
  organization B, description, eligibility, languages and towns C), its Spanish forms (one
  unweighted vector: it only decides matches), the unstemmed words for typo matching, and the
  facts a search filters, counts and ranks by, as plain columns (app.search.pg_plan): status,
  need areas, towns, languages, last verification (epoch seconds), capacity figures summed up
  as "the latest time a figure said room / waitlist / assessment / anything" (staleness is
  decided at query time against these), and the keys of its eligibility rules.
  A service at exactly one place (most of them) carries that place on its row too (lat, lon,
  unit vector, location id; a btree on (lat, lon)), so a search with a place narrows the rows
  by the text's index and the place's index together (one bitmap AND), and reads no point.
- search_point: each location's point and its unit vector; a btree on (lat, lon) answers the
  bounding box, the vector gives the distance in SQL. `multi`: its service is at several places
  (a partial index on those points: the only ones a search reads row by row).
- search_hours: opening hours, one row per weekday of a schedule (open now in SQL).
- search_rule: every distinct eligibility rule once, by key (a search decides in Python which
  rules refuse the person, with the one matcher, then filters by key in SQL).
- search_word: every word of the searchable text, with a trigram index: typo alternatives and
  "did you mean".
- search_facet: every distinct combination of need areas, towns and languages once, by a hash
  of it (search_document.facet_key): a search counts its rows per combination (a few thousand
  at 50,000 services), then each combination's values, instead of every row's three arrays.

Extensions unaccent and pg_trgm are created in the `public` schema when missing (PostgreSQL's
contrib package); the text configurations live in the current schema.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

TABLES = (
    "search_point",
    "search_hours",
    "search_document",
    "search_word",
    "search_rule",
    "search_facet",
)
SEQUENCES = ("search_document_version",)  # dropped if an older schema left it
EXTENSIONS = ("unaccent", "pg_trgm")
# configuration -> its dictionary after unaccent; partners_plain: lower case, English stop words
CONFIGS = {
    "partners_en": "english_stem",
    "partners_es": "spanish_stem",
    "partners_words": "partners_plain",
}
PG_ONLY_OBJECTS = frozenset(TABLES)


class SearchSchemaMissing(RuntimeError):
    """The PostgreSQL search objects are absent or an extension cannot be installed."""


def extension_schema(conn: Any) -> str:
    """The schema holding pg_trgm and unaccent (both must share it); installs them if missing."""
    found = dict(
        conn.execute(
            text(
                "SELECT e.extname, n.nspname FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = ANY(:names)"
            ),
            {"names": list(EXTENSIONS)},
        ).all()
    )
    for name in EXTENSIONS:
        if name in found:
            continue
        available = conn.execute(
            text("SELECT 1 FROM pg_available_extensions WHERE name = :n"), {"n": name}
        ).first()
        if available is None:
            raise SearchSchemaMissing(
                f"PostgreSQL extension {name} is not available on this server: install "
                "PostgreSQL's contrib package (Debian: postgresql-contrib), or keep "
                "SEARCH_BACKEND=whoosh"
            )
        conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {name} SCHEMA public"))
        found[name] = "public"
    schemas = {found[name] for name in EXTENSIONS}
    if len(schemas) != 1:
        raise SearchSchemaMissing(f"unaccent and pg_trgm are in different schemas: {found}")
    return schemas.pop()


def _config_sql(name: str, stemmer: str, ext: str) -> str:
    return f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}'
                 AND cfgnamespace = current_schema()::regnamespace) THEN
    CREATE TEXT SEARCH CONFIGURATION {name} (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION {name}
      ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
      WITH "{ext}".unaccent, {stemmer};
  END IF;
END $$"""


def create(conn: Any) -> None:
    """Make every search object that is missing (idempotent)."""
    ext = extension_schema(conn)
    conn.execute(
        text(
            """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'partners_plain'
                 AND dictnamespace = current_schema()::regnamespace) THEN
    CREATE TEXT SEARCH DICTIONARY partners_plain (TEMPLATE = simple, STOPWORDS = english);
  END IF;
END $$"""
        )
    )
    for name, stemmer in CONFIGS.items():
        conn.execute(text(_config_sql(name, stemmer, ext)))
    fresh = not present(conn)
    for statement in table_statements() + index_statements(ext):
        conn.execute(text(statement.replace("{t}", "")))
    if fresh:
        for statement in constraint_statements():
            conn.execute(text(statement.replace("{t}", "")))


# The columns of search_document after its key (app.search.pg_build fills them).
DOCUMENT_COLUMNS = (
    # what every search reads of every matching row first (a row is read from its start: the
    # wide text vectors last)
    "status varchar(20) NOT NULL",
    # the service's place when it has exactly one (else NULL: its points are in search_point)
    "lat float8",
    "lon float8",
    "x float8",
    "y float8",
    "z float8",
    "verified float8",  # epoch seconds
    "cap_count integer NOT NULL",
    "cap_room float8",
    "cap_waitlist float8",
    "cap_assessment float8",
    "cap_any float8",
    "facet_key bytea NOT NULL",  # search_facet.key of (need_areas, town_names, languages)
    "service_id varchar(36) NOT NULL",
    "location_id varchar(36)",
    "rule_keys text[] NOT NULL",
    "tsv tsvector NOT NULL",
    "tsv_es tsvector NOT NULL",
    "spell tsvector NOT NULL",
    "need_areas text[] NOT NULL",
    "languages text[] NOT NULL",
    "towns text[] NOT NULL",  # lower case: the filter
    "town_names text[] NOT NULL",  # as written: the facet
)


def table_statements() -> list[str]:
    """CREATE TABLE statements; "{t}" stands for the schema prefix (empty: the current one)."""
    columns = ",\n            ".join(DOCUMENT_COLUMNS)
    return [
        f"""CREATE TABLE IF NOT EXISTS {{t}}search_document (
            doc bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            {columns},
            CONSTRAINT search_document_service_id_key UNIQUE (service_id)
        )""",
        """CREATE TABLE IF NOT EXISTS {t}search_point (
            doc bigint NOT NULL,
            location_id varchar(36) NOT NULL,
            lat double precision NOT NULL,
            lon double precision NOT NULL,
            x double precision NOT NULL,
            y double precision NOT NULL,
            z double precision NOT NULL,
            multi boolean NOT NULL DEFAULT false
        )""",
        """CREATE TABLE IF NOT EXISTS {t}search_hours (
            doc bigint NOT NULL,
            day varchar(2) NOT NULL,
            opens time NOT NULL,
            closes time NOT NULL,
            valid_from date,
            valid_to date
        )""",
        """CREATE TABLE IF NOT EXISTS {t}search_rule (
            key text PRIMARY KEY,
            criterion text NOT NULL,
            answer text NOT NULL,
            vals text[] NOT NULL,
            min_age integer,
            max_age integer,
            strict boolean NOT NULL DEFAULT false
        )""",
        "CREATE TABLE IF NOT EXISTS {t}search_word (word text PRIMARY KEY)",
        """CREATE TABLE IF NOT EXISTS {t}search_facet (
            key bytea PRIMARY KEY,
            need_areas text[] NOT NULL,
            town_names text[] NOT NULL,
            languages text[] NOT NULL
        )""",
    ]


def constraint_statements() -> list[str]:
    """Points and hours go with their row (added after a bulk load: one check, not one each)."""
    return [
        f"ALTER TABLE {{t}}{table} ADD CONSTRAINT {table}_doc_fkey FOREIGN KEY (doc) "
        "REFERENCES {t}search_document (doc) ON DELETE CASCADE"
        for table in ("search_point", "search_hours")
    ]


def index_statements(ext: str) -> list[str]:
    """The secondary indexes (a rebuild makes them after its bulk load); "{t}" as above."""
    gin = ("tsv", "tsv_es", "spell", "need_areas", "languages", "towns")
    return [
        *(
            f"CREATE INDEX IF NOT EXISTS search_document_{column} ON {{t}}search_document "
            f"USING gin ({column})"
            for column in gin
        ),
        # a service at one place: its row by the bounding box (ANDed with the text's bitmap)
        "CREATE INDEX IF NOT EXISTS search_document_lat_lon ON {t}search_document (lat, lon)",
        # the bounding box, answered from the index alone: every point (the places near the
        # radius's edge), and the points of services at several places
        "CREATE INDEX IF NOT EXISTS search_point_lat_lon ON {t}search_point (lat, lon) "
        "INCLUDE (doc, location_id, x, y, z)",
        "CREATE INDEX IF NOT EXISTS search_point_multi ON {t}search_point (lat, lon) "
        "INCLUDE (doc, location_id, x, y, z) WHERE multi",
        "CREATE INDEX IF NOT EXISTS search_point_doc ON {t}search_point (doc)",
        "CREATE INDEX IF NOT EXISTS search_hours_doc ON {t}search_hours (doc)",
        f"CREATE INDEX IF NOT EXISTS search_word_trgm ON {{t}}search_word "
        f'USING gin (word "{ext}".gin_trgm_ops)',
    ]


def remake(conn: Any) -> None:
    """The search tables made anew and empty (a migration whose columns or indexes changed:
    the rows are derived data, filled again from the catalog)."""
    for table in TABLES:
        conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    create(conn)


def drop(conn: Any) -> None:
    """Remove the search objects (the extensions stay: other schemas may use them)."""
    for table in TABLES:
        conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    for sequence in SEQUENCES:
        conn.execute(text(f"DROP SEQUENCE IF EXISTS {sequence}"))
    for name in CONFIGS:
        conn.execute(text(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}"))
    conn.execute(text("DROP TEXT SEARCH DICTIONARY IF EXISTS partners_plain"))


def present(conn: Any) -> bool:
    return conn.execute(text("SELECT to_regclass('search_document') IS NOT NULL")).scalar_one()
