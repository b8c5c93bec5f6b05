"""Published pricing examples from other billing systems, run through our engine.

Each row of ``EXAMPLES`` is one worked example that Lago, OpenMeter, Stripe, Zuora, Kill Bill,
Sequence, Chargebee, Zuplo, Flexprice, Nadles, Autumn, Metrifox, Stigg or PaymentKit publish.
The row gives the source (a URL, or repo@commit + path + test name), the parameters translated
into ours, the quantity, and the published figure. The catalog of examples is
/work/notes/examples.json (summary: examples.md).

Tier bounds are translated into ours: bands (start, end], the first tier starting at 0.
- Stripe ``up_to`` and OpenMeter ``upTo`` are inclusive upper bounds: (previous, up_to].
- Lago ``from_value``/``to_value`` (0–10, 11–20, 21–) and Zuora "From–To" become
  (0, 10], (10, 20], (20, ∞). Lago's adjacent decimal form (0–0.1, 0.1–1) already is ours.
- Kill Bill's ``max`` counts blocks of ``size`` units, so a tier's end is max × size.
A row keeps the published bounds in a comment where they differ from ours.

Every row asserts OUR amount. Where a system behaves differently from us, or the published
figure is wrong, the row holds ``ours`` (our amount) and ``differs`` (why). The test checks
that the published figure really differs then, so the explanation cannot outlive the
difference. A row with ``bug`` set is an engine bug, xfail(strict=True). There are none at the
moment.

Zero usage with a flat first tier is run both ways. With ``flat_at_zero=True`` we bill the
first tier's flat amount, as OpenMeter and Lago do. With our default (False) we bill 0; those
rows end in ``/default``.

Skipped, because our engine cannot express them (not faked):
- lago-doc-percentage-fixedfee-tx4: a fixed fee per transaction plus free events and a free
  amount, decided per event on running totals. We have no per-event percentage.
- lago-percentage-rate-component-800: the published 18.4 includes a 2.0 fixed fee on each of
  4 events. Only the rate part (10.4) is plain rate × amount, and that is not the published
  total.
- lago-percentage-free-amount-800: a free amount consumed event by event (running totals
  50/150/400) plus per-event fixed fees. The published 11.15 is not rate × amount.
- killbill-capacity-tier: the tier is chosen from several units at once (bandwidth and
  members). We price one quantity. Only tier 1 is published.
- flexprice-volume-65000: the tier table is not in the published excerpt. Only "tier 3 at
  $0.0006" is known, and any bounds we chose would be invented.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.generated import report
from pricing.pricebook import (
    REGISTRY,
    DurationUnit,
    Interval,
    PriceBook,
    SaleLine,
    Tier,
    minimum_commit,
    percent_of_total,
    period_amount,
    price_sale,
    round_money,
    schedule,
)
from pricing.pricebook.sale import MINIMUM_COMMIT, PERCENT_OF_TOTAL

D = Decimal
START = date(2025, 1, 1)
PERCENT = "percentage"  # pricebook.sale: a percent-of-total line over other lines
COMMIT = "minimum_commit"  # pricebook.sale: a minimum commitment with its true-up
FLAT_UNIT = "flat+unit tiers"  # a tier with a flat amount and a unit price
ZERO_USAGE = "zero usage"
LIMIT = "minimum/maximum per period"

LAGO = "getlago/lago-api@1b1c24a6a6c321d7900b05906bf1b20f706c97c2"
LAGO_GRADUATED = f"{LAGO} spec/services/charge_models/graduated_service_spec.rb ::"
LAGO_VOLUME = f"{LAGO} spec/services/charge_models/volume_service_spec.rb ::"
LAGO_PACKAGE = f"{LAGO} spec/services/charge_models/package_service_spec.rb ::"
LAGO_PERCENTAGE = f"{LAGO} spec/services/charge_models/percentage_service_spec.rb ::"
LAGO_TRUE_UP = f"{LAGO} spec/services/fees/create_true_up_service_spec.rb ::"
LAGO_COMMIT = f"{LAGO} spec/services/commitments/minimum/calculate_true_up_fee_service_spec.rb ::"
LAGO_DOCS = "getlago/lago-docs docs/guide/05_plans/charges"
OPENMETER = "openmeterio/openmeter@7e57a394a0283fb210a644685ad1d257f6d5c85c"
OM_RATE = f"{OPENMETER} openmeter/billing/rating/service/rate"
OM_VOLUME = f"{OM_RATE}/tieredvolume_test.go :: TestTieredVolumeCalculation /"
OM_GRADUATED = f"{OM_RATE}/tieredgraduated_test.go ::"
OM_PACKAGE = f"{OM_RATE}/package_test.go ::"
OM_UNIT = f"{OM_RATE}/unit_test.go :: TestUnitPriceCalculation /"
STRIPE_TIERS = "https://docs.stripe.com/subscriptions/pricing-models/tiered-pricing"
STRIPE_LEGACY = "https://stripe.com/docs/billing/subscriptions/tiers"
STRIPE_TRANSFORM = "https://stripe.com/docs/billing/subscriptions/quantity-transformation"
KILLBILL_USAGE = "killbill/killbill-docs userguide/subscription/includes/catalog-usage.adoc"
ZUORA_DOCS = "https://docs.zuora.com/en/zuora-billing"
ZUORA_MINMAX = (
    f"{ZUORA_DOCS}/set-up-zuora-billing/build-product-and-prices/dynamic-pricing/use-cases/"
    "charge-level-minmax-rules-for-per-unit-pricing"
)
ZUORA_RATING = (
    f"{ZUORA_DOCS}/bill-your-customer/billing-document-templates-configuration/"
    "configure-html-templates-for-billing-documents/customize-html-templates/"
    "configure-ratingdetails-in-html-template/ratingdetail-schema"
)
SEQUENCE = "https://docs.sequencehq.com/plans-products/pricing-models"
CHARGEBEE = "https://www.chargebee.com/docs/billing/2.0/product-catalog/package-pricing"
ZUPLO = "https://zuplo.com/docs/articles/monetization/pricing-models"
METRIFOX = "https://docs.metrifox.com/pricing-models"
NADLES = "https://docs.nadles.com/pricing/create-price"
STIGG = (
    "https://docs.stigg.io/documentation/modeling-your-pricing-in-stigg/plans/overages/overview"
    " (Example use cases)"
)

Band = tuple[str, str | None, str, str]  # (start, end or None, unit price, flat amount)


def bands(*rows: tuple) -> tuple[Band, ...]:
    """Our tiers as (start, end, unit price[, flat amount])."""
    return tuple((start, end, unit, flat[0] if flat else "0") for start, end, unit, *flat in rows)


# Lago graduated_service_spec: 0–10 @10 + 2 flat, 11–20 @5 + 3, 21– @5 + 3.
LAGO_GRADUATED_TIERS = bands((0, 10, "10", "2"), (10, 20, "5", "3"), (20, None, "5", "3"))
# Lago volume_service_spec: 0–100 @2 + 10 flat, 101–200 @1, 201– @0.5 + 50.
LAGO_VOLUME_TIERS = bands((0, 100, "2", "10"), (100, 200, "1"), (200, None, "0.5", "50"))
# OpenMeter tieredvolume_test: upTo 5 flat 100, upTo 10 flat 150, upTo 15 @10, then @5.
OM_VOLUME_TIERS = bands((0, 5, "0", "100"), (5, 10, "0", "150"), (10, 15, "10"), (15, None, "5"))
# OpenMeter TestTieredPriceCalculator: upTo 5 flat 100, upTo 10 flat 50, upTo 15 @10, then @5.
OM_GRADUATED_TIERS = bands((0, 5, "0", "100"), (5, 10, "0", "50"), (10, 15, "10"), (15, None, "5"))
# OpenMeter TestTieredGraduatedCalculation: upTo 5 flat 100 + @0, upTo 10 flat 50, upTo 15 @5,
# then @1.
OM_GRADUATED_FLAT_UNIT_TIERS = bands(
    (0, 5, "0", "100"), (5, 10, "0", "50"), (10, 15, "5"), (15, None, "1")
)
# Stripe Typographic volume table: 1–5 @7, 6–10 @6.5, 11+ @6.
STRIPE_TYPOGRAPHIC_TIERS = bands((0, 5, "7"), (5, 10, "6.5"), (10, None, "6"))
# Stripe legacy page: up_to 5 @500¢, 10 @400¢, 15 @300¢, 20 @200¢, inf @100¢.
STRIPE_LEGACY_TIERS = bands(
    (0, 5, "5"), (5, 10, "4"), (10, 15, "3"), (15, 20, "2"), (20, None, "1")
)
# Zuplo: 0–1,000 @0.10, 1,001–10,000 @0.05, 10,001+ @0.01.
ZUPLO_TIERS = bands((0, 1000, "0.10"), (1000, 10000, "0.05"), (10000, None, "0.01"))
# Metrifox: first 1,000 @0.10, 1,001–5,000 @0.08.
METRIFOX_TIERS = bands((0, 1000, "0.10"), (1000, 5000, "0.08"))
# Sequence: "0 – 100" @1 + 20 flat, "100 – ∞" @0.75 + 50 (the bound at exactly 100 is unclear).
SEQUENCE_TIERS = bands((0, 100, "1", "20"), (100, None, "0.75", "50"))
# Nadles: 1–100 @0.5 + 5 flat, 101–200 @0.3 (no flat applied, per the 140-unit example).
NADLES_TIERS = bands((0, 100, "0.5", "5"), (100, 200, "0.3"))
# Kill Bill minutes, counted in blocks of 10: size 10 @1.00 max 100 blocks, size 10 @0.50 max
# -1. Our unit is the block, so tier 1 is (0, 100] blocks = 1,000 minutes.
KILLBILL_MINUTE_BLOCK_TIERS = bands((0, 100, "1.00"), (100, None, "0.50"))
# Kill Bill Mbytes: size 1 @0.5 max 1024, size 1 @0.1 max -1.
KILLBILL_MBYTE_TIERS = bands((0, 1024, "0.5"), (1024, None, "0.1"))


@dataclass(frozen=True)
class Example:
    """One published example. ``model`` is our charge model, or PERCENT / COMMIT.

    Amounts are in currency units. The Lago true-up and commitment specs publish cents; those
    rows convert them and say so. For PERCENT, ``price`` is the percentage and ``quantity``
    the amount it applies to. For COMMIT, ``price`` is the commitment and ``usage`` the
    charges set against it as (charge model, price, quantity).
    """

    id: str
    source: str
    model: str
    quantity: str
    published: str  # the published figure
    price: str = "0"
    tiers: tuple[Band, ...] = ()
    included: str = "0"
    overage: str = "0"
    package: str | None = None
    minimum: str | None = None
    maximum: str | None = None
    flat_at_zero: bool = False
    extra: str | None = None  # the kind of the period's extra line: "minimum" or "maximum"
    usage: tuple[tuple[str, str, str], ...] = ()  # COMMIT: (charge model, price, quantity)
    billed: str | None = None  # COMMIT: the published total with the true-up
    currency: str = "USD"
    covers: tuple[str, ...] = ()  # further headings this example counts under
    note: str = ""
    ours: str | None = None  # our amount, where it differs from the published one
    differs: str = ""  # why it differs
    bug: str = ""  # an engine bug: the case is xfail(strict=True) with this reason

    @property
    def expected(self) -> Decimal:
        return D(self.ours if self.ours is not None else self.published)

    @property
    def headings(self) -> tuple[str, ...]:
        return (self.model, *self.covers)


def om_volume(id, test, quantity, published, **more):
    return Example(
        id,
        f'{OM_VOLUME} t.Run("{test}")',
        "volume",
        quantity=quantity,
        published=published,
        tiers=OM_VOLUME_TIERS,
        **more,
    )


def om_graduated(id, test, quantity, published, **more):
    return Example(
        id,
        f'{OM_GRADUATED} TestTieredPriceCalculator / t.Run("{test}")',
        "tiered",
        quantity=quantity,
        published=published,
        tiers=OM_GRADUATED_TIERS,
        **more,
    )


def lago_graduated(id, context, quantity, published, **more):
    return Example(
        id,
        f"{LAGO_GRADUATED} {context}",
        "tiered",
        quantity=quantity,
        published=published,
        tiers=LAGO_GRADUATED_TIERS,
        currency="EUR",
        covers=(FLAT_UNIT, *more.pop("covers", ())),
        **more,
    )


def lago_volume(id, context, quantity, published, **more):
    return Example(
        id,
        f"{LAGO_VOLUME} {context}",
        "volume",
        quantity=quantity,
        published=published,
        tiers=LAGO_VOLUME_TIERS,
        currency="EUR",
        covers=(FLAT_UNIT, *more.pop("covers", ())),
        **more,
    )


ZERO_FLAT_FIRST_TIER = (
    "The engine runs it with flat_at_zero=True, as Lago and OpenMeter do. price_problems "
    "refuses flat_at_zero without a flat amount on the first tier; stored with "
    "flat_at_zero=False, the price bills the same 0."
)
FLAT_AT_ZERO_DEFAULT = (
    "Our default (flat_at_zero=False) bills nothing for a quantity of 0. {system} bills the "
    "first tier's flat amount ({published}). The flat_at_zero=True row reproduces it."
)


def default_at_zero(example: Example, system: str) -> Example:
    """The same zero-usage example under our default: no flat amount at 0."""
    return replace(
        example,
        id=f"{example.id}/default",
        flat_at_zero=False,
        ours="0",
        differs=FLAT_AT_ZERO_DEFAULT.format(system=system, published=example.published),
    )


LAGO_GRADUATED_Q0 = lago_graduated(
    "lago-graduated-flat-unit-q0",
    'context "when aggregation is 0" / it "applies the flat amount from the first tier"',
    quantity="0",
    published="2",
    flat_at_zero=True,
    covers=(ZERO_USAGE,),
)
LAGO_VOLUME_Q0 = lago_volume(
    "lago-volume-flat-unit-q0",
    'context "when aggregation is 0" / it "applies the flat amount from the first tier"',
    quantity="0",
    published="10",
    flat_at_zero=True,
    covers=(ZERO_USAGE,),
)
OM_VOLUME_Q0 = om_volume(
    "openmeter-volume-q0",
    "tiered volume, last price, no usage",
    quantity="0",
    published="100",
    flat_at_zero=True,
    covers=(ZERO_USAGE,),
    note="LastInPeriodSplitLineMode: the line is the whole period.",
)
OM_GRADUATED_Q0 = om_graduated(
    "openmeter-graduated-q0",
    "totals, no usage",
    quantity="0",
    published="100",
    flat_at_zero=True,
    covers=(ZERO_USAGE,),
    note="OpenMeter: // If there's no usage in the first tier we need to bill the flat fee "
    "regardless.",
)

EXAMPLES: list[Example] = [
    # ---- flat_fee ----
    Example(
        "openmeter-flat-100",
        f'{OM_RATE}/flat_test.go :: t.Run("flat price, in arrears")',
        "flat_fee",
        quantity="1",
        published="100",
        price="100",
    ),
    Example(
        "zuora-flat-fee-rating-160",
        f"{ZUORA_RATING}/example-flat-fee-pricing-model",
        "flat_fee",
        quantity="160",
        published="99",
        price="99.00",
        note="Usage 160; the charge is $99.00 whatever the usage.",
    ),
    Example(
        "zuora-flat-gym-50",
        "https://knowledgecenter.zuora.com/Billing/Subscriptions/Product_Catalog/"
        "B_Charge_Models (Flat Fee Pricing)",
        "flat_fee",
        quantity="1",
        published="50",
        price="50",
        note="A gym membership at $50 a month.",
    ),
    # ---- per_unit ----
    Example(
        "lago-doc-standard-1000",
        f"{LAGO_DOCS}/price-models/standard.md",
        "per_unit",
        quantity="1000",
        published="50",
        price="0.05",
    ),
    Example(
        "openmeter-unit-q10",
        f'{OM_UNIT} t.Run("usage present")',
        "per_unit",
        quantity="10",
        published="1000",
        price="100",
    ),
    Example(
        "stripe-legacy-per-unit-q6",
        f"{STRIPE_LEGACY} (billing_scheme=per_unit table)",
        "per_unit",
        quantity="6",
        published="30",
        price="5",  # unit_amount 500 (cents)
    ),
    Example(
        "stripe-legacy-per-unit-q25",
        f"{STRIPE_LEGACY} (billing_scheme=per_unit table)",
        "per_unit",
        quantity="25",
        published="125",
        price="5",  # unit_amount 500 (cents)
    ),
    Example(
        "zuora-orders-perunit-10",
        f"{ZUORA_DOCS}/manage-accounts-subscriptions-and-non-subscriptions/"
        "manage-subscription-transactions/orders/order-delta-metrics-and-order-metrics/"
        "order-metrics/part-1---example",
        "per_unit",
        quantity="10",
        published="50",
        price="5.00",
        note="List price 8.00 reduced to 5.00.",
    ),
    Example(
        "sequence-linear-550",
        f"{SEQUENCE} (Linear pricing)",
        "per_unit",
        quantity="550",
        published="55.00",
        price="0.1",
    ),
    Example(
        "zuplo-per-unit-100000",
        f"{ZUPLO} (Per-Unit Pricing)",
        "per_unit",
        quantity="100000",
        published="100",
        price="0.001",
    ),
    Example(
        "flexprice-flatfee-named-per-unit-1000",
        "https://docs.flexprice.io/docs/product-catalogue/plans/billing-models/flat-fee",
        "per_unit",
        quantity="1000",
        published="50",
        price="0.05",
        note="Flexprice calls it a flat fee; it is a price per unit.",
    ),
    # ---- volume ----
    LAGO_VOLUME_Q0,
    default_at_zero(LAGO_VOLUME_Q0, "Lago"),
    lago_volume(
        "lago-volume-flat-unit-q1", 'context "when aggregation is 1"', quantity="1", published="12"
    ),
    lago_volume(
        "lago-volume-flat-unit-q100",
        'context "when aggregation is the limit of the first range"',
        quantity="100",
        published="210",
    ),
    lago_volume(
        "lago-volume-flat-unit-q100.5",
        'context "when aggregation is in the between of first and second range"',
        quantity="100.5",
        published="100.5",
        note="Between Lago's 100 and 101: our band (100, 200], as in Lago.",
    ),
    lago_volume(
        "lago-volume-flat-unit-q101",
        'context "when aggregation is the lower limit of the second range"',
        quantity="101",
        published="101",
    ),
    lago_volume(
        "lago-volume-flat-unit-q200",
        'context "when aggregation is the uper limit of the second range"',
        quantity="200",
        published="200",
    ),
    lago_volume(
        "lago-volume-flat-unit-q300",
        'context "when aggregation is the above the lower limit of the last range"',
        quantity="300",
        published="200",
    ),
    lago_volume(
        "lago-volume-flat-unit-q210",
        'context "when charge is a fixed charge"',
        quantity="210",
        published="155",
    ),
    Example(
        "lago-volume-zero-flat-first-tier-zero",
        f'{LAGO_VOLUME} context "when aggregation is 0" / '
        'context "when first tier flat amount is zero"',
        "volume",
        quantity="0",
        published="0",
        currency="EUR",
        flat_at_zero=True,
        covers=(ZERO_USAGE,),
        # Lago: 0–1 @0 + 0 flat, 2–100 @2 + 10, 101– @0.5 + 50.
        tiers=bands((0, 1, "0", "0"), (1, 100, "2", "10"), (100, None, "0.5", "50")),
        note=ZERO_FLAT_FIRST_TIER,
    ),
    Example(
        "lago-doc-volume-65000",
        f"{LAGO_DOCS}/price-models/volume.md",
        "volume",
        quantity="65000",
        published="49",
        covers=(FLAT_UNIT,),
        # Lago: 0–10,000 @0.0010, 10,001–50,000 @0.0008, 50,001–100,000 @0.0006,
        # 100,001– @0.0004, each + 10 flat.
        tiers=bands(
            (0, 10000, "0.0010", "10"),
            (10000, 50000, "0.0008", "10"),
            (50000, 100000, "0.0006", "10"),
            (100000, None, "0.0004", "10"),
        ),
    ),
    OM_VOLUME_Q0,
    default_at_zero(OM_VOLUME_Q0, "OpenMeter"),
    om_volume(
        "openmeter-volume-q3",
        "tiered volume, last price, usage present, tier1 mid",
        quantity="3",
        published="100",
    ),
    om_volume(
        "openmeter-volume-q14",
        "tiered volume, last price, usage present, tier3 almost full",
        quantity="14",
        published="140",
    ),
    om_volume(
        "openmeter-volume-q15",
        "tiered volume, last price, usage present, tier3 full",
        quantity="15",
        published="150",
        note="OpenMeter's upTo is inclusive: 15 stays in (10, 15].",
    ),
    om_volume(
        "openmeter-volume-q16",
        "tiered volume, last price, usage present, tier3 just passed",
        quantity="16",
        published="80",
    ),
    om_volume(
        "openmeter-volume-q100",
        "tiered volume, last price, usage present, tier4",
        quantity="100",
        published="500",
    ),
    Example(
        "openmeter-volume-ubp-only-no-usage",
        f'{OM_VOLUME} t.Run("tiered volume, ubp first tier, no usage")',
        "volume",
        quantity="0",
        published="0",
        tiers=bands((0, None, "5")),
        flat_at_zero=True,
        covers=(ZERO_USAGE,),
        note="OpenMeter expects no lines at all; a first tier without a flat amount bills "
        "0. " + ZERO_FLAT_FIRST_TIER,
    ),
    Example(
        "stripe-typographic-volume-q5",
        f"{STRIPE_TIERS} (Volume-based pricing table)",
        "volume",
        quantity="5",
        published="35",
        tiers=STRIPE_TYPOGRAPHIC_TIERS,
    ),
    Example(
        "stripe-typographic-volume-q6",
        f"{STRIPE_TIERS} (Volume-based pricing table)",
        "volume",
        quantity="6",
        published="39",
        tiers=STRIPE_TYPOGRAPHIC_TIERS,
    ),
    Example(
        "stripe-typographic-volume-q20",
        f"{STRIPE_TIERS} (Volume-based pricing table)",
        "volume",
        quantity="20",
        published="120",
        tiers=STRIPE_TYPOGRAPHIC_TIERS,
    ),
    Example(
        "stripe-typographic-volume-q25",
        f"{STRIPE_TIERS} (Volume-based pricing table)",
        "volume",
        quantity="25",
        published="150",
        tiers=STRIPE_TYPOGRAPHIC_TIERS,
    ),
    Example(
        "stripe-legacy-volume-q6",
        f"{STRIPE_LEGACY} (legacy page, Volume table)",
        "volume",
        quantity="6",
        published="24",
        tiers=STRIPE_LEGACY_TIERS,
    ),
    Example(
        "stripe-legacy-volume-q20",
        f"{STRIPE_LEGACY} (legacy page, Volume table)",
        "volume",
        quantity="20",
        published="40",
        tiers=STRIPE_LEGACY_TIERS,
    ),
    Example(
        "stripe-legacy-volume-q25",
        f"{STRIPE_LEGACY} (legacy page, Volume table)",
        "volume",
        quantity="25",
        published="25",
        tiers=STRIPE_LEGACY_TIERS,
    ),
    Example(
        "killbill-toptier-minutes-1500",
        f"{KILLBILL_USAGE} (Consumable In Arrear: TOP_TIER)",
        "volume",
        quantity="150",
        published="75",
        tiers=KILLBILL_MINUTE_BLOCK_TIERS,
        note="1,500 minutes = 150 whole blocks of 10. Our volume model has no per-tier block "
        "rounding, so the quantity is the block count.",
    ),
    Example(
        "killbill-toptier-mbytes-2048",
        f"{KILLBILL_USAGE} (Consumable In Arrear: TOP_TIER)",
        "volume",
        quantity="2048",
        published="204.8",
        tiers=KILLBILL_MBYTE_TIERS,
    ),
    Example(
        "sequence-volume-flat+unit-125",
        f"{SEQUENCE} (Volume pricing)",
        "volume",
        quantity="125",
        published="143.75",
        tiers=SEQUENCE_TIERS,
        covers=(FLAT_UNIT,),
    ),
    Example(
        "zuplo-volume-15000",
        f"{ZUPLO} (Volume Pricing)",
        "volume",
        quantity="15000",
        published="150",
        tiers=ZUPLO_TIERS,
    ),
    Example(
        "metrifox-volume-2500",
        METRIFOX,
        "volume",
        quantity="2500",
        published="200",
        tiers=METRIFOX_TIERS,
    ),
    Example(
        "nadles-volume-flat+unit-50",
        NADLES,
        "volume",
        quantity="50",
        published="30",
        tiers=NADLES_TIERS,
        covers=(FLAT_UNIT,),
    ),
    Example(
        "nadles-volume-140", NADLES, "volume", quantity="140", published="42", tiers=NADLES_TIERS
    ),
    # ---- tiered (graduated) ----
    LAGO_GRADUATED_Q0,
    default_at_zero(LAGO_GRADUATED_Q0, "Lago"),
    lago_graduated(
        "lago-graduated-flat-unit-q1",
        'context "when aggregation is 1"',
        quantity="1",
        published="12",
    ),
    lago_graduated(
        "lago-graduated-flat-unit-q10",
        'context "when aggregation is 10"',
        quantity="10",
        published="102",
        note="Lago's to_value 10 is inclusive: 10 stays in (0, 10].",
    ),
    lago_graduated(
        "lago-graduated-flat-unit-q11",
        'context "when aggregation is 11"',
        quantity="11",
        published="110",
    ),
    lago_graduated(
        "lago-graduated-flat-unit-q12",
        'context "when aggregation is 12"',
        quantity="12",
        published="115",
    ),
    lago_graduated(
        "lago-graduated-flat-unit-q21",
        'context "when aggregation is 21"',
        quantity="21",
        published="163",
    ),
    Example(
        "lago-graduated-zero-flat-first-tier-zero",
        f'{LAGO_GRADUATED} context "when aggregation is 0" / '
        'context "when first tier flat amount is zero" / it "returns zero amount"',
        "tiered",
        quantity="0",
        published="0",
        currency="EUR",
        flat_at_zero=True,
        covers=(ZERO_USAGE,),
        # Lago: 0–0.01 @0 + 0 flat, 0.01–10 @10 + 2, 11– @5 + 3.
        tiers=bands((0, "0.01", "0", "0"), ("0.01", 10, "10", "2"), (10, None, "5", "3")),
        note=ZERO_FLAT_FIRST_TIER,
    ),
    Example(
        "lago-graduated-decimal-adjacent-q0.5",
        f'{LAGO_GRADUATED} context "with decimal adjacent ranges" / '
        '"when aggregation spans two tiers (0.5)"',
        "tiered",
        quantity="0.5",
        published="3.0",
        currency="EUR",
        tiers=bands((0, "0.1", "10"), ("0.1", 1, "5"), (1, None, "2")),
    ),
    OM_GRADUATED_Q0,
    default_at_zero(OM_GRADUATED_Q0, "OpenMeter"),
    om_graduated(
        "openmeter-graduated-q3", "totals, usage in tier 1", quantity="3", published="100"
    ),
    om_graduated(
        "openmeter-graduated-q5",
        "totals, usage in tier 1",
        quantity="5",
        published="100",
        note="OpenMeter's upTo is inclusive: 5 stays in (0, 5].",
    ),
    om_graduated(
        "openmeter-graduated-q5.001", "totals, usage in tier 2", quantity="5.001", published="150"
    ),
    om_graduated(
        "openmeter-graduated-q7", "totals, usage in tier 2", quantity="7", published="150"
    ),
    om_graduated(
        "openmeter-graduated-q12", "totals, usage in tier 3", quantity="12", published="170"
    ),
    om_graduated(
        "openmeter-graduated-q22",
        "totals, usage in tier 4",
        quantity="22",
        published="235",
        note="The total 235 is right. OpenMeter's comment next to it, /* = 100+50+10*5+5*7 */, "
        "swaps the factors: tier 3 is 5 units × 10 and tier 4 is 7 units × 5.",
    ),
    Example(
        "openmeter-graduated-flat+unit-q22",
        f"{OM_GRADUATED} TestTieredGraduatedCalculation / "
        't.Run("tiered graduated, single period multiple tier usage")',
        "tiered",
        quantity="22",
        published="182",
        tiers=OM_GRADUATED_FLAT_UNIT_TIERS,
        covers=(FLAT_UNIT,),
        note="OpenMeter asserts lines: 5×0 + 100 flat, 50 flat, 5×5, 7×1; 182 is their sum.",
    ),
    Example(
        "stripe-legacy-graduated-q6",
        f"{STRIPE_LEGACY} (legacy page, Graduated section)",
        "tiered",
        quantity="6",
        published="29",
        tiers=STRIPE_LEGACY_TIERS,
    ),
    Example(
        "killbill-alltier-minutes-1500",
        f"{KILLBILL_USAGE} (Consumable In Arrear: ALL_TIER)",
        "tiered",
        quantity="150",
        published="125",
        currency="EUR",
        tiers=KILLBILL_MINUTE_BLOCK_TIERS,
        note="1,500 minutes = 150 whole blocks of 10, priced as blocks. Part of a two-unit "
        "example whose published total is 739.4 (125 + 614.4).",
    ),
    Example(
        "killbill-alltier-mbytes-2048",
        f"{KILLBILL_USAGE} (Consumable In Arrear: ALL_TIER)",
        "tiered",
        quantity="2048",
        published="614.4",
        currency="EUR",
        tiers=KILLBILL_MBYTE_TIERS,
    ),
    Example(
        "killbill-tutorial-videos-13",
        "killbill/killbill-docs userguide/tutorials/consumable_in_arrear.adoc",
        "tiered",
        quantity="13",
        published="18",
        # Kill Bill: size 1 @2 max 5, size 1 @1 max 10000 ("a number large enough").
        tiers=bands((0, 5, "2"), (5, 10000, "1")),
    ),
    Example(
        "zuora-tiered-ondemand-q15",
        f"{ZUORA_DOCS}/bill-your-customer/rating/on-demand-usage-rating/rating-by-billing-period",
        "tiered",
        quantity="15",
        published="35",
        # Zuora: 0–10 @2.00, 11–20 @3.00, 21– @5.00.
        tiers=bands((0, 10, "2.00"), (10, 20, "3.00"), (20, None, "5.00")),
    ),
    Example(
        "sequence-graduated-flat+unit-125",
        f"{SEQUENCE} (Graduated pricing)",
        "tiered",
        quantity="125",
        published="188.75",
        tiers=SEQUENCE_TIERS,
        covers=(FLAT_UNIT,),
    ),
    Example(
        "zuplo-graduated-15000",
        f"{ZUPLO} (Graduated Pricing)",
        "tiered",
        quantity="15000",
        published="600",
        tiers=ZUPLO_TIERS,
    ),
    Example(
        "autumn-graduated-15000",
        "https://docs.useautumn.com/documentation/modelling-pricing/graduated-pricing",
        "tiered",
        quantity="15000",
        published="107",
        # Autumn: to 1,000 @0.01, to 10,000 @0.008, then @0.005.
        tiers=bands((0, 1000, "0.01"), (1000, 10000, "0.008"), (10000, None, "0.005")),
    ),
    Example(
        "metrifox-graduated-2500",
        METRIFOX,
        "tiered",
        quantity="2500",
        published="220",
        tiers=METRIFOX_TIERS,
    ),
    # ---- overage ----
    Example(
        "stigg-overage-1300",
        STIGG,
        "overage",
        quantity="1300",
        published="3.00",
        included="1000",
        overage="0.01",
        note="Stigg publishes the overage part; the base price is not shown.",
    ),
    # ---- tiered_with_overage ----
    Example(
        "zuora-tiered-with-overage-q130",
        f"{ZUORA_RATING}/example-tiered-pricing-mode",
        "tiered_with_overage",
        quantity="130",
        published="60",
        # Zuora rating detail: 1:1:0:100:0.00;2:1:101:200:2.00 (tier:?:from:to:price).
        tiers=bands((0, 100, "0.00"), (100, 200, "2.00")),
        note="The overage price is not published; 130 stays inside the tiers, so it is not "
        "used (0 here). price_problems would ask for one before storing this price.",
    ),
    # ---- package ----
    Example(
        "lago-package-q121-free0",
        f'{LAGO_PACKAGE} it "applies the package size to the value"',
        "package",
        quantity="121",
        published="1300",
        price="100",
        package="10",
        currency="EUR",
    ),
    Example(
        "lago-package-q121-free10",
        f'{LAGO_PACKAGE} context "with free_units" / it "substracts the free units from the value"',
        "package",
        quantity="121",
        published="1200",
        price="100",
        package="10",
        included="10",
        currency="EUR",
    ),
    Example(
        "lago-package-q121-free200",
        f'{LAGO_PACKAGE} context "when free units is higher than the value"',
        "package",
        quantity="121",
        published="0",
        price="100",
        package="10",
        included="200",
        currency="EUR",
    ),
    Example(
        "lago-doc-package-201",
        f"{LAGO_DOCS}/price-models/package.md",
        "package",
        quantity="201",
        published="10",
        price="5",
        package="100",
        included="100",
    ),
    Example(
        "lago-v2-package-2000",
        "https://getlago.com/docs/v2/guide/rate-cards/pricing-models/package (Example)",
        "package",
        quantity="2000",
        published="20",
        price="1",
        package="100",
    ),
    Example(
        "lago-v2-package-200-free50",
        "https://getlago.com/docs/v2/guide/rate-cards/pricing-models/package (Example)",
        "package",
        quantity="200",
        published="2",
        price="1",
        package="100",
        included="50",
    ),
    Example(
        "openmeter-package-q0",
        f'{OM_PACKAGE} TestPackagePriceCalculation / t.Run("package price, no usage")',
        "package",
        quantity="0",
        published="0",
        price="15",
        package="10",
        covers=(ZERO_USAGE,),
    ),
    Example(
        "openmeter-package-q10",
        f'{OM_PACKAGE} TestPackagePriceCalculation / t.Run("usage present")',
        "package",
        quantity="10",
        published="15",
        price="15",
        package="10",
    ),
    *(
        Example(
            f"openmeter-package-numpackages/q{quantity}",
            f"{OM_PACKAGE} TestGetNumberOfPackages",
            "package",
            quantity=quantity,
            published=packages,
            price="1",
            package="10",
            note="OpenMeter asserts package counts; at a price of 1 the amount is the count.",
        )
        for quantity, packages in (("0", "0"), ("1", "1"), ("9", "1"), ("10", "1"), ("11", "2"))
    ),
    *(
        Example(
            f"stripe-transform-quantity-users-q{quantity}",
            f"{STRIPE_TRANSFORM} (users table)",
            "package",
            quantity=quantity,
            published=amount,
            price="10",
            package="5",
            # Stripe: unit_amount 1000 (cents), transform_quantity divide_by 5, round up.
        )
        for quantity, amount in (("1", "10"), ("5", "10"), ("6", "20"), ("7", "20"))
    ),
    Example(
        "stripe-transform-quantity-car-rental",
        "https://docs.stripe.com/billing/subscriptions/usage-based/transform-quantities",
        "package",
        quantity="150",
        published="30",
        price="10",
        package="60",
        note="divide_by=60 is implied by '10 USD per hour, usage in minutes'; the excerpt "
        "does not show it.",
    ),
    Example(
        "sequence-package-600",
        f"{SEQUENCE} (Packaged pricing)",
        "package",
        quantity="600",
        published="30",
        price="10",
        package="250",
    ),
    Example(
        "chargebee-package-q10",
        CHARGEBEE,
        "package",
        quantity="10",
        published="1.25",
        price="1.25",
        package="1000000",
        note="Chargebee bills at least one package per period. At 10 tokens we bill one "
        "started package too, so the amounts agree. They would part only at 0 usage "
        "(Chargebee 1.25, we 0), which Chargebee does not publish.",
    ),
    Example(
        "chargebee-package-q1000000",
        CHARGEBEE,
        "package",
        quantity="1000000",
        published="1.25",
        price="1.25",
        package="1000000",
    ),
    Example(
        "chargebee-package-q1500000",
        CHARGEBEE,
        "package",
        quantity="1500000",
        published="2.50",
        price="1.25",
        package="1000000",
    ),
    Example(
        "flexprice-volume-package-4500",
        "https://docs.flexprice.io/docs/product-catalogue/plans/billing-models/tiered "
        "(Package size in a tier)",
        "package",
        quantity="4500",
        published="5",
        price="1.00",
        package="1000",
        note="A package price inside Flexprice's tier 1 (bounds not published). The package "
        "size 1,000 comes from '4,500 calls make 4.5 packages'.",
    ),
    Example(
        "nadles-package-83",
        NADLES,
        "package",
        quantity="83",
        published="45",
        price="5",
        package="10",
    ),
    Example(
        "paymentkit-package-5",
        "https://docs.paymentkit.com/guides/product-catalog/pricing-structures/package",
        "package",
        quantity="5",
        published="90",
        price="45",
        package="3",
    ),
    Example(
        "stigg-block-overage-800",
        STIGG,
        "package",
        quantity="800",
        published="6.00",
        price="2.00",
        package="100",
        included="500",
        note="Overage in 100 MB blocks beyond 500 MB; Stigg publishes the overage part.",
    ),
    Example(
        "autumn-usage-based-5000",
        "https://docs.useautumn.com/documentation/modelling-pricing/usage-based-pricing",
        "package",
        quantity="5000",
        published="5",
        price="1",
        package="1000",
        note="As the prose states it: $1 per 1,000 notifications, no free ones.",
    ),
    Example(
        "autumn-usage-based-5000/sample-config",
        "https://docs.useautumn.com/documentation/modelling-pricing/usage-based-pricing",
        "package",
        quantity="5000",
        published="5",
        price="1",
        package="1000",
        included="1000",
        ours="4",
        differs="Autumn contradicts itself. The prose says $5 for 5,000 at $1 per 1,000, but "
        "the sample config below it sets included: 1000, which gives (5,000 - 1,000) / 1,000 "
        "× $1 = $4.",
    ),
    # ---- minimum/maximum per period (schedule over one period) ----
    Example(
        "lago-charge-min-trueup-700",
        f'{LAGO_TRUE_UP} it "instantiates a true-up fee"',
        "per_unit",
        quantity="7",
        published="10.00",
        price="1.00",
        minimum="10.00",
        extra="minimum",
        currency="EUR",
        covers=(LIMIT,),
        # Lago: min_amount_cents 1000, used_amount_cents 700 -> true-up 300 cents.
        note="Lago sets the usage fee (700 cents) directly; we reach 7.00 with 7 units at "
        "1.00. Period total 10.00 = 7.00 + a 3.00 minimum line.",
    ),
    Example(
        "lago-charge-min-no-trueup-1500",
        f'{LAGO_TRUE_UP} context "when min_amount_cents is lower than the fee amount_cents"',
        "per_unit",
        quantity="15",
        published="15.00",
        price="1.00",
        minimum="10.00",
        currency="EUR",
        covers=(LIMIT,),
        # Lago: min_amount_cents 1000, fee amount_cents 1500 -> no true-up fee.
        note="Usage 15.00 = 15 units at 1.00 (Lago sets the fee directly).",
    ),
    Example(
        "lago-doc-spending-minimum-mtu",
        f"{LAGO_DOCS}/charge-minimum.md",
        "per_unit",
        quantity="5000",
        published="100",
        price="0.010",
        minimum="100",
        extra="minimum",
        covers=(LIMIT,),
        note="$50 of MTUs at $0.010 = 5,000 MTUs (implied), plus a $50 true-up.",
    ),
    om_volume(
        "openmeter-volume-min150-q0",
        "tiered volume, last price, no usage, min spend",
        quantity="0",
        published="150",
        minimum="150",
        extra="minimum",
        flat_at_zero=True,
        covers=(LIMIT, ZERO_USAGE),
        note="Lines: tier 1 flat 100 + minimum spend 50.",
    ),
    om_volume(
        "openmeter-volume-min150-q5",
        "tiered volume, last price, usage less than min spend",
        quantity="5",
        published="150",
        minimum="150",
        extra="minimum",
        covers=(LIMIT,),
    ),
    om_volume(
        "openmeter-volume-min100-q100",
        "tiered volume, last price, usage over, min spend",
        quantity="100",
        published="500",
        minimum="100",
        covers=(LIMIT,),
    ),
    om_volume(
        "openmeter-volume-max100-q5",
        "tiered volume, first price, usage eq max spend",
        quantity="5",
        published="100",
        maximum="100",
        covers=(LIMIT,),
    ),
    om_volume(
        "openmeter-volume-max125-q7",
        "tiered volume, first price, usage above max spend, max spend is not at tier boundary ",
        quantity="7",
        published="125",
        maximum="125",
        extra="maximum",
        covers=(LIMIT,),
        note="Tier 2's flat 150 is capped to 125 by a 25 maximum-spend discount.",
    ),
    Example(
        "openmeter-graduated-min1000-q0",
        f"{OM_GRADUATED} TestTieredGraduatedCalculation / "
        't.Run("tiered graduated, last line, no usage, minimum price set")',
        "tiered",
        quantity="0",
        published="1000",
        tiers=OM_GRADUATED_FLAT_UNIT_TIERS,
        minimum="1000",
        extra="minimum",
        flat_at_zero=True,
        covers=(LIMIT, ZERO_USAGE),
        note="A split-line test: tier 1's flat 100 was billed on the earlier line "
        "(PreviousBilledAmount) and this line bills the 900 minimum spend. The whole period "
        "is 100 + 900 = 1000.",
    ),
    Example(
        "openmeter-package-min100-q0",
        f"{OM_PACKAGE} TestPackagePriceCalculation / "
        't.Run("package price, no usage, min spend set")',
        "package",
        quantity="0",
        published="100",
        price="15",
        package="10",
        minimum="100",
        extra="minimum",
        covers=(LIMIT, ZERO_USAGE),
    ),
    Example(
        "openmeter-package-max100-q110",
        f'{OM_PACKAGE} TestPackagePriceCalculation / t.Run("usage present, max spend set and hit")',
        "package",
        quantity="110",
        published="100",
        price="15",
        package="10",
        maximum="100",
        extra="maximum",
        covers=(LIMIT,),
        note="A split-line test: 60 units were billed earlier (90) and this line bills 10. "
        "The whole period is 11 packages × 15 = 165, capped at 100.",
    ),
    Example(
        "openmeter-unit-min100-q0",
        f'{OM_UNIT} t.Run("unit price, no usage, min spend set")',
        "per_unit",
        quantity="0",
        published="100",
        price="10",
        minimum="100",
        extra="minimum",
        covers=(LIMIT, ZERO_USAGE),
    ),
    Example(
        "openmeter-unit-max100-q10",
        f'{OM_UNIT} t.Run("usage present, max spend set, but not hit")',
        "per_unit",
        quantity="10",
        published="100",
        price="10",
        maximum="100",
        covers=(LIMIT,),
    ),
    Example(
        "openmeter-unit-max100-q12",
        f'{OM_UNIT} t.Run("usage present, max spend set and hit")',
        "per_unit",
        quantity="12",
        published="100",
        price="10",
        maximum="100",
        extra="maximum",
        covers=(LIMIT,),
        note="A split-line test: 7 units billed earlier (70), this line 30. The whole period "
        "is 120, capped at 100.",
    ),
    Example(
        "zuora-minmax-perunit-CA-q8",
        f"{ZUORA_MINMAX} (Example 1)",
        "per_unit",
        quantity="8",
        published="100",
        price="10",
        minimum="100",
        maximum="200",
        extra="minimum",
        covers=(LIMIT,),
    ),
    Example(
        "zuora-minmax-perunit-NY-q25",
        f"{ZUORA_MINMAX} (Example 2)",
        "per_unit",
        quantity="25",
        published="240",
        price="12",
        minimum="120",
        maximum="240",
        extra="maximum",
        covers=(LIMIT,),
    ),
    Example(
        "zuora-minmax-perunit-NY-q10",
        f"{ZUORA_MINMAX} (Example 3)",
        "per_unit",
        quantity="10",
        published="120",
        price="12",
        minimum="120",
        maximum="240",
        covers=(LIMIT,),
        note="Exactly at the minimum: no extra line.",
    ),
    # ---- percentage: plain rate × amount only ----
    Example(
        "lago-v2-percentage-1000",
        "https://getlago.com/docs/v2/guide/rate-cards/pricing-models/percentage (Example)",
        PERCENT,
        quantity="1000",
        published="20",
        price="2",
    ),
    Example(
        "lago-percentage-small-units",
        f'{LAGO_PERCENTAGE} context "with small units amount"',
        PERCENT,
        quantity="4",
        published="0.116",
        price="2.9",
        currency="EUR",
        ours="0.12",
        differs="Lago's charge amount keeps the unrounded 4 × 2.9 % = 0.116 and rounds when it "
        "makes the fee's amount_cents. We round each line to the currency's minor unit "
        "(half up), so we bill 0.12.",
    ),
    Example(
        "sequence-percentage-1000",
        "https://docs.sequencehq.com/plans-products/usage-based-pricing "
        "(Linear pricing (Percentage-based))",
        PERCENT,
        quantity="1000",
        published="5.00",
        price="0.5",
    ),
    # ---- minimum commitment with true-up (amounts: the true-up) ----
    Example(
        "lago-commitment-no-fees",
        f'{LAGO_COMMIT} "when plan is paid in arrears" / "when plan has minimum commitment" / '
        '"when there are no fees"',
        COMMIT,
        quantity="1",
        published="2.00",
        price="2.00",
        currency="EUR",
        # Lago: commitment_amount_cents 200, no fees -> true-up 200 cents.
    ),
    Example(
        "lago-commitment-fees-exceed",
        f'{LAGO_COMMIT} "when there are subscription fees" / '
        '"when fees total amount is greater or equal than the commitment amount"',
        COMMIT,
        quantity="1",
        published="0",
        price="2.00",
        currency="EUR",
        usage=(("flat_fee", "2.00", "1"), ("flat_fee", "3.00", "1"), ("flat_fee", "1.50", "1")),
        # Lago (cents): commitment 200; subscription 200, charge 300, fixed charge 150 -> 0.
    ),
    Example(
        "lago-commitment-10000-next-period-advance",
        f'{LAGO_COMMIT} "when fees total amount is smaller than the commitment amount" / '
        '"with an in-advance charge for the next period"',
        COMMIT,
        quantity="1",
        published="93.50",
        price="100.00",
        currency="EUR",
        usage=(("flat_fee", "2.00", "1"), ("flat_fee", "3.00", "1"), ("flat_fee", "1.50", "1")),
        # Lago (cents): commitment 10000; fees 200 + 300 + 150 -> true-up 9350. The 500 cents
        # charged in advance for the next period do not count against this one.
    ),
    Example(
        "lago-commitment-10000-current-period-advance",
        f'{LAGO_COMMIT} "when fees total amount is smaller than the commitment amount" / '
        '"with an in-advance charge for current period"',
        COMMIT,
        quantity="1",
        published="88.50",
        price="100.00",
        currency="EUR",
        usage=(
            ("flat_fee", "2.00", "1"),
            ("flat_fee", "3.00", "1"),
            ("flat_fee", "1.50", "1"),
            ("flat_fee", "5.00", "1"),
        ),
        # Lago (cents): commitment 10000; fees 200 + 300 + 150 + 500 in advance -> 8850.
    ),
    Example(
        "lago-doc-contract-min-800",
        "https://getlago.com/docs/guide/lago-cloud/contract-billing "
        "(Example: a monthly commitment)",
        COMMIT,
        quantity="1",
        published="200",
        price="1000",
        billed="1000",
        usage=(("per_unit", "1", "800"),),
    ),
    Example(
        "lago-doc-contract-min-1300",
        "https://getlago.com/docs/guide/lago-cloud/contract-billing "
        "(Example: a monthly commitment)",
        COMMIT,
        quantity="1",
        published="0",
        price="1000",
        billed="1300",
        usage=(("per_unit", "1", "1300"),),
    ),
    Example(
        "lago-pr1787-min-commitment",
        "https://github.com/getlago/lago-api/pull/1787 (description)",
        COMMIT,
        quantity="1",
        published="20",
        price="100",
        billed="100",
        usage=(("flat_fee", "50", "1"), ("per_unit", "10", "3")),
        note="$50 subscription + 3 × $10 = $80, plus a $20 true-up = $100. The $100 minimum "
        "is worked out from that total; the plan table was not in the excerpt.",
    ),
]

SKIPPED = {
    "lago-doc-percentage-fixedfee-tx4",
    "lago-percentage-rate-component-800",
    "lago-percentage-free-amount-800",
    "killbill-capacity-tier",
    "flexprice-volume-65000",
}
HEADINGS = (*REGISTRY, FLAT_UNIT, ZERO_USAGE, LIMIT, PERCENT, COMMIT)
PUBLISHED_MODELS = (
    "flat_fee",
    "per_unit",
    "volume",
    "tiered",
    "overage",
    "tiered_with_overage",
    "package",
)


def book(example: Example, *, price: str | None = None, model: str | None = None) -> PriceBook:
    tiers = tuple(
        Tier(D(start), None if end is None else D(end), D(unit), flat_amount=D(flat))
        for start, end, unit, flat in example.tiers
    )
    interval = Interval(
        DurationUnit.INFINITY,
        price=D(price if price is not None else example.price),
        included_units=D(example.included),
        overage_price=D(example.overage),
        tiers=tiers,
        package_size=None if example.package is None else D(example.package),
    )
    return PriceBook(
        model or example.model,
        (interval,),
        example.currency,
        minimum_amount=None if example.minimum is None else D(example.minimum),
        maximum_amount=None if example.maximum is None else D(example.maximum),
        flat_at_zero=example.flat_at_zero,
    )


def charge_amount(example: Example) -> Decimal:
    """One billing period of a charge: ``schedule`` over one period, checked against
    ``period_amount``; the period's extra line (minimum/maximum) is checked here too."""
    price = book(example)
    result = schedule(price, quantity=D(example.quantity), start=START, periods=1)
    charges = [line for line in result.lines if line.kind == "charge"]
    extras = [line.kind for line in result.lines if line.kind != "charge"]
    assert extras == ([example.extra] if example.extra else []), result.lines
    assert len(charges) == 1, result.lines
    one_period = period_amount(
        price.model,
        price.intervals[0],
        D(example.quantity),
        flat_at_zero=example.flat_at_zero,
    )
    assert charges[0].amount == round_money(one_period, example.currency)
    return result.total


