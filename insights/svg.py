"""A ``PathGraph`` drawn as SVG by the app (no library, no script): a layered layout.

Items are boxes in columns by upgrade depth (lowest on the left); an upgrade is a solid
arrow with a filled head, a downgrade a dashed arrow with an open head. Marks are said in
words on the boxes and on the arrows (never by colour alone: loops are also thick, paths to
inactive or draft items dotted, inactive and draft boxes dashed), and a legend below
explains every kind of line and every mark drawn. The picture is an ``img`` with a
``<title>`` and a ``<desc>`` that says what it shows in a sentence or two.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from insights.paths import MARK_WORDS, MARKS, UPGRADE, Edge, Node, PathGraph

NODE_W, NODE_H = 228, 58
GAP_X, GAP_Y = 84, 26
MARGIN, HEADER = 16, 28
LINE = "#1f2937"
LOOP = "#b91c1c"
MUTED = "#4b5563"
MAX_NAME = 27


def _short(text: str, limit: int = MAX_NAME) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _place(node: Node) -> tuple[float, float]:
    """The top-left corner of a node's box."""
    return (
        MARGIN + node.rank * (NODE_W + GAP_X),
        MARGIN + HEADER + node.position * (NODE_H + GAP_Y),
    )


def fill(message: str, **values) -> str:
    """A message (marked with ``pgettext`` and the portal's context: its catalogues
    translate it) with its placeholders filled in."""
    return message.format(**values)


def describe(graph: PathGraph) -> str:
    """The picture in words (its ``<desc>``, and the text beside it)."""
    if not graph.nodes:
        return fill(
            pgettext("portal", "{product} has no items to show."), product=graph.product.name
        )
    names = graph.by_pk
    upgrades = sum(1 for edge in graph.edges if edge.kind == UPGRADE)
    parts = [
        fill(
            pgettext(
                "portal",
                "Items: {items}. Upgrade levels: {levels}. Upgrade paths: {upgrades}. "
                "Downgrade paths: {downgrades}.",
            ),
            items=len(graph.nodes),
            levels=graph.rank_count,
            upgrades=upgrades,
            downgrades=len(graph.edges) - upgrades,
        )
    ]
    for cycle in graph.cycles:
        parts.append(
            fill(
                pgettext("portal", "Loop: {items}."), items=", ".join(names[pk].mpn for pk in cycle)
            )
        )
    dead_ends = [node.mpn for node in graph.nodes if "dead_end" in node.marks]
    if dead_ends:
        parts.append(fill(pgettext("portal", "Dead ends: {items}."), items=", ".join(dead_ends)))
    inactive = [node.mpn for node in graph.nodes if "inactive" in node.marks]
    if inactive:
        parts.append(fill(pgettext("portal", "End of sale: {items}."), items=", ".join(inactive)))
    to_inactive = sum(1 for edge in graph.edges if "to_inactive" in edge.marks)
    if to_inactive:
        parts.append(
            fill(pgettext("portal", "Paths to items at end of sale: {count}."), count=to_inactive)
        )
    return " ".join(parts)


def render_svg(graph: PathGraph, *, dom_id: str = "paths", standalone: bool = False) -> SafeString:
    """The graph as an ``<svg>`` element (a whole document with ``standalone``)."""
    columns = max(graph.rank_count, 1)
    rows = max((len(rung) for rung in graph.ranks), default=1)
    width = 2 * MARGIN + columns * NODE_W + (columns - 1) * GAP_X
    legend_top = MARGIN + HEADER + rows * (NODE_H + GAP_Y) + 8
    legend = _legend(graph, legend_top, dom_id)
    height = legend_top + 22 * len(legend) + MARGIN
    title = fill(pgettext("portal", "Upgrade paths of {product}"), product=graph.product.name)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="paths-graph" id="{dom_id}" '
        f'role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc" font-family="system-ui, sans-serif">'
        f'<title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(describe(graph))}</desc>'
        f"{_defs(dom_id)}"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )
    parts = [head]
    for rank in range(graph.rank_count):
        x = MARGIN + rank * (NODE_W + GAP_X)
        level = (
            fill(pgettext("portal", "Level {number} (entry)"), number=1)
            if rank == 0
            else fill(pgettext("portal", "Level {number}"), number=rank + 1)
        )
        parts.append(
            f'<text x="{x}" y="{MARGIN + 14}" font-size="13" font-weight="600" fill="{MUTED}">'
            f"{escape(level)}</text>"
        )
    nodes = graph.by_pk
    pairs = {(edge.source, edge.target) for edge in graph.edges}
    parts.extend(
        _edge(edge, nodes, (edge.target, edge.source) in pairs, dom_id) for edge in graph.edges
    )
    parts.extend(_node(node) for node in graph.nodes)
    parts.extend(legend)
    parts.append("</svg>")
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return mark_safe(document + "".join(parts))  # every text is escaped above


def _defs(dom_id: str) -> str:
    def head(name: str, colour: str, filled: bool) -> str:
        fill = colour if filled else "#ffffff"
        return (
            f'<marker id="{dom_id}-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" '
            'orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{fill}" stroke="{colour}" stroke-width="1.2"/>'
            "</marker>"
        )

    return (
        "<defs>"
        + head("up", LINE, True)
        + head("down", LINE, False)
        + head("up-loop", LOOP, True)
        + head("down-loop", LOOP, False)
        + "</defs>"
    )


def _anchor(node: Node, side: str) -> tuple[float, float]:
    x, y = _place(node)
    return (x + NODE_W if side == "right" else x, y + NODE_H / 2)


