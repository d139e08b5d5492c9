"""What a 1.x conversion did, grouped by file: rows read, converted, dropped (with the reason,
counted, the first few row numbers) and notes; and the importer's problems grouped the same way,
so a report of 80,000 problems is a page, with a summary at the end."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from app.interop.report import Problem

EXAMPLES = 5
QUOTED = re.compile(r"“[^”]*”")  # a value quoted in a message


@dataclass
class FileReport:
    file: str
    target: str  # what the rows became ("services", "schedules", "not stored")
    read: int = 0
    converted: int = 0
    dropped: Counter = field(default_factory=Counter)  # reason -> rows
    notes: Counter = field(default_factory=Counter)  # note -> rows (converted with a change)
    examples: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def drop(self, row: int, reason: str) -> None:
        self.dropped[reason] += 1
        self._example(reason, row)

    def note(self, row: int | None, note: str) -> None:
        self.notes[note] += 1
        if row is not None:
            self._example(note, row)

    def _example(self, key: str, row: int) -> None:
        if len(self.examples[key]) < EXAMPLES:
            self.examples[key].append(row)

    def lines(self) -> list[str]:
        out = [f"{self.file} → {self.target}: {self.read} rows read, {self.converted} converted"
               + (f", {sum(self.dropped.values())} dropped" if self.dropped else "")]  # fmt: skip
        for kind, counter in (("dropped", self.dropped), ("note", self.notes)):
            for reason, count in counter.most_common():
                rows = self.examples.get(reason) or []
                more = ", …" if count > len(rows) else ""
                where = f" (rows {', '.join(map(str, rows))}{more})" if rows else ""
                out.append(f"  {kind}: {count} × {reason}{where}")
        return out


@dataclass
class ConversionReport:
    version: str = ""
    how: str = ""
    files: dict[str, FileReport] = field(default_factory=dict)
    package_notes: list[str] = field(default_factory=list)

    def file(self, name: str, target: str) -> FileReport:
        if name not in self.files:
            self.files[name] = FileReport(name, target)
        return self.files[name]

    @property
    def dropped(self) -> int:
        return sum(sum(f.dropped.values()) for f in self.files.values())

    def lines(self) -> list[str]:
        out = [f"Read an HSDS {self.version} datapackage (from {self.how})."]
        out += [f"Note: {n}" for n in self.package_notes]
        for name in sorted(self.files):
            out += self.files[name].lines()
        return out

    def summary(self) -> str:
        read = sum(f.read for f in self.files.values())
        converted = sum(f.converted for f in self.files.values())
        kept_out = sum(f.read for f in self.files.values() if f.target == "not stored")
        return (f"Conversion from HSDS {self.version}: {len(self.files)} files, {read} rows read, "
                f"{converted} converted, {self.dropped} dropped, {kept_out} in tables "
                "Partners does not store.")  # fmt: skip


def grouped_problems(problems: list[Problem]) -> list[str]:
    """The importer's problems by severity, file, column and message: one line each, counted,
    with the first few rows."""
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    for p in problems:
        # the same problem with another value ("“x” is not a UUID") is the same kind
        groups[(p.severity, p.file, p.column or "", QUOTED.sub("“…”", p.message))].append(p)
    out = []
    for (severity, file, column, message), items in sorted(groups.items()):
        if len(items) == 1:
            message = items[0].message
        rows = [str(p.row) for p in items if p.row is not None][:EXAMPLES]
        where = file + (f", column {column}" if column else "")
        more = ", …" if len(items) > len(rows) and rows else ""
        at = f" (rows {', '.join(rows)}{more})" if rows else ""
        count = f"{len(items)} × " if len(items) > 1 else ""
        out.append(f"{severity}: {where}: {count}{message}{at}")
    return out
