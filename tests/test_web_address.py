"""Provider web addresses are http(s) only: refused when saved (forms, HSDS import) and never
rendered as a link when one got stored anyway (the web_href filter on every page that links it)."""

from __future__ import annotations

import csv
import shutil

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.interop.csv_import import import_path
from app.web_address import is_web_address, web_href
from tests import factories
from tests.interop.hsds_helpers import EXAMPLE
from tests.public.helpers import load_reference_data, public_service

BAD = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https:alert(1)",
    "http:///no-host",
    "//example.org/no-scheme",
    "example.org",
    "https://exa mple.org",
    "https://[broken",
    "",
    None,
]


@pytest.mark.parametrize("value", BAD)
def test_anything_but_an_http_address_is_refused(value) -> None:  # noqa: ANN001
    assert not is_web_address(value)
    assert web_href(value) is None


@pytest.mark.parametrize("value", ["https://example.org", "HTTP://Example.org/a?b=c#d"])
def test_http_and_https_addresses_pass(value: str) -> None:
    assert is_web_address(value) and web_href(value) == value


def test_hsds_import_refuses_a_javascript_url_at_its_cell(app, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, folder)
    with (folder / "services.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("url")] = "javascript:alert(document.cookie)"
    with (folder / "services.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    report = import_path(folder)
    assert not report.written
    assert [(p.file, p.row, p.column) for p in report.errors] == [("services.csv", 2, "url")]
    assert "starting with https://" in report.errors[0].message


def test_a_stored_javascript_url_is_never_a_link(app, client, login) -> None:  # noqa: ANN001
    """As if an older import had stored it: public and staff pages show no such href."""
    load_reference_data()
    service = public_service("Hope House", url="javascript:alert(document.cookie)")
    service.organization.website = "javascript:alert(2)"
    db.session.commit()
    public = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Hope House" in public
    assert "javascript:" not in public.lower()
    login(factories.make_user(Role.COUNSELOR))
    for url in (f"/directory/services/{service.id}",
                f"/directory/organizations/{service.organization_id}"):  # fmt: skip
        page = client.get(url).get_data(as_text=True)
        assert 'href="javascript:' not in page.lower(), url
        assert "not shown as a link" in page, url


def test_a_good_website_is_still_a_link(app, client) -> None:  # noqa: ANN001
    load_reference_data()
    service = public_service("Hope House", url="https://hope.example.org/")
    db.session.commit()
    public = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert 'href="https://hope.example.org/"' in public