def percent_amount(example: Example) -> Decimal:
    """``price`` % of a one-period line of ``quantity``, through ``price_sale``
    (``percent_schedule``), checked against ``percent_of_total``."""
    base = SaleLine("base", book(example, price=example.quantity, model="flat_fee"), D(1))
    percent = SaleLine(
        "percent",
        book(example, model="flat_fee"),
        D(1),
        role=PERCENT_OF_TOTAL,
        scope=frozenset({"base"}),
    )
    priced = price_sale([base, percent], start=START, periods=1)
    assert priced["base"].amount == D(example.quantity)
    amount = priced["percent"].amount
    assert amount == percent_of_total(D(example.price), [D(example.quantity)], example.currency)
    return amount


def commit_amount(example: Example) -> Decimal:
    """The true-up of a minimum commitment over the usage lines, through ``price_sale``,
    checked against ``minimum_commit``."""
    usage = [
        SaleLine(
            index,
            PriceBook(model, (Interval(DurationUnit.INFINITY, price=D(price)),), example.currency),
            D(quantity),
        )
        for index, (model, price, quantity) in enumerate(example.usage)
    ]
    commitment = SaleLine(
        "commitment",
        book(example, model="flat_fee"),
        D(1),
        role=MINIMUM_COMMIT,
        scope=frozenset(line.key for line in usage),
    )
    priced = price_sale([*usage, commitment], start=START, periods=1)
    result = priced["commitment"].commitment
    direct = minimum_commit(
        D(example.price), [priced[line.key].amount for line in usage], example.currency
    )
    assert result == direct
    if example.billed is not None:
        assert result.billed == D(example.billed)
    return priced["commitment"].amount


