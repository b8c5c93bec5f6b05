"""The admin's search, in a form the database answers from its indexes.

Django's admin writes a search as one ``OR`` of ``icontains`` over the ``search_fields``; a
field in another table (an item's ``product__name``) puts a join inside that ``OR``, and then
PostgreSQL cannot combine the trigram indexes (``catalog/migrations/0007``) of the columns:
it reads every item of the vendor and tests each (36,000 of them for a vendor of a million
items). ``RelatedFirstSearchMixin`` matches such a field in its own table first, among the rows
the user may see, and searches the list by the ids found (``product_id IN (…)``), so each
branch of the ``OR`` is an index read of its own. Past ``related_search_limit`` matches (a
word every product name holds) the field is searched through the join as Django does.

Terms are split and unquoted as Django splits them; every term must match (``AND``), each in
any field (``OR``). Fields with Django's prefixes (``^``, ``=``, ``@``) or of more than one
hop are left to Django.
"""

from __future__ import annotations

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils.text import smart_split, unescape_string_literal


def search_terms(search_term: str) -> list[str]:
    """The admin's words of a search, as ``ModelAdmin.get_search_results`` splits them."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        terms.append(bit)
    return terms


def _related_hop(model, field_name: str):
    """``(foreign key, related column)`` when ``field_name`` is ``fk__column`` over a foreign
    key to a model that scopes its rows (``visible_to``); otherwise ``None``."""
    parts = field_name.split(LOOKUP_SEP)
    if len(parts) != 2:
        return None
    try:
        key = model._meta.get_field(parts[0])
    except FieldDoesNotExist:
        return None
    if not (key.many_to_one and key.concrete):
        return None
    related = key.related_model
    try:
        column = related._meta.get_field(parts[1])
    except FieldDoesNotExist:
        return None
    if column.is_relation or not hasattr(related._default_manager, "visible_to"):
        return None
    return key, column.name


class RelatedFirstSearchMixin:
    related_search_limit = 1_000

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]
        hops = {field: _related_hop(queryset.model, field) for field in fields}
        if not search_term or not any(hops.values()) or any(f[0] in "^=@" for f in fields):
            return super().get_search_results(request, queryset, search_term)
        joined = set()  # fields searched through their join, as Django would
        for term in search_terms(search_term):
            matches = models.Q()
            for field in fields:
                hop = hops[field]
                ids = self._related_ids(request, hop, term) if hop else None
                if ids is None:
                    matches |= models.Q(**{f"{field}__icontains": term})
                    joined.add(field)
                else:
                    matches |= models.Q(**{f"{hop[0].attname}__in": ids})
            queryset = queryset.filter(matches)
        duplicates = any(lookup_spawns_duplicates(self.opts, field) for field in joined)
        return queryset, duplicates

    def _related_ids(self, request, hop, term) -> list | None:
        key, column = hop
        rows = key.related_model._default_manager.visible_to(request.user)
        ids = list(
            rows.filter(**{f"{column}__icontains": term})
            .order_by()
            .values_list("pk", flat=True)[: self.related_search_limit + 1]
        )
        return None if len(ids) > self.related_search_limit else ids
