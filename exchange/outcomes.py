"""What an import did, or would do, with each row: the dry run's report and the confirm's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

CREATED, CHANGED, UNCHANGED, REFUSED = "created", "changed", "unchanged", "refused"
RESULTS = (CREATED, CHANGED, UNCHANGED, REFUSED)

# Rows kept with their details per sheet and result; beyond it only the count grows, so a
# 50,000-row file holds a bounded report in memory.
KEPT_PER_RESULT = 500


@dataclass(frozen=True)
class RowOutcome:
    sheet: str
    row: int  # the spreadsheet's row number (the header is row 1)
    key: str  # the row's natural key, as a person reads it: "Shirt / SHIRT-RED-M"
    result: str
    fields: tuple[str, ...] = ()  # the changed fields
    reason: str = ""  # why it was refused

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "key": self.key,
            "result": self.result,
            "fields": list(self.fields),
            "reason": self.reason,
        }


@dataclass
class SheetReport:
    name: str
    counts: Counter = field(default_factory=Counter)
    rows: list[RowOutcome] = field(default_factory=list)

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.result] += 1
        if self.counts[outcome.result] <= KEPT_PER_RESULT:
            self.rows.append(outcome)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict:
        return {
            "sheet": self.name,
            "counts": {result: self.counts.get(result, 0) for result in RESULTS},
            "rows": [row.as_dict() for row in self.rows],
        }


@dataclass
class ImportReport:
    """Per sheet, each row's result; ``applied`` when the import was confirmed and written."""

    files: tuple[str, ...] = ()
    sheets: dict[str, SheetReport] = field(default_factory=dict)
    applied: bool = False
    dry_run: bool = True

    def sheet(self, name: str) -> SheetReport:
        return self.sheets.setdefault(name, SheetReport(name))

    def add(self, outcome: RowOutcome) -> None:
        self.sheet(outcome.sheet).add(outcome)

    @property
    def counts(self) -> Counter:
        total: Counter = Counter()
        for report in self.sheets.values():
            total.update(report.counts)
        return total

    @property
    def refused(self) -> int:
        return self.counts[REFUSED]

    @property
    def ok(self) -> bool:
        return self.refused == 0

    def as_dict(self) -> dict:
        counts = self.counts
        return {
            "files": list(self.files),
            "dry_run": self.dry_run,
            "applied": self.applied,
            "counts": {result: counts.get(result, 0) for result in RESULTS},
            "sheets": [report.as_dict() for report in self.sheets.values()],
        }
