"""What an import found: every problem with its file, row and column, and what was written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Row counts records with the header as row 1 (as frictionless does); for JSON input it is
    a JSON pointer to the object. `row` None means the whole file, `column` None the whole row."""

    severity: str
    file: str
    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    written: bool = False
    version: str = ""  # the HSDS version read ("1.1", "2.0", "3.0"), when known
    conversion: Any = None  # a legacy.report.ConversionReport for HSDS 1.1 / 2.0 input
    duplicates: int = 0  # probable duplicates of records from other sources, flagged for review

    def add(self, severity: str, file: str, row: int | str | None, column: str | None,
            message: str) -> None:  # fmt: skip
        self.problems.append(Problem(severity, file, row, column, message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.written:
            return f"Nothing imported: {len(self.errors)} errors, {len(self.warnings)} warnings."
        parts = [
            f"{name}: {self.created[name]} new, {self.updated[name]} updated"
            + (f", {self.skipped[name]} skipped" if self.skipped[name] else "")
            for name in sorted(set(self.created) | set(self.updated) | set(self.skipped))
        ]
        flagged = f" {self.duplicates} probable duplicates flagged." if self.duplicates else ""
        return "Imported. " + "; ".join(parts) + f". {len(self.warnings)} warnings." + flagged
