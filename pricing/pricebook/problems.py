"""A problem found in a price, with where it is, so a form can show it at its field.

``key`` is a field catalog key ("price.delivery_weekdays", "interval.duration"),
``"interval.tiers"`` for an interval's tiers as a whole, or None for the price as a whole;
``interval`` is the 0-based index of the interval it concerns, in the order given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

TIERS = "interval.tiers"


@dataclass(frozen=True)
class Problem:
    text: str
    key: str | None = None
    interval: int | None = None

    def __str__(self) -> str:
        """The words every writer reports: "Interval 2: only the last interval may be ..."."""
        if self.interval is None:
            return self.text
        return f"Interval {self.interval + 1}: {self.text}"

    @property
    def level(self) -> str | None:
        """ "price", "interval" or None: which form the problem belongs to."""
        return self.key.split(".", 1)[0] if self.key else None

    @property
    def name(self) -> str | None:
        """The field's name on its form ("delivery_weekdays"), or "tiers"."""
        return self.key.split(".", 1)[1] if self.key else None

    def of_interval(self, index: int) -> Problem:
        return replace(self, interval=index)
