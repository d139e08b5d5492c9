"""Where import rows come from: a datapackage folder, a zip of one, or an HSDS JSON file.

Each table can be read more than once (validation first, then writing), so a 50,000-service
package is streamed from disk twice instead of held in memory. Every file is read through a byte
counter (sizes in zip headers can lie): a file over HSDS_IMPORT_MAX_FILE_BYTES or a zip over
HSDS_IMPORT_MAX_TOTAL_BYTES stops the import with a message naming it. Text must be UTF-8, with
or without BOM.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from flask import current_app, has_app_context

from app.interop.hsds_schema import load_datapackage
from app.interop.tables import NOT_HELD, resources
from app.safe_csv import restore

Row = tuple[int | str, dict[str, str]]
Opener = Callable[[], "_Lines"]


MAX_FILE_BYTES = 100 * 2**20
MAX_TOTAL_BYTES = 300 * 2**20
MAX_JSON_DEPTH = 64
MAX_CELL = 128 * 2**10
CR_ALONE = re.compile(r"(?<=\r)(?!\n)")
TOO_LONG = "has a cell longer than 128 KB; no HSDS field needs that much"
NOT_UTF8 = "is not UTF-8 text; save it as UTF-8 (with or without BOM) and import again"
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


class SourceError(ValueError):
    """The input cannot be read (missing path, bad zip, broken JSON, too large, not UTF-8).
    `file` and `row` say where, when known, for the import report."""

    def __init__(self, message: str, file: str | None = None, row: int | None = None) -> None:
        where = f"{file}, row {row}: " if file and row else f"{file}: " if file else ""
        super().__init__(where + message)
        self.file, self.row, self.message = file, row, message


def _limit(name: str, default: int) -> int:
    return (current_app.config.get(name) if has_app_context() else None) or default


class _Counted(io.RawIOBase):
    """A byte stream that refuses to give more than `cap` bytes (and tells `total` its count)."""

    def __init__(self, raw: IO[bytes], file: str, cap: int, total: _Total) -> None:
        self.raw, self.file, self.cap, self.total, self.count = raw, file, cap, total, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.raw.read(len(buffer))
        except ZIP_READ_ERRORS as exc:
            raise SourceError(f"cannot be read from the zip: {exc}", self.file) from exc
        self.count += len(data)
        if self.count > self.cap:
            raise SourceError(f"is larger than {self.cap // 2**20} MB", self.file)
        self.total.saw(self.file, self.count)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass
class _Total:
    """The bytes seen per file (the largest of its reads); their sum must stay under `cap`."""

    cap: int
    seen: dict[str, int] = field(default_factory=dict)

    def saw(self, file: str, count: int) -> None:
        if count > self.seen.get(file, 0):
            self.seen[file] = count
            if sum(self.seen.values()) > self.cap:
                raise SourceError(f"the files together are larger than {self.cap // 2**20} MB")


class _Lines:
    """The UTF-8 text lines of a counted byte stream (a BOM dropped). Decoding line by line lets
    a byte that is not UTF-8 be reported with its row."""

    def __init__(self, raw: IO[bytes], file: str, total: _Total) -> None:
        cap = _limit("HSDS_IMPORT_MAX_FILE_BYTES", MAX_FILE_BYTES)
        self.stream = io.BufferedReader(_Counted(raw, file, cap, total))

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def __iter__(self) -> Iterator[str]:
        for number, line in enumerate(self.stream):
            text = (line.removeprefix(codecs.BOM_UTF8) if number == 0 else line).decode("utf-8")
            if "\r" in text:  # old Mac line ends (CR alone), as universal newlines would read them
                yield from (part for part in CR_ALONE.split(text) if part)
            else:
                yield text

    def read(self) -> str:
        return "".join(self)


def _new_total() -> _Total:
    return _Total(_limit("HSDS_IMPORT_MAX_TOTAL_BYTES", MAX_TOTAL_BYTES))


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
    # severity, file, row (a JSON pointer), column, message: found while reading JSON
    problems: list[tuple[str, str, str, str | None, str]] = field(default_factory=list)


def _records(opener: Opener, file: str) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells), the header being record 1; unreadable text stops with its row."""
    with opener() as handle:
        reader = csv.reader(handle)
        number = 0
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise SourceError(NOT_UTF8, file, number) from None
            except csv.Error as exc:
                message = TOO_LONG if "field limit" in str(exc) else str(exc)
                raise SourceError(message, file, number) from None
            if any(len(v) > MAX_CELL for v in values):  # csv's limit is global; others raise it
                raise SourceError(TOO_LONG, file, number)
            yield number, values


def _csv_rows(opener: Opener, header: list[str], file: str) -> Iterator[Row]:
    for number, values in _records(opener, file):
        if number == 1 or not any(v.strip() for v in values):
            continue
        row = dict(zip(header, [restore(v) for v in values], strict=False))
        if len(values) > len(header):
            row["__extra__"] = "1"
        yield number, row