def _edge(edge: Edge, nodes: dict[int, Node], paired: bool, dom_id: str) -> str:
    source, target = nodes[edge.source], nodes[edge.target]
    if source.rank < target.rank:
        (x1, y1), (x2, y2) = _anchor(source, "right"), _anchor(target, "left")
    elif source.rank > target.rank:
        (x1, y1), (x2, y2) = _anchor(source, "left"), _anchor(target, "right")
    else:  # same level (a loop): an arc out to the right
        (x1, y1), (x2, y2) = _anchor(source, "right"), _anchor(target, "right")
    dx, dy = x2 - x1, y2 - y1
    length = max((dx * dx + dy * dy) ** 0.5, 1.0)
    span = abs(source.rank - target.rank)
    bend = 0.0
    if paired:
        bend += 16
    if span == 0:
        bend += 40 + 0.25 * abs(dy)
    elif span > 1:
        bend += 22 * (span - 1)
    if span == 0:  # out to the right of the column, the pair's second arc further out
        cx, cy = max(x1, x2) + bend + (36 if paired and dy < 0 else 0), (y1 + y2) / 2
    else:  # the control point sits left of the direction of travel: a pair's arcs part
        cx, cy = (x1 + x2) / 2 + bend * dy / length, (y1 + y2) / 2 - bend * dx / length
    loop = "cycle" in edge.marks
    colour = LOOP if loop else LINE
    dashes = []
    if edge.kind != UPGRADE:
        dashes.append('stroke-dasharray="7 4"')
    if "to_inactive" in edge.marks or "to_draft" in edge.marks:
        dashes = ['stroke-dasharray="2 3"']
    marker = ("up" if edge.kind == UPGRADE else "down") + ("-loop" if loop else "")
    words = edge.mark_words
    move = (
        pgettext("portal", "{source} upgrades to {target}")
        if edge.kind == UPGRADE
        else pgettext("portal", "{source} downgrades to {target}")
    )
    label = fill(move, source=source.mpn, target=target.mpn)
    label += f" ({', '.join(words)})" if words else ""
    parts = [
        f'<g class="edge edge-{edge.kind}" data-marks="{" ".join(edge.marks)}">',
        f"<title>{escape(label)}</title>",
        f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" fill="none" '
        f'stroke="{colour}" stroke-width="{3 if loop else 1.6}" {" ".join(dashes)} '
        f'marker-end="url(#{dom_id}-{marker})"/>',
    ]
    if words:  # the marks in words, at the curve's middle
        mx, my = (x1 + 2 * cx + x2) / 4, (y1 + 2 * cy + y2) / 4
        anchor, my = ("middle", my - 4) if span else ("start", my + (10 if dy > 0 else -6))
        parts.append(
            f'<text x="{mx + (0 if span else 4):.1f}" y="{my:.1f}" font-size="11" '
            f'text-anchor="{anchor}" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(', '.join(words))}</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def _node(node: Node) -> str:
    x, y = _place(node)
    loop = "cycle" in node.marks
    off = "inactive" in node.marks or "draft" in node.marks
    border = f'stroke="{LOOP if loop else LINE}" stroke-width="{3 if loop else 1.4}"'
    if off:
        border += ' stroke-dasharray="5 3"'
    fill = "#e5e7eb" if off else "#ffffff"
    words = node.mark_words
    marks = f" ({', '.join(words)})" if words else ""
    return (
        f'<g class="node" data-item="{node.pk}" data-marks="{" ".join(node.marks)}">'
        f"<title>{escape(node.label + marks)}</title>"
        f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{fill}" {border}/>'
        f'<text x="{x + 10}" y="{y + 19}" font-size="13" font-weight="600" fill="{LINE}">'
        f"{escape(_short(node.name))}</text>"
        f'<text x="{x + 10}" y="{y + 35}" font-size="12" fill="{MUTED}">'
        f"{escape(_short(node.mpn, 32))}</text>"
        + (
            f'<text x="{x + 10}" y="{y + 50}" font-size="11" font-weight="600" '
            f'fill="{LOOP if loop else LINE}">{escape(_short(", ".join(words), 34))}</text>'
            if words
            else ""
        )
        + "</g>"
    )


def _legend(graph: PathGraph, top: float, dom_id: str) -> list[str]:
    """One line per kind of arrow, then one per mark found in the graph."""
    lines = [
        ("up", fill(pgettext("portal", "Upgrade: solid line, filled arrowhead")), ""),
        (
            "down",
            fill(pgettext("portal", "Downgrade: dashed line, open arrowhead")),
            'stroke-dasharray="7 4"',
        ),
    ]
    entries = []
    for index, (marker, text, dash) in enumerate(lines):
        y = top + index * 22
        entries.append(
            f'<g class="legend"><path d="M{MARGIN},{y} h40" stroke="{LINE}" stroke-width="1.6" '
            f'{dash} marker-end="url(#{dom_id}-{marker})"/>'
            f'<text x="{MARGIN + 52}" y="{y + 4}" font-size="12" fill="{LINE}">'
            f"{escape(text)}</text></g>"
        )
    for index, mark in enumerate(graph.marks_used, start=len(lines)):
        y = top + index * 22
        entries.append(
            f'<g class="legend"><text x="{MARGIN}" y="{y + 4}" font-size="12" fill="{LINE}">'
            f'<tspan font-weight="600">{escape(str(MARK_WORDS[mark]))}</tspan>: '
            f"{escape(str(MARKS[mark]))}</text></g>"
        )
    return entries
