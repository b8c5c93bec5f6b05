"""Bounds on what a term, a preview, a quote and a price interval may ask of the engine.

Dates stop at 9999-12-31 (Python's and Django's last date); work grows with lines × periods.
Each bound is checked in the service or selector that takes the input, so the admin, the API
and scripts refuse the same requests with the same words.
"""

from __future__ import annotations

from datetime import date

from pricing.errors import PreviewTooLarge, QuoteTooLarge, TermOutOfRange

LAST_DAY = date(9999, 12, 31)
MAX_PERIODS = 600  # billing periods in a quote's term or a preview: 50 years of months
LONGEST_PERIOD_MONTHS = 12  # yearly, the longest billing frequency of a rate
MAX_PREVIEW_LINES = 200
MAX_QUOTE_LINES = MAX_PREVIEW_LINES  # a quote holds no more lines than one preview prices
MAX_PREVIEW_LINE_PERIODS = 24_000  # lines × periods of one preview (200 lines × 120 periods)


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def term_problems(
    *, start_date: date | None, periods, period_months: int = LONGEST_PERIOD_MONTHS
) -> list[str]:
    """Why a term of ``periods`` billing periods from ``start_date`` is out of bounds, if it is.

    A quote's lines may use any rate, so a quote's term is measured in the longest (yearly)
    periods; a preview knows its rate and passes that rate's period length.
    """
    if periods is None:
        return []
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= MAX_PERIODS:
        return [f"A term is 1 to {MAX_PERIODS} billing periods ({periods} given)."]
    if start_date is None:
        return []
    if _month_number(start_date) + periods * period_months > _month_number(LAST_DAY):
        return [
            f"{periods} periods of {period_months} month(s) from {start_date} end after "
            f"{LAST_DAY}, the last date a term may reach: start earlier or use fewer periods."
        ]
    return []


def check_term(*, start_date: date, periods: int, period_months: int = LONGEST_PERIOD_MONTHS):
    """Raise TERM_OUT_OF_RANGE (a 400) when ``term_problems`` finds any."""
    if problems := term_problems(
        start_date=start_date, periods=periods, period_months=period_months
    ):
        raise TermOutOfRange(" ".join(problems), errors={"periods": problems})


def check_preview_size(*, lines: int, periods: int) -> None:
    """Raise PREVIEW_TOO_LARGE when a preview would price more than the bounds allow."""
    if lines > MAX_PREVIEW_LINES or lines * periods > MAX_PREVIEW_LINE_PERIODS:
        message = (
            f"A preview prices at most {MAX_PREVIEW_LINES} lines and "
            f"{MAX_PREVIEW_LINE_PERIODS:,} line-periods ({lines} lines × {periods} periods asked)."
        )
        raise PreviewTooLarge(message, errors={"lines": [message]})


def check_quote_lines(count: int) -> None:
    """Raise QUOTE_TOO_LARGE when a quote would hold more than ``MAX_QUOTE_LINES`` lines."""
    if count > MAX_QUOTE_LINES:
        message = f"A quote holds at most {MAX_QUOTE_LINES} lines ({count} asked)."
        raise QuoteTooLarge(message, errors={"lines": [message]})
