"""Site-visit notes, staff e-mail and client data never appear in open data (API or export)."""

from __future__ import annotations

from app.interop.csv_export import export_to_dir
from tests.interop.hsds_helpers import (  # noqa: F401
    CLIENT_NAME,
    SECRET_VISIT_NOTE,
    STAFF_EMAIL,
    catalog,
    index_dir,
    taxonomy,
)

SECRETS = (SECRET_VISIT_NOTE, "Private Visitor", "Call landlord", STAFF_EMAIL, "Quillonius",
           "Vantrebb", "INM-778899")  # fmt: skip
URLS = [
    "/api/services?full=true", "/api/services?format=ndjson&full=true",
    "/api/organizations?full_service=true", "/api/service_at_locations?full=true",
    "/api/taxonomies", "/api/taxonomy_terms?per_page=100",
]  # fmt: skip


def test_no_private_data_in_api_output(client, catalog) -> None:  # noqa: ANN001,F811
    urls = URLS + [f"/api/services/{catalog.sober_house.id}",
                   f"/api/organizations/{catalog.harbor.id}?full_service=true"]  # fmt: skip
    for url in urls:
        text = client.get(url).get_data(as_text=True)
        assert "Harbor Sober House" in text or "taxonom" in url, url
        for secret in SECRETS:
            assert secret not in text, (url, secret)


def test_no_private_data_in_the_export(app, catalog, tmp_path) -> None:  # noqa: ANN001,F811
    export_to_dir(tmp_path / "out")
    everything = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert "Harbor Sober House" in everything
    for secret in SECRETS:
        assert secret not in everything, secret
    assert catalog.verifier.id not in everything
