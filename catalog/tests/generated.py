"""How many cases each generating test tried, printed at the end of every pytest run.

Property-based tests and race trials call ``report``; the root conftest prints the table in
the terminal summary, so CI output shows the counts (a family that tried 0 is a failure).
"""

from collections import Counter

GENERATED: Counter[str] = Counter()
FILES: list[str] = []  # files a test wrote for people to look at (browser screenshots)


def report(name: str, count: int) -> None:
    GENERATED[name] += count


def wrote(path) -> None:
    """List a file a test wrote in the run's summary."""
    FILES.append(str(path))
