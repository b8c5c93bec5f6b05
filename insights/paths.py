"""Upgrade paths as a graph: a product's items (nodes) and their upgrade and downgrade
paths (edges), ranked by upgrade depth, with what is wrong marked.

Pure reads, two queries whatever the product's size (its items, its paths), both through
``visible_to(user)``: a distributor's graph holds only the items and paths it may see (no
drafts), a vendor's its own product's, drafts included.

How the items rank: an upgrade A → B puts B above A, a downgrade A → B puts B below A.
Items that sit above themselves that way (A upgrades to B and B upgrades to A, or longer
loops, or a downgrade contradicting an upgrade chain) form a **cycle**: every item and path
of it is marked, and its items share one rank. The rank of an item is the length of the
longest climb that reaches it from an item with nothing below it (its upgrade depth).

Marks (the words are ``MARKS``):
- node ``cycle``: on a loop of paths; ``dead_end``: a path leads to it and none leads away;
  ``inactive``: end of sale; ``draft``: not published yet.
- edge ``cycle``: part of a loop; ``to_inactive``: leads to an item at end of sale;
  ``to_draft``: leads to a draft item.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import pgettext_lazy

from catalog.models import Item, ItemPath, Product

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

UPGRADE = ItemPath.Kind.UPGRADE.value
DOWNGRADE = ItemPath.Kind.DOWNGRADE.value

# Every mark with the sentence that explains it (the legend, the API's ``marks``), in the
# portal's words (its catalogues translate them: the portal shows the ladder).
MARKS = {
    "cycle": pgettext_lazy(
        "portal", "On a loop: following the paths upwards comes back to where it started."
    ),
    "dead_end": pgettext_lazy("portal", "A path leads here and no path leads away."),
    "inactive": pgettext_lazy("portal", "The item is at end of sale."),
    "draft": pgettext_lazy("portal", "The item is a draft, not published."),
    "to_inactive": pgettext_lazy("portal", "The path leads to an item at end of sale."),
    "to_draft": pgettext_lazy("portal", "The path leads to a draft item."),
}

# What the picture and the pages say for each mark, in a few words.
MARK_WORDS = {
    "cycle": pgettext_lazy("portal", "loop"),
    "dead_end": pgettext_lazy("portal", "dead end"),
    "inactive": pgettext_lazy("portal", "end of sale"),
    "draft": pgettext_lazy("portal", "draft"),
    "to_inactive": pgettext_lazy("portal", "to end of sale"),
    "to_draft": pgettext_lazy("portal", "to draft"),
}


@dataclass
class Node:
    pk: int
    mpn: str
    name: str
    status: str
    rank: int = 0
    position: int = 0  # the place within its rank, from the top
    marks: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} [{self.mpn}]"

    @property
    def mark_words(self) -> list[str]:
        return [str(MARK_WORDS[mark]) for mark in self.marks]


@dataclass
class Edge:
    pk: int
    source: int
    target: int
    kind: str
    marks: list[str] = field(default_factory=list)

    @property
    def mark_words(self) -> list[str]:
        return [str(MARK_WORDS[mark]) for mark in self.marks]


@dataclass
class PathGraph:
    product: Product
    nodes: list[Node]  # by rank, then position
    edges: list[Edge]
    cycles: list[list[int]]  # the item ids of each loop, each sorted by MPN

    @property
    def by_pk(self) -> dict[int, Node]:
        return {node.pk: node for node in self.nodes}

    @property
    def ranks(self) -> list[list[Node]]:
        """The nodes of each rank, lowest first (the rungs of the ladder)."""
        rungs: list[list[Node]] = [[] for _ in range(self.rank_count)]
        for node in self.nodes:
            rungs[node.rank].append(node)
        return rungs

    @property
    def rank_count(self) -> int:
        return max((node.rank for node in self.nodes), default=-1) + 1

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(words, meaning) of each mark found in the graph."""
        return [(str(MARK_WORDS[mark]), str(MARKS[mark])) for mark in self.marks_used]

    @property
    def marks_used(self) -> list[str]:
        """The marks found anywhere in the graph, in ``MARKS`` order."""
        used = {mark for row in [*self.nodes, *self.edges] for mark in row.marks}
        return [mark for mark in MARKS if mark in used]

    @property
    def has_problems(self) -> bool:
        return bool(self.marks_used)

    def rows(self) -> list[NodeRow]:
        """Each node with where its paths lead (the picture's text twin), level by level."""
        by_pk = self.by_pk
        rows = {node.pk: NodeRow(node=node) for node in self.nodes}
        for edge in self.edges:
            row = rows[edge.source]
            moves = row.upgrades if edge.kind == UPGRADE else row.downgrades
            moves.append((by_pk[edge.target], edge))
        return list(rows.values())


@dataclass
class NodeRow:
    node: Node
    upgrades: list[tuple[Node, Edge]] = field(default_factory=list)
    downgrades: list[tuple[Node, Edge]] = field(default_factory=list)


