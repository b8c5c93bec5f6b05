"""Pricing API filters (django-filter): foreign keys by id, ``updated_since`` everywhere.

As in ``catalog.api.filters``, a foreign key is an ``IdFilter``: another vendor's id and an
unknown id both give an empty list, never a "not a valid choice" that tells them apart.
"""

from __future__ import annotations

from django_filters import rest_framework as filters

from catalog.api.filters import IdFilter, TrackedFilterSet
from pricing.models import Contract, Offering, PriceBookItem, Quote, Rate


class OfferingFilter(TrackedFilterSet):
    vendor = IdFilter(field_name="vendor")
    item = IdFilter(field_name="offering_items__item", distinct=True)

    class Meta:
        model = Offering
        fields = ("status", "type")


class RateFilter(TrackedFilterSet):
    offering = IdFilter(field_name="offering")
    vendor = IdFilter(field_name="offering__vendor")
    marketplace = IdFilter(field_name="sales_channel")
    currency = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Rate
        fields = ("status", "billing_frequency")


class PriceBookItemFilter(TrackedFilterSet):
    rate = IdFilter(field_name="rate")
    offering = IdFilter(field_name="rate__offering")
    item = IdFilter(field_name="item")
    product = IdFilter(field_name="item__product")
    currency = filters.CharFilter(field_name="rate__currency", lookup_expr="iexact")

    class Meta:
        model = PriceBookItem
        fields = ("charge_model", "pricing_type")


class QuoteFilter(TrackedFilterSet):
    vendor = IdFilter(field_name="vendor")
    currency = filters.CharFilter(lookup_expr="iexact")
    customer = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Quote
        fields = ("status",)


class ContractFilter(TrackedFilterSet):
    vendor = IdFilter(field_name="vendor")
    quote = IdFilter(field_name="quote")
    offering = IdFilter(field_name="offerings", distinct=True)

    class Meta:
        model = Contract
        fields = ()
