"""Reading the CSV files of a 1.x datapackage (folder or zip) into rows.

Older exports are often not clean UTF-8: a BOM is dropped; a line that is not UTF-8 is read as
Windows-1252 (what Excel on Windows writes) and reported with its row, so someone can check the
accents. Sizes are capped with the same settings as the 3.x import.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.interop.sources import (
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    ZIP_READ_ERRORS,
    SourceError,
    _limit,
)
from app.safe_csv import restore


@dataclass
class LegacyFile:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (record number, header being 1; cells by column)
    cp1252_rows: list[int] = field(default_factory=list)
    ragged_rows: list[int] = field(default_factory=list)  # more cells than the header


@dataclass
class Package:
    files: dict[str, Callable[[], bytes]]  # file name -> its bytes
    descriptor: bytes | None = None

    def names(self) -> set[str]:
        return set(self.files)

    def read(self, name: str) -> LegacyFile | None:
        if name not in self.files:
            return None
        return parse(name, self.files[name]())


def _decode(data: bytes) -> tuple[list[str], set[int]]:
    """Text lines (line ends kept) and the numbers (1-based) of lines read as Windows-1252."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8").splitlines(keepends=True), set()
    except UnicodeDecodeError:
        pass
    lines, odd = [], set()
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("cp1252", errors="replace"))
            odd.add(number)
    return lines, odd


def parse(name: str, data: bytes) -> LegacyFile:
    lines, odd = _decode(data)
    reader = csv.reader(io.StringIO("".join(lines), newline=""))
    header: list[str] | None = None
    out = LegacyFile(name, [], [])
    number, last_line = 0, 0
    try:
        for values in reader:
            number += 1
            first_line, last_line = last_line + 1, reader.line_num
            if odd & set(range(first_line, last_line + 1)):
                out.cp1252_rows.append(number)
            if header is None:
                header = [h.strip().lower() for h in values]
                out.header = header
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                out.ragged_rows.append(number)
                continue
            out.rows.append((number, dict(zip(header, [restore(v) for v in values], strict=False))))
    except csv.Error as exc:
        raise SourceError(str(exc), name, number + 1) from None
    return out


def _folder(path: Path) -> Package:
    cap = _limit("HSDS_IMPORT_MAX_FILE_BYTES", MAX_FILE_BYTES)
    files: dict[str, Callable[[], bytes]] = {}
    descriptor = None
    total = 0
    for item in sorted(path.iterdir()):
        if not item.is_file():
            continue
        size = item.stat().st_size
        if size > cap:
            raise SourceError(f"is larger than {cap // 2**20} MB", item.name)
        total += size
        if item.name.lower() == "datapackage.json":
            descriptor = item.read_bytes()
        elif item.suffix.lower() == ".csv":
            files[item.name.lower()] = item.read_bytes
    cap_total = _limit("HSDS_IMPORT_MAX_TOTAL_BYTES", MAX_TOTAL_BYTES)
    if total > cap_total:  # the same messages as the 3.x reader (app.interop.sources)
        raise SourceError(f"the files together are larger than {cap_total // 2**20} MB")
    return Package(files, descriptor)


def _zip(path: Path) -> Package:
    cap = _limit("HSDS_IMPORT_MAX_FILE_BYTES", MAX_FILE_BYTES)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist()
                     if not i.is_dir() and "__MACOSX" not in i.filename]  # fmt: skip
    except ZIP_READ_ERRORS as exc:
        raise SourceError("is not a zip file", path.name) from exc
    for info in infos:  # the same checks and messages as the 3.x reader (app.interop.sources)
        if info.file_size > cap:
            raise SourceError(f"is larger than {cap // 2**20} MB", info.filename)
    cap_total = _limit("HSDS_IMPORT_MAX_TOTAL_BYTES", MAX_TOTAL_BYTES)
    if sum(i.file_size for i in infos) > cap_total:
        raise SourceError(f"unpacks to more than {cap_total // 2**20} MB", path.name)

    def member(info: zipfile.ZipInfo) -> Callable[[], bytes]:
        def read() -> bytes:
            if info.file_size > cap:
                raise SourceError(f"is larger than {cap // 2**20} MB", info.filename)
            try:
                with zipfile.ZipFile(path) as archive, archive.open(info) as handle:
                    data = handle.read(cap + 1)
            except ZIP_READ_ERRORS as exc:
                raise SourceError(f"cannot be read from the zip: {exc}", info.filename) from exc
            if len(data) > cap:
                raise SourceError(f"is larger than {cap // 2**20} MB", info.filename)
            return data

        return read

    files: dict[str, Callable[[], bytes]] = {}
    descriptor = None
    for info in infos:
        name = PurePosixPath(info.filename).name.lower()
        if name == "datapackage.json":
            descriptor = member(info)()
        elif name.endswith(".csv"):
            files[name] = member(info)
    return Package(files, descriptor)


def open_package(path: str | Path) -> Package | None:
    """The CSV files of a folder or zip; None for anything else (a JSON file)."""
    path = Path(path)
    if path.is_dir():
        return _folder(path)
    if path.suffix.lower() == ".zip" and path.exists():
        return _zip(path)
    return None
