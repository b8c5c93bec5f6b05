"""Two ways through a list, both answering in the same time on the first page of 10 rows or
of a million.

- **By page number** (the default): ``{"count", "count_capped", "next", "previous",
  "results"}``, ``?page=`` and ``?page_size=`` (up to 200). The count is exact up to
  ``LIST_COUNT_LIMIT`` rows (setting; 1,000), counted by ``catalog.paginator``, never over
  the whole table. A longer list
  says ``"count": 1000, "count_capped": true``, and its pages stop there: the page past
  them is a 404 that points to the cursor.
- **By cursor** (``?cursor=``, empty for the first page): ``{"next", "previous",
  "results"}``, no count; each page starts where the last one ended (a keyset on the list's
  ``?ordering=``, by id when none is given), so a page a million rows in costs what the
  first one does. Follow ``next`` until it is null.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

from catalog.api.filters import model_field
from catalog.paginator import CappedPaginator, count_limit

MAX_PAGE_SIZE = 200


class KeysetPagination(CursorPagination):
    """The cursor: by the list's ``?ordering=`` (its first field), by id when none is given.

    A page ends at the value of that field's column: a foreign key's id (DRF's own reads the
    attribute, a related row, and keeps its text). Rows with the same value follow by id, so
    a page that ends among them, and the next one, which skips as many of them, count them
    in the same order (PostgreSQL gives ties in any order). A cursor whose position is no
    value of the column is a 404, as any cursor DRF cannot read.
    """

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if any(term.lstrip("-") in ("pk", "id") for term in ordering):
            return ordering
        return (*ordering, "-pk" if ordering[0].startswith("-") else "pk")

    def _column(self, ordering):
        """The model field the ordering's first name is, or None (an annotation)."""
        return model_field(self.model, ordering[0].lstrip("-"))

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        column = self._column(self.ordering)
        if cursor is not None and cursor.position is not None and column is not None:
            try:
                column.to_python(cursor.position)
            except ValidationError:
                raise NotFound(self.invalid_cursor_message) from None
        return cursor

    def _get_position_from_instance(self, instance, ordering):
        column = self._column(ordering)
        if column is None:
            return super()._get_position_from_instance(instance, ordering)
        if isinstance(instance, dict):
            return str(instance[column.attname])
        return str(getattr(instance, column.attname))


class Pagination(PageNumberPagination):
    """Page numbers by default; a cursor when ``?cursor=`` is given (see the module)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = KeysetPagination.cursor_query_param

    django_paginator_class = CappedPaginator

    @property
    def invalid_page_message(self) -> str:
        return (
            "Invalid page: {message} Page numbers reach the first "
            f"{count_limit():,} rows; go further with ?{self.cursor_query_param}= (empty for "
            "the first page), following each page's next link."
        )

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        if self.cursor_query_param in request.query_params:
            self.cursor = KeysetPagination()
            return self.cursor.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": "Page numbers: the rows, exact up to the count limit "
                    "(1,000 by default). Absent with ?cursor=.",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": "Page numbers: true when there are more rows than the count "
                    "says (go on with ?cursor=). Absent with ?cursor=.",
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        cursor = KeysetPagination().get_schema_operation_parameters(view)
        return parameters + [p for p in cursor if p["name"] == self.cursor_query_param]
