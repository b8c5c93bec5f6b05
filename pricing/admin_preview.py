"""The price book item page's preview: the schedule's lines with what each is made of, and a
small bar chart of the amount per period, drawn as inline SVG on the server."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language, to_locale

from pricing.models import PriceBookItem
from pricing.pricebook.breakdown import line_breakdown
from pricing.pricebook.money import ZERO
from pricing.pricebook.schedule import CHARGE, MAXIMUM, MINIMUM, PERCENT, Schedule, ScheduleLine
from pricing.pricebook.wording import Wording, part_words

LINE_KINDS = {CHARGE: "charge", MINIMUM: "minimum top-up", MAXIMUM: "maximum cap"}
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 640, 180, 16, 28, 56


def schedule_line_what(line: ScheduleLine) -> str:
    """What a preview line bills: a charge, a minimum top-up, a maximum cap, or a percentage
    of other lines ("10 % of 120.00": the percentage as a number, never as money)."""
    if line.kind == PERCENT:
        percent = format(line.percent.normalize(), "f") if line.percent is not None else "?"
        return f"{percent} % of {line.base}"
    return LINE_KINDS.get(line.kind, line.kind)


@dataclass(frozen=True)
class PreviewRow:
    line: ScheduleLine
    what: str
    how: str  # the breakdown in words, or ""


def preview_rows(pbi: PriceBookItem, schedule: Schedule, *, start: date) -> list[PreviewRow]:
    """Each line of the preview with its breakdown: which tiers priced how many units at
    what price, how many deliveries at what price, the share of a prorated period."""
    book = pbi.to_engine()
    wording = Wording(
        currency=schedule.currency,
        locale=to_locale(get_language() or "en-us"),
        unit=pbi.item.unit,
        item_kind=pbi.item.kind,
        billing_frequency=pbi.rate.billing_frequency,
    )
    rows = []
    for line in schedule.lines:
        found = None
        if line.kind == CHARGE:
            found = line_breakdown(book, line, start=start, period_months=pbi.rate.period_months)
        how = ""
        if found is not None:
            how = "; ".join(part_words(part, wording) for part in found.parts)
            if found.days is not None:
                how += f" (prorated: {found.days} of {found.period_days} days)"
        rows.append(PreviewRow(line, schedule_line_what(line), how))
    return rows


@dataclass(frozen=True)
class Bar:
    period: int  # 1-based
    amount: Decimal
    x: int
    y: int
    width: int
    height: int
    label: bool  # whether the period number is written under it


def period_chart(schedule: Schedule, periods: int) -> dict:
    """Bars of the amount billed in each period (its lines summed), scaled to the highest."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in schedule.lines:
        totals[line.period_index] += line.amount
    amounts = [max(totals[index], ZERO) for index in range(periods)]
    highest = max(amounts, default=ZERO)
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = plot_width / max(periods, 1)
    width = max(int(slot * 0.7), 1)
    every = max(1, -(-periods // 24))  # at most about 24 period numbers under the bars
    bars = []
    for index, amount in enumerate(amounts):
        height = int(plot_height * amount / highest) if highest else 0
        bars.append(
            Bar(
                period=index + 1,
                amount=amount,
                x=CHART_LEFT + int(slot * index + (slot - width) / 2),
                y=CHART_TOP + plot_height - height,
                width=width,
                height=height,
                label=index % every == 0 or index == periods - 1,
            )
        )
    low = min(amounts, default=ZERO)
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "baseline": CHART_TOP + plot_height,
        "top": CHART_TOP,
        "right": CHART_WIDTH - 8,
        "highest": highest,
        "label_y": CHART_HEIGHT - 8,
        "description": (
            f"Bar chart of the amount billed in each of {periods} billing periods, from "
            f"{low} to {highest} {schedule.currency}; {schedule.total} {schedule.currency} "
            "in all. The table above gives every amount."
        ),
    }
