"""Where import rows come from: a datapackage folder, a zip of one, or an HSDS JSON file.

Each table can be read more than once (validation first, then writing), so a 50,000-service
package is streamed from disk twice instead of held in memory.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.interop.hsds_schema import load_datapackage
from app.interop.tables import NOT_HELD, resources

Row = tuple[int | str, dict[str, str]]


class SourceError(ValueError):
    """The input cannot be read at all (missing path, bad zip, broken JSON)."""


@dataclass
class SourceTable:
    file: str
    header: list[str] | None  # None for rows built from JSON (every field may appear)
    read: Callable[[], Iterator[Row]]


@dataclass
class Source:
    tables: dict[str, SourceTable] = field(default_factory=dict)
    not_held: list[tuple[str, str, int]] = field(default_factory=list)  # file, what, rows
    notes: list[tuple[str, str]] = field(default_factory=list)  # file, warning


def _csv_rows(opener: Callable[[], io.TextIOBase], header: list[str]) -> Iterator[Row]:
    with opener() as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            row = dict(zip(header, values, strict=False))
            if len(values) > len(header):
                row["__extra__"] = "1"
            yield number, row


def _header(opener: Callable[[], io.TextIOBase]) -> list[str]:
    with opener() as handle:
        return [h.strip() for h in next(csv.reader(handle), [])]


def _count(opener: Callable[[], io.TextIOBase]) -> int:
    with opener() as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def _paths_from_package(text: str | None, file: str, source: Source) -> dict[str, str]:
    """resource name -> path, from a datapackage.json when it is usable."""
    if text is None:
        return {}
    try:
        package = json.loads(text)
        return {r["name"]: r["path"] for r in package["resources"]}
    except (ValueError, KeyError, TypeError):
        source.notes.append((file, "not a readable datapackage; files found by their HSDS names"))
        return {}


def _build(names: dict[str, Callable[[], io.TextIOBase]], package: str | None) -> Source:
    source = Source()
    paths = {r.name: r.path for r in resources()}
    paths.update(_paths_from_package(package, "datapackage.json", source))
    for name in [r.name for r in resources()]:
        path = paths[name]
        opener = names.get(PurePosixPath(path).name)
        if opener is None:
            continue
        header = _header(opener)
        source.tables[name] = SourceTable(
            PurePosixPath(path).name, header, lambda o=opener, h=header: _csv_rows(o, h)
        )
    spec_paths = {r["name"]: r["path"] for r in load_datapackage()["resources"]}
    for name, what in NOT_HELD.items():
        candidate = PurePosixPath(paths.get(name) or spec_paths[name]).name
        if candidate in names:
            source.not_held.append((candidate, what, _count(names[candidate])))
    return source


def _folder(path: Path) -> Source:
    files = {p.name: p for p in path.iterdir() if p.is_file()}

    def opener(p: Path) -> Callable[[], io.TextIOBase]:
        return lambda: p.open(newline="", encoding="utf-8-sig")

    names = {n: opener(p) for n, p in files.items() if n.endswith(".csv")}
    package = files.get("datapackage.json")
    return _build(names, package.read_text(encoding="utf-8-sig") if package else None)


def _zip(path: Path) -> Source:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path.name} is not a zip file") from exc
    members = {
        PurePosixPath(m).name: m
        for m in archive.namelist()
        if not m.endswith("/") and "__MACOSX" not in m
    }

    def opener(member: str) -> Callable[[], io.TextIOBase]:
        def open_() -> io.TextIOBase:
            with zipfile.ZipFile(path) as again:
                return io.StringIO(again.read(member).decode("utf-8-sig"), newline="")

        return open_

    names = {n: opener(m) for n, m in members.items() if n.endswith(".csv")}
    package = members.get("datapackage.json")
    text = archive.read(package).decode("utf-8-sig") if package else None
    archive.close()
    return _build(names, text)


def _json(path: Path) -> Source:
    from app.interop.json_source import flatten

    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".ndjson":
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
    except ValueError as exc:
        raise SourceError(f"{path.name} is not valid JSON: {exc}") from exc
    source = Source()
    for name, rows in flatten(data).items():
        source.tables[name] = SourceTable(path.name, None, lambda r=rows: iter(r))
    return source


def open_source(path: str | Path) -> Source:
    path = Path(path)
    if path.is_dir():
        return _folder(path)
    if not path.exists():
        raise SourceError(f"{path} does not exist")
    if path.suffix.lower() == ".zip":
        return _zip(path)
    if path.suffix.lower() in (".json", ".ndjson"):
        return _json(path)
    raise SourceError(f"{path.name}: give a datapackage folder, a .zip or an HSDS .json file")
