"""Loading restricted sites from CSV or GeoJSON: every row or feature checked first, and
either all are saved or none (the problems name the row or feature and the field).

CSV: a header row with kind, name, town, and either latitude + longitude (a point) or a
geometry column holding WKT (POINT / POLYGON / MULTIPOLYGON) or a GeoJSON geometry.
GeoJSON: a FeatureCollection of Point, Polygon or MultiPolygon features whose properties
hold kind, name and town.

A site already loaded (same kind, name and town) gets the new shape, so loading the same
file twice adds nothing; `replace=True` also removes every site the file does not list.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from sqlalchemy import delete, select

from app.common import new_id, utcnow
from app.extensions import db
from app.residency.geometry import GeometryError, Shape, parse_geojson, parse_wkt
from app.residency.models import RestrictedSite
from app.residency.vocabulary import SiteKind

KIND_WORDS = ", ".join(k.label for k in SiteKind if k is not SiteKind.OTHER) + " or other"
GEOMETRY_COLUMNS = ("geometry", "wkt", "geojson")
MAX_SITES = 200_000


@dataclass(frozen=True)
class SiteRow:
    kind: SiteKind
    name: str
    town: str | None
    shape: Shape


@dataclass(frozen=True)
class Problem:
    where: str  # "row 3" / "feature 2"
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


class LoadError(ValueError):
    """The file was not loaded; `problems` lists each row or feature and field at fault."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class LoadSummary:
    added: int
    updated: int
    removed: int

    def __str__(self) -> str:
        text = f"{self.added} sites added, {self.updated} updated"
        return text + (f", {self.removed} removed" if self.removed else "")


def _common(where: str, kind: object, name: object, town: object, problems: list[Problem]):  # noqa: ANN202
    parsed = SiteKind.parse(str(kind or ""))
    if parsed is None:
        problems.append(Problem(where, "kind", f"{kind!r} is not a kind of site ({KIND_WORDS})"))
    name_text = str(name or "").strip()
    if not name_text:
        problems.append(Problem(where, "name", "a name is needed"))
    elif len(name_text) > 250:
        problems.append(Problem(where, "name", "at most 250 characters"))
    town_text = str(town or "").strip() or None
    return parsed, name_text, town_text


def parse_csv(text: str) -> list[SiteRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in ("kind", "name") if c not in header]
    geometry_column = next((c for c in GEOMETRY_COLUMNS if c in header), None)
    if geometry_column is None and not {"latitude", "longitude"} <= set(header):
        missing.append("latitude and longitude (or geometry)")
    if missing:
        raise LoadError([Problem("header", c, "column missing") for c in missing])
    rows, problems = [], []
    for number, record in enumerate(reader, start=2):  # row 1 is the header
        where = f"row {number}"
        kind, name, town = _common(
            where, record.get("kind"), record.get("name"), record.get("town"), problems
        )
        shape = _row_shape(where, record, geometry_column, problems)
        if kind and name and shape:
            rows.append(SiteRow(kind, name, town, shape))
    if problems:
        raise LoadError(problems)
    return rows


def _row_shape(
    where: str, record: dict, column: str | None, problems: list[Problem]
) -> Shape | None:
    text = (record.get(column) or "").strip() if column else ""
    try:
        if text:
            return parse_geojson(text) if text.startswith("{") else parse_wkt(text)
        lat, lon = (record.get("latitude") or "").strip(), (record.get("longitude") or "").strip()
        if not lat or not lon:
            field = "latitude" if not lat else "longitude"
            problems.append(Problem(where, field, "a position (or a geometry) is needed"))
            return None
        try:
            return parse_geojson({"type": "Point", "coordinates": [float(lon), float(lat)]})
        except ValueError:
            bad = "latitude" if not _number(lat) else "longitude"
            problems.append(Problem(where, bad, "not a number"))
            return None
    except GeometryError as error:
        problems.append(Problem(where, column or "latitude", str(error)))
        return None


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_geojson_file(text: str) -> list[SiteRow]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise LoadError(
            [Problem("file", "JSON", f"not valid JSON ({error.msg}, line {error.lineno})")]
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise LoadError([Problem("file", "type", "a GeoJSON FeatureCollection is needed")])
    features = data.get("features")
    if not isinstance(features, list):
        raise LoadError([Problem("file", "features", "a list of features is needed")])
    rows, problems = [], []
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict):
            problems.append(Problem(where, "feature", "not a GeoJSON feature"))
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(Problem(where, "properties", "must be an object"))
            props = {}
        if props.get("name"):
            where = f"feature {number} ({str(props['name'])[:60]})"
        kind, name, town = _common(
            where, props.get("kind"), props.get("name"), props.get("town"), problems
        )
        try:
            shape = parse_geojson(feature.get("geometry"))
        except GeometryError as error:
            problems.append(Problem(where, "geometry", str(error)))
            shape = None
        if kind and name and shape:
            rows.append(SiteRow(kind, name, town, shape))
    if problems:
        raise LoadError(problems)
    return rows


def parse_file(text: str, filename: str) -> list[SiteRow]:
    """By the file's name: .csv, or .geojson / .json."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        rows = parse_csv(text)
    elif lower.endswith((".geojson", ".json")):
        rows = parse_geojson_file(text)
    else:
        raise LoadError([Problem("file", "name", "a .csv, .geojson or .json file is needed")])
    if len(rows) > MAX_SITES:
        raise LoadError([Problem("file", "rows", f"at most {MAX_SITES:,} sites in one file")])
    return rows


def save_sites(rows: list[SiteRow], source: str, *, replace: bool = False) -> LoadSummary:
    """Add or update the sites (same kind, name and town = the same site); flush only."""

    def key(kind: SiteKind, name: str, town: str | None) -> tuple:
        return kind, name.casefold(), (town or "").casefold()

    existing = {key(s.kind, s.name, s.town): s for s in db.session.scalars(select(RestrictedSite))}
    now = utcnow()
    added = updated = 0
    listed: set[str] = set()
    for row in rows:
        site = existing.get(key(row.kind, row.name, row.town))
        if site is None:
            site = RestrictedSite(id=new_id(), kind=row.kind, name=row.name, town=row.town)
            db.session.add(site)
            existing[key(row.kind, row.name, row.town)] = site
            added += 1
        elif site.id not in listed:
            updated += 1
        site.geometry = row.shape.to_geojson()
        site.min_lat, site.min_lon, site.max_lat, site.max_lon = row.shape.bbox()
        site.source, site.loaded_at = source[:250], now
        listed.add(site.id)
    db.session.flush()
    gone = [s.id for s in existing.values() if s.id not in listed] if replace else []
    if gone:
        db.session.execute(delete(RestrictedSite).where(RestrictedSite.id.in_(gone)))
    return LoadSummary(added, updated, len(gone))


def load_file(text: str, filename: str, *, replace: bool = False) -> LoadSummary:
    """Parse, then save all (flush only; the request or command commits)."""
    return save_sites(parse_file(text, filename), filename, replace=replace)
