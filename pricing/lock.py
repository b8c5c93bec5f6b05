"""The lock: why an offering or a rate may no longer change."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from pricing.models import ContractOffering, Offering, QuoteLine, Rate

PROCESSED = "processed"


def lock_reasons(offering: Offering) -> list[str]:
    """Why the offering is locked (processed quotes, contracts, active rates); empty if not."""
    quotes = (
        QuoteLine.objects.filter(offering=offering, quote__status=PROCESSED)
        .values_list("quote_id", flat=True)
        .distinct()
        .order_by("quote_id")
    )
    contracts = (
        ContractOffering.objects.filter(offering=offering)
        .values_list("contract_id", flat=True)
        .order_by("contract_id")
    )
    rates = Rate.objects.filter(offering=offering, status=Rate.Status.ACTIVE).order_by("pk")
    return describe_lock(quotes, contracts, [rate.name for rate in rates])


def describe_lock(quote_ids, contract_ids, active_rate_names) -> list[str]:
    """The lock's reasons in words, the same wherever they are shown."""
    return [
        *(f"used by processed quote Q-{pk}" for pk in quote_ids),
        *(f"held by contract C-{pk}" for pk in contract_ids),
        *(f"rate {name!r} is active" for name in active_rate_names),
    ]


def rate_lock_reasons(rate: Rate) -> list[str]:
    """Why a rate's prices may not change: processed quotes or contracts it priced."""
    quotes = (
        QuoteLine.objects.filter(rate=rate, quote__status=PROCESSED)
        .values_list("quote_id", flat=True)
        .distinct()
        .order_by("quote_id")
    )
    contracts = (
        ContractOffering.objects.filter(
            offering_id=rate.offering_id, contract__quote__lines__rate=rate
        )
        .values_list("contract_id", flat=True)
        .distinct()
        .order_by("contract_id")
    )
    return [
        *(f"priced processed quote Q-{pk}" for pk in quotes),
        *(f"priced contract C-{pk}" for pk in contracts),
    ]


def with_lock_flag(queryset):
    """Annotate ``locked`` on offerings in one query, for lists."""
    return queryset.annotate(
        locked=Exists(QuoteLine.objects.filter(offering=OuterRef("pk"), quote__status=PROCESSED))
        | Exists(ContractOffering.objects.filter(offering=OuterRef("pk")))
        | Exists(Rate.objects.filter(offering=OuterRef("pk"), status=Rate.Status.ACTIVE))
    )
