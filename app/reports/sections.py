"""One table of the dashboard, as the page and the CSV both show it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.reports.charts import Chart


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    chart: Chart | None = None
    note: str | None = None  # what is counted, shown under the table and in the download

    @property
    def slug(self) -> str:
        """The table's name in addresses and file names: "unmet-need-by-town"."""
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
