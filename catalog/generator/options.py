"""What a generator run is asked for, and why a request is refused before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.models import Distributor, Marketplace, Vendor

PREFIX = re.compile(r"^[a-z][a-z0-9]{0,11}$")
MAX_ITEMS = 20_000_000
MAX_QUOTES = 10_000


class GeneratorRefused(Exception):
    """A request the generator refuses; nothing has been written."""


@dataclass(frozen=True)
class Options:
    vendors: int
    items: int
    seed: int = 1
    history: bool = True
    batch_size: int = 10_000
    quotes: int = 20
    prefix: str = "gen"

    def problems(self) -> list[str]:
        """Why these options cannot be run, checked without the database."""
        problems = []
        if self.items < 1:
            problems.append(f"--items must be at least 1 (got {self.items}).")
        elif self.items > MAX_ITEMS:
            problems.append(f"--items is at most {MAX_ITEMS:,} (got {self.items:,}).")
        if self.vendors < 1:
            problems.append(f"--vendors must be at least 1 (got {self.vendors}).")
        elif self.items >= 1 and self.vendors > self.items:
            problems.append(
                f"--vendors ({self.vendors:,}) cannot exceed --items ({self.items:,}): "
                "every vendor sells at least one item."
            )
        if self.batch_size < 1:
            problems.append(f"--batch-size must be at least 1 (got {self.batch_size}).")
        if not 0 <= self.quotes <= MAX_QUOTES:
            problems.append(f"--quotes is 0 to {MAX_QUOTES:,} (got {self.quotes}).")
        if not PREFIX.match(self.prefix):
            problems.append(
                f"--prefix {self.prefix!r}: a lowercase letter, then up to 11 lowercase "
                "letters or digits."
            )
        return problems

    def clashes(self) -> list[str]:
        """The rows an earlier run with this prefix left (its slugs and codes are taken)."""
        stem = f"{self.prefix}-"
        found = []
        if Vendor.objects.filter(slug__startswith=stem).exists():
            found.append(f"vendors with slugs {stem}…")
        if Marketplace.objects.filter(code__startswith=stem).exists():
            found.append(f"marketplaces with codes {stem}…")
        if Distributor.objects.filter(slug__startswith=stem).exists():
            found.append(f"distributors with slugs {stem}…")
        return found

    def check(self) -> None:
        """Raise ``GeneratorRefused`` naming every problem, or return."""
        if problems := self.problems():
            raise GeneratorRefused(" ".join(problems))
        if clashes := self.clashes():
            raise GeneratorRefused(
                f"Prefix {self.prefix!r} is taken by an earlier run ({', '.join(clashes)}); "
                "give another --prefix to add a second catalog."
            )
