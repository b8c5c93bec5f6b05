"""Two ways through a list, both answering in the same time on the first page of 10 rows or
of a million.

- **By page number** (the default): ``{"count", "count_capped", "next", "previous",
  "results"}``, ``?page=`` and ``?page_size=`` (up to 200). The count is exact up to
  ``API_COUNT_LIMIT`` rows (setting; 10,000): it is counted as
  ``SELECT COUNT(*) FROM (SELECT … LIMIT 10,001)``, never over the whole table. A longer list
  says ``"count": 10000, "count_capped": true``, and its pages stop there: the page past
  them is a 404 that points to the cursor.
- **By cursor** (``?cursor=``, empty for the first page): ``{"next", "previous",
  "results"}``, no count; each page starts where the last one ended (a keyset on the list's
  ``?ordering=``, by id when none is given), so a page a million rows in costs what the
  first one does. Follow ``next`` until it is null.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.functional import cached_property
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

MAX_PAGE_SIZE = 200


def count_limit() -> int:
    return getattr(settings, "API_COUNT_LIMIT", 10_000)


class CappedPaginator(DjangoPaginator):
    """A paginator that counts at most ``limit`` + 1 rows: the pages of a longer list stop
    at ``limit`` rows, and ``capped`` says there are more."""

    limit = 10_000

    @cached_property
    def counted(self) -> int:
        """The rows, counted up to one past the limit (a bounded subquery)."""
        rows = self.object_list
        if hasattr(rows, "query"):  # a queryset: COUNT(*) over a LIMITed subquery
            return rows[: self.limit + 1].count()
        return min(len(rows), self.limit + 1)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def capped(self) -> bool:
        return self.counted > self.limit


class KeysetPagination(CursorPagination):
    """The cursor: by the list's ``?ordering=`` (its first field), by id when none is given."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class Pagination(PageNumberPagination):
    """Page numbers by default; a cursor when ``?cursor=`` is given (see the module)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = KeysetPagination.cursor_query_param

    def django_paginator_class(self, object_list, per_page, **kwargs):
        paginator = CappedPaginator(object_list, per_page, **kwargs)
        paginator.limit = count_limit()
        return paginator

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
                    "(10,000 by default). Absent with ?cursor=.",
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