COMPUTE = {PERCENT: percent_amount, COMMIT: commit_amount}


def case(example: Example):
    marks = [pytest.mark.xfail(strict=True, reason=example.bug)] if example.bug else []
    return pytest.param(example, id=example.id, marks=marks)


@pytest.fixture(scope="module")
def ran():
    """Counts the cases run; the run's summary shows the count, and 0 is an error."""
    tried: list[str] = []
    yield tried
    report("published examples", len(tried))
    if not tried:
        pytest.fail("no published example ran")


@pytest.mark.parametrize("example", [case(example) for example in EXAMPLES])
def test_published_example(example: Example, ran: list[str]) -> None:
    ran.append(example.id)
    amount = COMPUTE.get(example.model, charge_amount)(example)
    assert amount == example.expected, (example.id, example.published, example.differs)
    if example.differs:
        # The explanation stands only while the published figure really is different.
        assert D(example.published) != amount, f"{example.id} no longer differs"
    else:
        assert example.ours is None, f"{example.id}: our own amount needs a reason (differs)"
        assert D(example.published) == amount


def test_the_table_covers_every_charge_model_with_examples() -> None:
    ids = [example.id for example in EXAMPLES]
    assert len(ids) == len(set(ids)), "example ids repeat"
    assert len(EXAMPLES) >= 45
    assert not SKIPPED & set(ids)
    counts = {heading: 0 for heading in HEADINGS}
    for example in EXAMPLES:
        assert set(example.headings) <= set(HEADINGS), example.id
        for heading in example.headings:
            counts[heading] += 1
    missing = [
        h
        for h in (*PUBLISHED_MODELS, FLAT_UNIT, ZERO_USAGE, LIMIT, PERCENT, COMMIT)
        if not counts[h]
    ]
    assert missing == []
    # Both zero-usage behaviours, and flat+unit tiers under both tiered and volume.
    zero_flat = [e for e in EXAMPLES if ZERO_USAGE in e.covers and e.model in ("tiered", "volume")]
    assert {e.flat_at_zero for e in zero_flat if e.expected} == {True}
    assert any(not e.flat_at_zero and e.differs for e in zero_flat)
    assert {e.model for e in EXAMPLES if FLAT_UNIT in e.covers} == {"tiered", "volume"}
