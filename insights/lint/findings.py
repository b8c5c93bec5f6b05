"""A linter finding: how bad, what it is about (by its natural name), and the one-line fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Finding:
    """One mistake found in a price book or a catalog.

    ``severity`` is "error" (something sells wrongly or not at all: ``lint_catalog`` exits
    1) or "warning" (worth a look); ``code`` names the check; ``subject`` what it is about,
    by its natural name ("PRO-M in rate 'Standard USD', interval 2"); ``fix`` one line. The
    offering it belongs to (none for a product's paths) groups it on the vendor's page.
    """

    severity: str
    code: str
    subject: str
    message: str
    fix: str
    offering_id: int | None = None
    offering: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def ordered(findings) -> list[Finding]:
    """Grouped by offering (the offering-less ones last), errors first, then by code."""
    return sorted(
        findings,
        key=lambda f: (
            f.offering_id is None,
            f.offering.lower(),
            f.offering_id or 0,
            SEVERITIES.index(f.severity),
            f.code,
            f.subject,
        ),
    )


def error_count(findings) -> int:
    return sum(1 for finding in findings if finding.severity == ERROR)
