"""Inputs that must end in a report naming the file, never a traceback or gigabytes of memory:
oversized zip members (declared or real), text that is not UTF-8, a cell over 128 KB, JSON nested
without end, and two zip members that would read as the same file."""

from __future__ import annotations

import json
import shutil
import time
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pytest

from app.directory.models import Service
from app.extensions import db
from app.interop.csv_import import import_path
from tests.interop.hsds_helpers import EXAMPLE

EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    folder = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, folder)
    return folder


def errors(report) -> list[tuple]:  # noqa: ANN001
    return [(p.file, p.row, p.message) for p in report.errors]


def only_error(report) -> tuple:  # noqa: ANN001
    assert not report.written
    assert db.session.get(Service, EXAMPLE_SERVICE) is None
    (error,) = errors(report)
    return error


def zip_of(folder: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.name not in (extra or {}):
                archive.write(path, arcname=path.name)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


@pytest.fixture
def small_caps(app):  # noqa: ANN001,ANN201
    """1 MB per file, 2 MB in all, so the tests need no big files."""
    caps = {"HSDS_IMPORT_MAX_FILE_BYTES": 2**20, "HSDS_IMPORT_MAX_TOTAL_BYTES": 2 * 2**20}
    old = {k: app.config[k] for k in caps if k in app.config}
    app.config.update(caps)
    yield
    for key in caps:
        app.config.pop(key)
    app.config.update(old)


def test_a_zip_member_declared_too_large_is_refused_before_reading(app, small_caps, package):  # noqa: ANN001,ANN201
    bomb = b"x" * (3 * 2**20)  # 3 MB of one byte packs into a few KB
    archive = zip_of(package, package.parent / "bomb.zip", {"services.csv": bomb})
    assert archive.stat().st_size < 100_000
    started = time.process_time()
    report = import_path(archive)
    assert time.process_time() - started < 5
    assert only_error(report) == ("services.csv", None, "is larger than 1 MB")


def test_a_file_bigger_than_the_cap_is_stopped_while_reading(app, small_caps, package):  # noqa: ANN001,ANN201
    """A folder has no size header to trust: the byte count while reading stops it."""
    with (package / "phones.csv").open("a", encoding="utf-8") as handle:
        handle.write(("," * 20 + "\n") * 60_000)  # 1.2 MB of empty rows
    report = import_path(package)
    assert only_error(report) == ("phones.csv", None, "is larger than 1 MB")


def test_files_together_over_the_total_cap_are_refused(app, small_caps, package):  # noqa: ANN001,ANN201
    filler = {f"notes{i}.csv": b"y" * (900 * 2**10) for i in range(3)}
    report = import_path(zip_of(package, package.parent / "many.zip", filler))
    assert only_error(report) == ("many.zip", None, "unpacks to more than 2 MB")


def test_a_zip_header_that_lies_about_the_size_is_reported(app, small_caps, package):  # noqa: ANN001,ANN201
    """Sizes in the headers are rewritten to say 100 bytes: the member cannot be read whole."""
    archive = zip_of(package, package.parent / "lying.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as handle:
        info = handle.getinfo("services.csv")
    real = info.file_size.to_bytes(4, "little")
    local = info.header_offset
    assert data[local + 22 : local + 26] == real
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 58] != b"services.csv":
        central = data.index(b"PK\x01\x02", central + 4)
    assert data[central + 24 : central + 28] == real
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    file, _row, message = only_error(import_path(archive))
    assert file == "services.csv"
    assert message.startswith("cannot be read from the zip")


def test_utf8_with_a_bom_is_accepted(app, package) -> None:  # noqa: ANN001
    services = package / "services.csv"
    services.write_bytes(b"\xef\xbb\xbf" + services.read_bytes())
    report = import_path(package)
    assert report.ok, errors(report)
    assert db.session.get(Service, EXAMPLE_SERVICE).name == "Community Counselling"


def test_old_mac_line_ends_still_import(app, package) -> None:  # noqa: ANN001
    services = package / "services.csv"
    services.write_bytes(services.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    report = import_path(package)
    assert report.ok, errors(report)
    assert db.session.get(Service, EXAMPLE_SERVICE).name == "Community Counselling"


def test_latin1_text_is_reported_with_file_and_row(app, package) -> None:  # noqa: ANN001
    services = package / "services.csv"  # row 2 says "£50 per hour"
    services.write_bytes(services.read_text(encoding="utf-8").encode("latin-1"))
    file, row, message = only_error(import_path(package))
    assert (file, row) == ("services.csv", 2)
    assert message.startswith("is not UTF-8 text")


def test_utf16_text_is_reported_with_the_file(app, package) -> None:  # noqa: ANN001
    services = package / "services.csv"
    services.write_bytes(services.read_text(encoding="utf-8").encode("utf-16"))
    file, row, message = only_error(import_path(package))
    assert (file, row) == ("services.csv", 1)
    assert "UTF-8" in message


def test_invalid_utf8_in_a_zip_is_reported_with_the_file(app, package) -> None:  # noqa: ANN001
    (package / "phones.csv").write_bytes((package / "phones.csv").read_bytes() + b"\xff\xfe,\n")
    report = import_path(zip_of(package, package.parent / "bad.zip"))
    file, _row, message = only_error(report)
    assert file == "phones.csv" and "UTF-8" in message


def test_a_cell_over_128_kb_is_reported_with_file_and_row(app, package) -> None:  # noqa: ANN001
    with (package / "services.csv").open("a", encoding="utf-8") as handle:
        handle.write('x,y,,"' + "z" * 140_000 + '"\n')
    file, row, message = only_error(import_path(package))
    assert (file, row) == ("services.csv", 3)
    assert message.startswith("has a cell longer than 128 KB")


def test_deeply_nested_json_is_reported_with_the_file(app, tmp_path) -> None:  # noqa: ANN001
    for depth in (100, 100_000):
        path = tmp_path / "deep.json"
        path.write_text("[" * depth + "]" * depth)
        file, row, message = only_error(import_path(path))
        assert (file, row) == ("deep.json", None)
        assert "levels deep" in message


def test_json_that_is_not_utf8_is_reported_with_the_file(app, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "services.json"
    path.write_bytes(json.dumps({"name": "Café", "status": "active"}).encode("utf-16"))
    file, _row, message = only_error(import_path(path))
    assert file == "services.json" and "UTF-8" in message


@pytest.mark.parametrize("second", ["copy/services.csv", "SERVICES.csv", "services.csv"])
def test_two_zip_members_naming_the_same_file_are_refused(app, package, second) -> None:  # noqa: ANN001
    archive = zip_of(package, package.parent / "twice.zip")
    with zipfile.ZipFile(archive, "a") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about an exact duplicate, but writes it
        handle.writestr(second, (package / "services.csv").read_bytes())
    file, _row, message = only_error(import_path(archive))
    assert file == "twice.zip"
    assert message.startswith("holds both services.csv and " + second)


def test_unicode_forms_of_one_name_are_the_same_file(app, package) -> None:  # noqa: ANN001
    nfc, nfd = "café.csv", unicodedata.normalize("NFD", "café.csv")
    archive = zip_of(package, package.parent / "forms.zip", {nfc: b"a\n", nfd: b"b\n"})
    _file, _row, message = only_error(import_path(archive))
    assert "which name the same file" in message


def test_the_cli_prints_the_report_line(app, small_caps, package) -> None:  # noqa: ANN001
    archive = zip_of(package, package.parent / "bomb.zip", {"services.csv": b"x" * 3 * 2**20})
    result = app.test_cli_runner().invoke(args=["hsds", "import", str(archive)])
    assert result.exit_code != 0
    assert "error: services.csv: is larger than 1 MB" in result.output
    assert "Traceback" not in result.output
