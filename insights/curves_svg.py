"""Price curves drawn as inline SVG on the server (no library, no script), like the price
preview's chart: an ``img`` with a ``<title>`` and a ``<desc>``, labelled axes, and the
linter's cliff marked on the line and said in words under the chart."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from insights.curves import (
    Cliff,
    PriceCurves,
    QuantityCurve,
    TimeStep,
    default_quantity,
    price_curves,
)
from pricing.pricebook.money import exact

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 46
LINE, CLIFF = "#417690", "#b91c1c"


def cliff_words(cliff: Cliff, currency: str) -> str:
    return (
        f"Cliff: {exact(cliff.quantity)} units cost {cliff.amount} {currency} a period, less "
        f"than {exact(cliff.dearer_quantity)} units at {cliff.dearer_amount} {currency}."
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


def _svg(ident: str, title: str, desc: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def quantity_svg(curve: QuantityCurve, currency: str, *, several: bool) -> SafeString:
    """The amount per period against the quantity, one interval, with its cliff marked."""
    top_q = curve.points[-1][0]
    top_amount = max(amount for _q, amount in curve.points)
    plot = _Plot(top_q, top_amount)
    line = " ".join(f"{plot.x(q)},{plot.y(a)}" for q, a in curve.points)
    body = plot.axes(
        "Quantity (units)", f"Amount per period ({currency})", exact(top_q), str(top_amount)
    )
    body += (
        f'<polyline class="curve" points="{line}" fill="none" stroke="{LINE}" stroke-width="2"/>'
    )
    for q, a in curve.points:
        body += (
            f'<circle cx="{plot.x(q)}" cy="{plot.y(a)}" r="2.5" fill="{LINE}">'
            f"<title>{escape(exact(q))} units: {a} {escape(currency)}</title></circle>"
        )
    where = f"interval {curve.number}" if several else "this price"
    low, high = curve.points[0], curve.points[-1]
    desc = (
        f"Line chart of the amount per billing period of {where} against the quantity, from "
        f"{exact(low[0])} units ({low[1]} {currency}) to {exact(high[0])} units "
        f"({high[1]} {currency}), sampled at every tier edge and between."
    )
    words = "No cliff: a larger quantity never costs less."
    if curve.cliff is not None:
        cliff = curve.cliff
        words = cliff_words(cliff, currency)
        desc += " " + words
        x = plot.x(cliff.quantity)
        body += (
            f'<line class="cliff" x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + plot.height}" '
            f'stroke="{CLIFF}" stroke-dasharray="4 3"/>'
            f'<circle cx="{x}" cy="{plot.y(cliff.amount)}" r="5" fill="none" stroke="{CLIFF}" '
            f'stroke-width="2"/>'
            f'<text x="{float(x) + 4:.1f}" y="{TOP + 10}" font-size="11" fill="{CLIFF}">'
            f"Cliff at {escape(exact(cliff.quantity))} units</text>"
        )
    title = f"Amount per period against quantity ({currency})"
    if several:
        title += f", interval {curve.number}"
        words = f"Interval {curve.number}. {words}"
    return format_html(
        '<figure class="price-curve quantity-curve">{}<figcaption class="help">{}</figcaption>'
        "</figure>",
        mark_safe(_svg(f"quantity-curve-{curve.number}", title, desc, body)),  # escaped above
        words,
    )


def time_svg(steps: tuple[TimeStep, ...], quantity: Decimal, currency: str) -> SafeString:
    """The amount per period at one quantity against months from the start, a step per
    interval; the open-ended last interval dashed."""
    end = steps[-1].end_month
    top_amount = max(step.amount for step in steps)
    plot = _Plot(end, top_amount)
    body = plot.axes(
        "Months from the start", f"Amount per period ({currency})", exact(end), str(top_amount)
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
        when = (
            f"from month {exact(step.start_month)} on"
            if step.open_ended
            else f"months {exact(step.start_month)} to {exact(step.end_month)}"
        )
        said = f"Interval {step.number}, {when}: {step.amount} {currency}"
        parts.append(said)
        body += (
            f'<line class="step" x1="{plot.x(step.start_month)}" y1="{y}" '
            f'x2="{plot.x(step.end_month)}" y2="{y}" stroke="{LINE}" stroke-width="3"{dash}>'
            f"<title>{escape(said)}</title></line>"
        )
    desc = (
        f"Step chart of the amount per billing period at {exact(quantity)} units against "
        f"months from the start: {'; '.join(parts)}."
    )
    return format_html(
        '<figure class="price-curve time-curve">{}<figcaption class="help">{}</figcaption>'
        "</figure>",
        mark_safe(
            _svg("time-curve", f"Amount per period over time ({currency})", desc, body)
        ),  # escaped above
        f"Over time, at a quantity of {exact(quantity)}; the last interval (dashed) lasts for the "
        "rest of the term.",
    )


def curves_html(curves: PriceCurves) -> SafeString:
    """Every chart of a price: one against quantity per interval, and one against time."""
    several = len(curves.quantity_curves) > 1
    html = [quantity_svg(c, curves.currency, several=several) for c in curves.quantity_curves]
    if curves.time_steps:
        html.append(time_svg(curves.time_steps, curves.time_quantity, curves.currency))
    return mark_safe("".join(html))  # each part is built escaped


def price_curves_html(pbi) -> SafeString:
    """The price page's charts (the price loaded with its rows; one query more for the
    offering item's default quantity), or why there are none."""
    try:
        curves = price_curves(pbi, default_quantity(pbi))
    except ValueError as exc:
        return format_html('<p class="errornote">No price curve: {}</p>', exc)
    if not curves.quantity_curves and not curves.time_steps:
        return format_html('<p class="help">{}</p>', "Priced per delivery: no curve by quantity.")
    return curves_html(curves)