def _header(opener: Opener, file: str) -> list[str]:
    first = next(_records(opener, file), (1, []))[1]
    return [h.strip() for h in first]


def _count(opener: Opener, file: str) -> int:
    return max(0, sum(1 for _ in _records(opener, file)) - 1)


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


def _build(names: dict[str, Opener], package: str | None) -> Source:
    source = Source()
    paths = {r.name: r.path for r in resources()}
    paths.update(_paths_from_package(package, "datapackage.json", source))
    for name in [r.name for r in resources()]:
        path = paths[name]
        opener = names.get(PurePosixPath(path).name)
        if opener is None:
            continue
        file = PurePosixPath(path).name
        header = _header(opener, file)
        source.tables[name] = SourceTable(
            file, header, lambda o=opener, h=header, f=file: _csv_rows(o, h, f)
        )
    spec_paths = {r["name"]: r["path"] for r in load_datapackage()["resources"]}
    for name, what in NOT_HELD.items():
        candidate = PurePosixPath(paths.get(name) or spec_paths[name]).name
        if candidate in names:
            source.not_held.append((candidate, what, _count(names[candidate], candidate)))
    return source


def _unique_names(paths: list[str], where: str) -> dict[str, str]:
    """File name -> path; two that would read as the same file make the input ambiguous."""
    names: dict[str, str] = {}
    seen: dict[str, str] = {}
    for path in paths:
        name = unicodedata.normalize("NFC", PurePosixPath(path).name)
        key = name.casefold()
        if key in seen:
            raise SourceError(f"holds both {seen[key]} and {path}, which name the same file; "
                              "keep one and import again", where)  # fmt: skip
        seen[key], names[name] = path, path
    return names


def _read_all(opener: Opener, file: str) -> str:
    try:
        with opener() as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise SourceError(NOT_UTF8, file) from None


def _folder(path: Path) -> Source:
    files = _unique_names([p.name for p in path.iterdir() if p.is_file()], path.name)
    total = _new_total()

    def opener(name: str) -> Opener:
        return lambda: _Lines((path / name).open("rb"), name, total)

    names = {n: opener(p) for n, p in files.items() if n.endswith(".csv")}
    package = files.get("datapackage.json")
    text = _read_all(opener(package), package) if package else None
    return _build(names, text)


def _zip(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [
                i for i in archive.infolist() if not i.is_dir() and "__MACOSX" not in i.filename
            ]
    except ZIP_READ_ERRORS as exc:
        raise SourceError("is not a zip file", path.name) from exc
    cap = _limit("HSDS_IMPORT_MAX_FILE_BYTES", MAX_FILE_BYTES)
    total = _new_total()
    for info in infos:
        if info.file_size > cap:
            raise SourceError(f"is larger than {cap // 2**20} MB", info.filename)
    if sum(i.file_size for i in infos) > total.cap:
        raise SourceError(f"unpacks to more than {total.cap // 2**20} MB", path.name)
    members = _unique_names([i.filename for i in infos], path.name)

    def opener(name: str, member: str) -> Opener:
        def open_() -> _Lines:
            archive = zipfile.ZipFile(path)
            try:
                raw = archive.open(member)
            except ZIP_READ_ERRORS as exc:
                archive.close()
                raise SourceError(f"cannot be read from the zip: {exc}", name) from exc
            archive.close()  # the member stream keeps the file open until it is closed
            return _Lines(raw, name, total)

        return open_

    names = {n: opener(n, m) for n, m in members.items() if n.endswith(".csv")}
    package = members.get("datapackage.json")
    text = _read_all(opener("datapackage.json", package), "datapackage.json") if package else None
    return _build(names, text)


def _depth(data: Any) -> int:
    """How deeply arrays and objects nest (without recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, level + 1) for item in items)
    return deepest


def _json(path: Path) -> Source:
    """A JSON document, or one per line (.ndjson); `null` or nothing at all is no HSDS."""
    from app.interop.json_source import flatten

    total = _new_total()
    text = _read_all(lambda: _Lines(path.open("rb"), path.name, total), path.name)
    data: Any = None
    try:
        if path.suffix.lower() == ".ndjson":
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
    except RecursionError:
        pass  # reported below, like any JSON nested too deeply
    except ValueError as exc:
        raise SourceError(f"is not valid JSON: {exc}", path.name) from exc
    if data is None or _depth(data) > MAX_JSON_DEPTH:
        raise SourceError("holds no HSDS objects, or nests them more than "
                          f"{MAX_JSON_DEPTH} levels deep", path.name)  # fmt: skip
    source = Source()
    flat = flatten(data)
    for name, rows in flat.rows.items():
        source.tables[name] = SourceTable(path.name, None, lambda r=rows: iter(r))
    source.not_held = [(path.name, what, count) for what, count in sorted(flat.not_held.items())]
    source.problems = [(severity, path.name, row, column, message)
                       for severity, row, column, message in flat.problems]  # fmt: skip
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
