"""Price curves drawn as SVG on the server (no library, no script), like the price preview's
chart: each chart an ``img`` with a ``<title>`` and a ``<desc>``, labelled axes, and the
linter's cliff marked on the line and said in words under the chart.

The words are the portal's (``pgettext`` with its context "portal": its German and French
catalogues translate them; in English, as the admin shows them, they read as before). Money
and quantities are written by ``Figures``: plainly ("55.00 USD") for the admin and the API,
in the reader's Babel locale ("55,00 $") for the portal. ``curves_html`` gives figures for a
page, ``curves_document`` one standalone SVG of them all (the API's ``curves.svg``).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from insights.curves import (
    Cliff,
    PriceCurves,
    QuantityCurve,
    TimeStep,
    default_quantity,
    price_curves,
)
from insights.svg import fill
from pricing.pricebook.money import exact

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 46
LINE, CLIFF = "#417690", "#b91c1c"
MONTH_PLACES = Decimal("0.01")  # months on the time axis: 45 days are 1.5, 10 days 0.33
CAPTION_CHARACTERS = 100  # a standalone document's caption lines, wrapped at about 600 px
CAPTION_LINE = 16
GAP = 16


@dataclass(frozen=True)
class Figures:
    """How a chart writes money and numbers: plainly ("55.00 USD", "11"), as the admin and
    the API do, or, given a Babel ``locale`` ("de", "fr_CA"), as that locale does."""

    currency: str
    locale: str | None = None

    def money(self, amount: Decimal) -> str:
        if self.locale is None:
            return f"{amount} {self.currency}"
        return format_currency(amount, self.currency, locale=self.locale)

    def amount(self, amount: Decimal) -> str:
        """An amount without its currency (an axis' top)."""
        if self.locale is None:
            return str(amount)
        return format_decimal(amount, locale=self.locale, decimal_quantization=False)

    def number(self, value: Decimal) -> str:
        """A quantity or a month, without trailing zeros."""
        if self.locale is None:
            return str(exact(value))
        return format_decimal(exact(value), locale=self.locale, decimal_quantization=False)

    def month(self, value: Decimal) -> str:
        return self.number(value.quantize(MONTH_PLACES))


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG ``body`` (escaped markup), and its words (plain text)."""

    kind: str  # "quantity-curve" or "time-curve", the figure's class
    ident: str  # the id its title and description are named by
    title: str
    desc: str
    body: str
    caption: str


def cliff_words(cliff: Cliff, figures: Figures) -> str:
    return fill(
        pgettext(
            "portal",
            "Cliff: {quantity} units cost {amount} a period, less than {dearer_quantity} units "
            "at {dearer_amount}.",
        ),
        quantity=figures.number(cliff.quantity),
        amount=figures.money(cliff.amount),
        dearer_quantity=figures.number(cliff.dearer_quantity),
        dearer_amount=figures.money(cliff.dearer_amount),
    )


class _Plot:
    """Scales (x, y) values into the plot area."""

    def __init__(self, x_top: Decimal, y_top: Decimal):
        self.x_top = x_top or Decimal(1)
        self.y_top = y_top or Decimal(1)
        self.width = WIDTH - LEFT - RIGHT
        self.height = HEIGHT - TOP - BOTTOM

    def x(self, value) -> str:
        return f"{LEFT + float(value / self.x_top) * self.width:.1f}"

    def y(self, value) -> str:
        return f"{TOP + self.height - float(value / self.y_top) * self.height:.1f}"

    def axes(self, x_label: str, y_label: str, x_end: str, y_end: str) -> str:
        base = TOP + self.height
        return (
            f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" '
            'stroke="currentColor"/>'
            f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="currentColor"/>'
            f'<text x="{LEFT - 4}" y="{base}" text-anchor="end" font-size="11" '
            'fill="currentColor">0</text>'
            f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end" font-size="11" '
            f'fill="currentColor">{escape(y_end)}</text>'
            f'<text x="{LEFT}" y="{base + 14}" font-size="11" fill="currentColor">0</text>'
            f'<text x="{WIDTH - RIGHT}" y="{base + 14}" text-anchor="end" font-size="11" '
            f'fill="currentColor">{escape(x_end)}</text>'
            f'<text class="x-label" x="{LEFT + self.width / 2:.0f}" y="{HEIGHT - 6}" '
            f'text-anchor="middle" font-size="12" fill="currentColor">{escape(x_label)}</text>'
            f'<text class="y-label" x="14" y="{TOP + self.height / 2:.0f}" text-anchor="middle" '
            f'font-size="12" fill="currentColor" transform="rotate(-90 14 '
            f'{TOP + self.height / 2:.0f})">{escape(y_label)}</text>'
        )


def _svg(chart: Chart, position: str = "") -> str:
    ident = chart.ident
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}"{position}>'
        f'<title id="{ident}-title">{escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{escape(chart.desc)}</desc>{chart.body}</svg>'
    )


def quantity_chart(curve: QuantityCurve, figures: Figures, *, several: bool) -> Chart:
    """The amount per period against the quantity, one interval, with its cliff marked."""
    currency = figures.currency
    top_q = curve.points[-1][0]
    top_amount = max(amount for _q, amount in curve.points)
    plot = _Plot(top_q, top_amount)
    line = " ".join(f"{plot.x(q)},{plot.y(a)}" for q, a in curve.points)
    body = plot.axes(
        pgettext("portal", "Quantity (units)"),
        fill(pgettext("portal", "Amount per period ({currency})"), currency=currency),
        figures.number(top_q),
        figures.amount(top_amount),
    )
    body += (
        f'<polyline class="curve" points="{line}" fill="none" stroke="{LINE}" stroke-width="2"/>'
    )
    for q, a in curve.points:
        said = fill(
            pgettext("portal", "Quantity {quantity}: {amount}"),
            quantity=figures.number(q),
            amount=figures.money(a),
        )
        body += (
            f'<circle cx="{plot.x(q)}" cy="{plot.y(a)}" r="2.5" fill="{LINE}">'
            f"<title>{escape(said)}</title></circle>"
        )
    low, high = curve.points[0], curve.points[-1]
    ends = {
        "low_quantity": figures.number(low[0]),
        "low_amount": figures.money(low[1]),
        "high_quantity": figures.number(high[0]),
        "high_amount": figures.money(high[1]),
    }
    if several:
        desc = fill(
            pgettext(
                "portal",
                "Line chart of the amount per billing period of interval {number} against the "
                "quantity, from {low_quantity} units ({low_amount}) to {high_quantity} units "
                "({high_amount}), sampled at every tier edge and between.",
            ),
            number=curve.number,
            **ends,
        )
    else:
        desc = fill(
            pgettext(
                "portal",
                "Line chart of the amount per billing period of this price against the "
                "quantity, from {low_quantity} units ({low_amount}) to {high_quantity} units "
                "({high_amount}), sampled at every tier edge and between.",
            ),
            **ends,
        )
    words = pgettext("portal", "No cliff: a larger quantity never costs less.")
    if curve.cliff is not None:
        cliff = curve.cliff
        words = cliff_words(cliff, figures)
        desc += " " + words
        x = plot.x(cliff.quantity)
        mark = fill(
            pgettext("portal", "Cliff at quantity {quantity}"),
            quantity=figures.number(cliff.quantity),
        )
        body += (
            f'<line class="cliff" x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + plot.height}" '
            f'stroke="{CLIFF}" stroke-dasharray="4 3"/>'
            f'<circle cx="{x}" cy="{plot.y(cliff.amount)}" r="5" fill="none" stroke="{CLIFF}" '
            f'stroke-width="2"/>'
            f'<text x="{float(x) + 4:.1f}" y="{TOP + 10}" font-size="11" fill="{CLIFF}">'
            f"{escape(mark)}</text>"
        )
    if several:
        title = fill(
            pgettext(
                "portal", "Amount per period against quantity ({currency}), interval {number}"
            ),
            currency=currency,
            number=curve.number,
        )
        words = fill(pgettext("portal", "Interval {number}."), number=curve.number) + " " + words
    else:
        title = fill(
            pgettext("portal", "Amount per period against quantity ({currency})"),
            currency=currency,
        )
    return Chart("quantity-curve", f"quantity-curve-{curve.number}", title, desc, body, words)


def _step_words(step: TimeStep, figures: Figures) -> str:
    if step.open_ended:
        message = pgettext("portal", "Interval {number}, from month {start} on: {amount}")
    else:
        message = pgettext("portal", "Interval {number}, months {start} to {end}: {amount}")
    return fill(
        message,
        number=step.number,
        start=figures.month(step.start_month),
        end=figures.month(step.end_month),
        amount=figures.money(step.amount),
    )


def time_chart(steps: tuple[TimeStep, ...], quantity: Decimal, figures: Figures) -> Chart:
    """The amount per period at one quantity against months from the start, a step per
    interval; the open-ended last interval dashed."""
    currency = figures.currency
    end = steps[-1].end_month
    top_amount = max(step.amount for step in steps)
    plot = _Plot(end, top_amount)
    body = plot.axes(
        pgettext("portal", "Months from the start"),
        fill(pgettext("portal", "Amount per period ({currency})"), currency=currency),
        figures.month(end),
        figures.amount(top_amount),
    )
    parts = []
    for i, step in enumerate(steps):
        y = plot.y(step.amount)
        if i:
            body += (
                f'<line x1="{plot.x(step.start_month)}" y1="{plot.y(steps[i - 1].amount)}" '
                f'x2="{plot.x(step.start_month)}" y2="{y}" stroke="{LINE}" stroke-width="1"/>'
            )
        dash = ' stroke-dasharray="6 4"' if step.open_ended else ""
        said = _step_words(step, figures)
        parts.append(said)
        body += (
            f'<line class="step" x1="{plot.x(step.start_month)}" y1="{y}" '
            f'x2="{plot.x(step.end_month)}" y2="{y}" stroke="{LINE}" stroke-width="3"{dash}>'
            f"<title>{escape(said)}</title></line>"
        )
    desc = fill(
        pgettext(
            "portal",
            "Step chart of the amount per billing period at a quantity of {quantity} against "
            "months from the start: {steps}.",
        ),
        quantity=figures.number(quantity),
        steps="; ".join(parts),
    )
    if steps[-1].open_ended:
        caption = pgettext(
            "portal",
            "Over time, at a quantity of {quantity}; the last interval (dashed) lasts for the "
            "rest of the term.",
        )
    else:
        caption = pgettext(
            "portal",
            "Over time, at a quantity of {quantity}; after the last interval the item is no "
            "longer billed.",
        )
    title = fill(pgettext("portal", "Amount per period over time ({currency})"), currency=currency)
    caption = fill(caption, quantity=figures.number(quantity))
    return Chart("time-curve", "time-curve", title, desc, body, caption)


def charts(curves: PriceCurves, *, locale: str | None = None) -> list[Chart]:
    """Every chart of a price: one against quantity per interval, and one against time."""
    figures = Figures(curves.currency, locale)
    several = len(curves.quantity_curves) > 1
    found = [quantity_chart(c, figures, several=several) for c in curves.quantity_curves]
    if curves.time_steps:
        found.append(time_chart(curves.time_steps, curves.time_quantity, figures))
    return found


def no_curve_words() -> str:
    """Why a price by delivery has no chart."""
    return pgettext("portal", "Priced per delivery: no curve by quantity.")


def figure_html(chart: Chart) -> SafeString:
    return format_html(
        '<figure class="price-curve {}">{}<figcaption class="help">{}</figcaption></figure>',
        chart.kind,
        mark_safe(_svg(chart)),  # escaped as it was built
        chart.caption,
    )


def curves_html(curves: PriceCurves, *, locale: str | None = None) -> SafeString:
    """Every chart of a price as figures, each with its words under it."""
    return mark_safe("".join(figure_html(chart) for chart in charts(curves, locale=locale)))


def price_curves_html(pbi, *, locale: str | None = None) -> SafeString:
    """The price's charts (the price loaded with its rows; one query more for the offering
    item's default quantity), or why there are none."""
    try:
        curves = price_curves(pbi, default_quantity(pbi))
    except ValueError as exc:
        return format_html(
            '<p class="errornote">{}</p>',
            fill(pgettext("portal", "No price curve: {reason}"), reason=exc),
        )
    if not curves.quantity_curves and not curves.time_steps:
        return format_html('<p class="help">{}</p>', no_curve_words())
    return curves_html(curves, locale=locale)


def _caption(lines: list[str], top: int) -> str:
    spans = "".join(
        f'<tspan x="{LEFT}" y="{top + CAPTION_LINE * (n + 1)}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text font-size="12" fill="currentColor">{spans}</text>'


def curves_document(curves: PriceCurves, *, title: str, locale: str | None = None) -> str:
    """One standalone SVG of every chart of a price, each with its words under it (a price
    by delivery: those words alone)."""
    parts, top, descs = [], 0, []
    for chart in charts(curves, locale=locale):
        parts.append(_svg(chart, f' x="0" y="{top}"'))
        lines = textwrap.wrap(chart.caption, CAPTION_CHARACTERS)
        parts.append(_caption(lines, top + HEIGHT))
        descs.append(chart.desc)
        top += HEIGHT + CAPTION_LINE * len(lines) + GAP
    if not parts:
        descs.append(no_curve_words())
        parts.append(_caption([no_curve_words()], 0))
        top = CAPTION_LINE + GAP
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {top}" '
        f'width="{WIDTH}" height="{top}" color="#1b2430" '
        'aria-labelledby="price-curves-title price-curves-desc">'
        f'<title id="price-curves-title">{escape(title)}</title>'
        f'<desc id="price-curves-desc">{escape(" ".join(descs))}</desc>' + "".join(parts) + "</svg>"
    )
