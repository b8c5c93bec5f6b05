"""``{% load wording %}``: the template side of ``catalog.wording``.

``{{ value|when }}`` writes a date or a date and time in the one format every history page
and audit uses.
"""

from __future__ import annotations

from django import template

from catalog import wording

register = template.Library()


@register.filter
def when(value) -> str:
    return wording.when(value)
