"""Reading the dashboard's downloads in tests: the ZIP of one CSV per table, by table title."""

from __future__ import annotations

import csv
import io
import re
import zipfile


def download_tables(client, query: dict | None = None) -> dict[str, list[list[str]]]:  # noqa: ANN001
    """{table title: rows (header first)} from /reports/network.zip, titles from its README."""
    response = client.get("/reports/network.zip", query_string=query or {})
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    readme = archive.read("README.txt").decode()
    titles = dict(re.findall(r"^- (\S+\.csv): (.+)$", readme, re.MULTILINE))
    assert sorted(titles) == sorted(n for n in archive.namelist() if n.endswith(".csv"))
    return {
        titles[name]: list(csv.reader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def all_rows(tables: dict[str, list[list[str]]]) -> list[list[str]]:
    return [row for rows in tables.values() for row in rows]
