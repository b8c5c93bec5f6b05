"""A small HTML tree for assertions on rendered pages (standard library only)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Node]:
        """Every element below this one, depth first."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Node]:
        """Elements by tag and attributes; ``class_`` matches one of the element's classes."""
        found = []
        for node in self:
            if tag and node.tag != tag:
                continue
            if all(node.has(name, value) for name, value in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str | bool) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'} {attrs}> in the page"
        return found[0]

    def has(self, name: str, value: str | bool) -> bool:
        """``class_`` matches one class; ``True`` matches any value (boolean attributes)."""
        if name == "class_":
            return value in (self.attrs.get("class") or "").split()
        name = name.rstrip("_").replace("_", "-")  # for_ → for, aria_label → aria-label
        return name in self.attrs if value is True else self.attrs.get(name) == value

    @property
    def text(self) -> str:
        """The text inside, ASCII whitespace collapsed (no-break spaces are kept)."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return re.sub(r"[ \t\n\r\f]+", " ", "".join(parts)).strip(" ")


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(response_or_html) -> Node:
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
