"""Pricing API views for selling: quotes with their lines, and contracts. Parse, call one
service, render."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from catalog.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet
from catalog.api.idempotency import idempotent
from catalog.api.strict import refuse_any_body
from pricing import quote_lines, selling
from pricing.api.filters import ContractFilter, QuoteFilter
from pricing.api.serializers import (
    ContractSerializer,
    QuoteLineReplaceSerializer,
    QuoteLineSerializer,
    QuoteSerializer,
)
from pricing.models import Contract, Quote

QUOTE_FIELDS = {field.name for field in Quote._meta.fields}


@contextmanager
def quote_errors():
    """A refused quote field under its name; a refused line under ``lines``."""
    try:
        yield
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) <= QUOTE_FIELDS:
            raise ValidationError(exc.message_dict) from exc
        raise ValidationError({"lines": exc.messages}) from exc


class QuoteViewSet(ScopedModelViewSet):
    """Quotes to a customer with their lines; processing freezes their prices. A draft's lines
    are added, changed, removed or replaced under ``lines/``. Deleting a draft quote cancels
    it."""

    queryset = Quote.objects.all()
    serializer_class = QuoteSerializer
    vendor_from_body = True
    filterset_class = QuoteFilter
    search_fields = ("customer",)
    ordering_fields = ("id", "customer")
    ordering = ("-id",)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        lines = [quote_lines.QuoteLineSpec(**line) for line in data.pop("lines", [])]
        with quote_errors():  # one transaction: a refused line, no quote
            serializer.instance = selling.quote_create(
                vendor=self.acting_vendor(), lines=lines, by=self.request.user, **data
            )

    def perform_destroy(self, instance):
        selling.quote_cancel(quote=instance, by=self.request.user)

    def destroy(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def render(self, quote, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=quote.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def line_specs(self, lines) -> list[quote_lines.QuoteLineSpec]:
        return [
            quote_lines.QuoteLineSpec(
                pk=line["line"].pk if line["line"] is not None else None,
                **{name: value for name, value in line.items() if name != "line"},
            )
            for line in lines
        ]

    @extend_schema(request=QuoteLineSerializer, responses={201: QuoteSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="lines",
        http_method_names=["post", "put", "options"],
    )
    @idempotent
    def add_line(self, request, pk=None):
        """Add a line to a draft quote (409 QUOTE_NOT_DRAFT once it is processed or
        cancelled). Lines are checked when the quote is processed. Accepts an
        ``Idempotency-Key`` header."""
        quote = self.get_object()
        data = QuoteLineSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with quote_errors():
            quote_lines.quote_add_line(quote=quote, by=request.user, **data.validated_data)
        return self.render(quote, status.HTTP_201_CREATED)

    @extend_schema(request=QuoteLineReplaceSerializer(many=True), responses=QuoteSerializer)
    @add_line.mapping.put
    def set_lines(self, request, pk=None):
        """Make a draft quote's lines exactly these, in one request: a line naming an existing
        one (``line``) changes it, one without is added, lines left out are removed. 409
        QUOTE_NOT_DRAFT once the quote is processed or cancelled."""
        quote = self.get_object()
        data = QuoteLineReplaceSerializer(
            data=request.data, many=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        with quote_errors():
            selling.quote_update(
                quote=quote, lines=self.line_specs(data.validated_data), by=request.user
            )
        return self.render(quote)

    def quote_line(self, quote, line_id) -> bool:
        return quote.lines.filter(pk=line_id).exists()

    @staticmethod
    def no_such_line() -> Response:
        return Response(
            {"code": "NOT_FOUND", "detail": "The quote has no such line.", "errors": {}},
            status=status.HTTP_404_NOT_FOUND,
        )

    @extend_schema(request=QuoteLineSerializer(partial=True), responses=QuoteSerializer)
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"lines/(?P<line_id>[0-9]+)",
        http_method_names=["patch", "delete", "options"],
    )
    def change_line(self, request, pk=None, line_id=None):
        """Change one line of a draft quote: the fields given, the others as they are. 409
        QUOTE_NOT_DRAFT once the quote is processed or cancelled."""
        quote = self.get_object()
        if not self.quote_line(quote, line_id):
            return self.no_such_line()
        data = QuoteLineSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        with quote_errors():
            quote_lines.quote_change_line(
                quote=quote, line_id=int(line_id), by=request.user, **data.validated_data
            )
        return self.render(quote)

    @extend_schema(request=None, responses={204: None})
    @change_line.mapping.delete
    def remove_line(self, request, pk=None, line_id=None):
        """Take a line out of a draft quote. 409 QUOTE_NOT_DRAFT once the quote is processed
        or cancelled."""
        quote = self.get_object()
        if not self.quote_line(quote, line_id):
            return self.no_such_line()
        quote_lines.quote_remove_line(quote=quote, line_id=int(line_id), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=QuoteSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def process(self, request, pk=None):
        """Process a draft quote: check it, freeze its prices and total. Accepts an
        ``Idempotency-Key`` header."""
        refuse_any_body(request)
        quote = selling.quote_process(quote=self.get_object(), by=request.user)
        quote = self.get_queryset().get(pk=quote.pk)
        return Response(self.get_serializer(quote).data)


class ContractViewSet(ScopedReadOnlyViewSet):
    """Contracts made from processed quotes: the customer's term and the offerings it holds."""

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    search_fields = ("customer",)
    ordering = ("-id",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("contract_offerings")

    @extend_schema(request=ContractSerializer, responses=ContractSerializer)
    @idempotent
    def create(self, request, *args, **kwargs):
        """Make a contract from a processed quote (``{"quote": id}``). Accepts an
        ``Idempotency-Key`` header."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = selling.contract_create(
            quote=serializer.validated_data["quote"], by=request.user
        )
        contract = self.get_queryset().get(pk=contract.pk)
        return Response(self.get_serializer(contract).data, status=status.HTTP_201_CREATED)


ContractViewSet.http_method_names = ["get", "post", "head", "options"]