def product_paths(product: Product, *, user: AbstractBaseUser) -> PathGraph:
    """The graph of ``product``'s items and paths the user may see (two queries)."""
    items = list(
        Item.objects.visible_to(user)
        .filter(product_id=product.pk)
        .order_by("mpn", "pk")
        .values_list("pk", "mpn", "name", "status")
    )
    nodes = {pk: Node(pk=pk, mpn=mpn, name=name, status=status) for pk, mpn, name, status in items}
    rows = (
        ItemPath.objects.visible_to(user)
        .filter(source_id__in=nodes.keys(), target__product_id=product.pk)
        .order_by("source__mpn", "kind", "target__mpn", "pk")
        .values_list("pk", "source_id", "target_id", "kind")
    )
    edges = [
        Edge(pk=pk, source=source, target=target, kind=kind)
        for pk, source, target, kind in rows
        if target in nodes  # a path to an item the user may not see is not shown
    ]
    cycles = _mark(nodes, edges)
    _rank(nodes, edges)
    ordered = sorted(nodes.values(), key=lambda node: (node.rank, node.position))
    return PathGraph(product=product, nodes=ordered, edges=edges, cycles=cycles)


def _upward(edge: Edge) -> tuple[int, int]:
    """The edge as "lower item → higher item"."""
    return (edge.source, edge.target) if edge.kind == UPGRADE else (edge.target, edge.source)


def _components(nodes: dict[int, Node], edges: list[Edge]) -> dict[int, int]:
    """Each item's strongly connected component (Tarjan, iterative): its representative."""
    above: dict[int, list[int]] = defaultdict(list)
    for edge in edges:
        low, high = _upward(edge)
        above[low].append(high)
    index: dict[int, int] = {}
    lowlink: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    component: dict[int, int] = {}
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(above[root]))]
        index[root] = lowlink[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = lowlink[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(above[child])))
                elif child in on_stack:
                    lowlink[node] = min(lowlink[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = node
                    if member == node:
                        break
    return component


def _mark(nodes: dict[int, Node], edges: list[Edge]) -> list[list[int]]:
    """Mark the nodes and edges; the loops found, as lists of item ids."""
    component = _components(nodes, edges)
    members: dict[int, list[int]] = defaultdict(list)
    for pk in nodes:  # nodes are in MPN order
        members[component[pk]].append(pk)
    cycles = [group for group in members.values() if len(group) > 1]
    looped = {pk for group in cycles for pk in group}
    leaving = {edge.source for edge in edges}
    reached = {edge.target for edge in edges}
    for pk, node in nodes.items():
        if pk in looped:
            node.marks.append("cycle")
        if pk in reached and pk not in leaving:
            node.marks.append("dead_end")
        if node.status == Item.Status.END_OF_SALE:
            node.marks.append("inactive")
        elif node.status == Item.Status.DRAFT:
            node.marks.append("draft")
    for edge in edges:
        if component[edge.source] == component[edge.target]:
            edge.marks.append("cycle")
        status = nodes[edge.target].status
        if status == Item.Status.END_OF_SALE:
            edge.marks.append("to_inactive")
        elif status == Item.Status.DRAFT:
            edge.marks.append("to_draft")
    cycles.sort(key=lambda group: nodes[group[0]].mpn)
    return cycles


def _rank(nodes: dict[int, Node], edges: list[Edge]) -> None:
    """Set each node's rank (longest climb over the loops condensed) and its position in its
    rank (by the mean position of the items just below it, then MPN)."""
    component = _components(nodes, edges)
    above: dict[int, set[int]] = defaultdict(set)
    below_count: dict[int, int] = defaultdict(int)
    for edge in edges:
        low, high = (component[pk] for pk in _upward(edge))
        if low != high and high not in above[low]:
            above[low].add(high)
            below_count[high] += 1
    # Kahn's order over the condensed graph: each rank one more than the highest below it.
    rank: dict[int, int] = {}
    ready = sorted({component[pk] for pk in nodes} - set(below_count), key=lambda c: nodes[c].mpn)
    for comp in ready:
        rank[comp] = 0
    while ready:
        comp = ready.pop()
        for high in above[comp]:
            rank[high] = max(rank.get(high, 0), rank[comp] + 1)
            below_count[high] -= 1
            if below_count[high] == 0:
                ready.append(high)
    for pk, node in nodes.items():
        node.rank = rank[component[pk]]
    # Positions: rank by rank, items under the items they climb from.
    below: dict[int, list[int]] = defaultdict(list)
    for edge in edges:
        low, high = _upward(edge)
        below[high].append(low)
    by_rank: dict[int, list[Node]] = defaultdict(list)
    for node in nodes.values():
        by_rank[node.rank].append(node)
    for level in sorted(by_rank):

        def weight(node: Node) -> tuple[float, str]:
            lower = [nodes[pk].position for pk in below[node.pk] if nodes[pk].rank < node.rank]
            return (sum(lower) / len(lower) if lower else float("inf"), node.mpn)

        for position, node in enumerate(sorted(by_rank[level], key=weight)):
            node.position = position
