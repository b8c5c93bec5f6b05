"""Demo prices (seeds 002 and 003) and quotes, loaded by ``manage.py load_demo`` after the catalog.

Table-driven like the catalog demo: each offering names its items, and each rate the price
of every item; each quote its lines. Rows are looked up by natural key first and created
through the services only when missing, so a second load changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps

from catalog.models import Item, Plan
from catalog.rows import row_update
from pricing.models import (
    Offering,
    OfferingItem,
    OfferingItemScope,
    PriceBookItem,
    PriceInterval,
    PriceTier,
    Quote,
    Rate,
)
from pricing.pricebook import IntervalSpec, TierSpec
from pricing.quote_lines import quote_add_line
from pricing.rates import price_book_item_save, rate_create
from pricing.selling import contract_create, quote_create, quote_process
from pricing.services import OfferingLine, offering_create, offering_set_items

D = Decimal
T = Offering.Type
START = date(2026, 1, 1)
SUNDAY, WEEKDAYS = [6], [0, 1, 2, 3, 4]


def regular(price: str) -> list[IntervalSpec]:
    return [IntervalSpec(price=D(price))]


def tiers(*bands: tuple[str, str | None, str]) -> list[IntervalSpec]:
    """One Infinity interval with per-unit tiers (start, end or None, price)."""
    return [
        IntervalSpec(
            tiers=tuple(
                TierSpec(D(start), None if end is None else D(end), D(price))
                for start, end, price in bands
            )
        )
    ]


def first_year_then(first: str, then: str) -> list[IntervalSpec]:
    """Seed 003: one price for the first 365 days, another forever after."""
    return [IntervalSpec("day", 365, D(first)), IntervalSpec(price=D(then))]


def months_then(months: int, first: str, then: str) -> list[IntervalSpec]:
    """An introductory price for the first ``months`` months, the regular one after."""
    return [IntervalSpec("month", months, D(first)), IntervalSpec(price=D(then))]


@dataclass(frozen=True)
class PriceSpec:
    mpn: str
    charge_model: str
    intervals: list[IntervalSpec]
    weekdays: list[int] = field(default_factory=list)
    options: dict = field(default_factory=dict)  # minimum_amount, maximum_amount, flat_at_zero

    @property
    def pricing_type(self) -> str:
        return "interval" if len(self.intervals) > 1 else "regular"


@dataclass(frozen=True)
class RateSpec:
    name: str
    currency: str
    prices: list[PriceSpec]
    channel: str | None = None  # marketplace code
    status: str = Rate.Status.ACTIVE
    billing_frequency: str = Rate.BillingFrequency.MONTHLY


@dataclass(frozen=True)
class OfferingSpec:
    name: str
    type: str
    description: str
    items: list[tuple[str, int, bool, tuple[str, ...]]]  # MPN, quantity, required, scope MPNs
    rates: list[RateSpec]


SEATS_PRICES = [
    PriceSpec("NW-IMPL-FEE", "flat_fee", regular("1500.00")),
    PriceSpec("NW-SEATS", "per_unit", regular("12.00")),
]
OFFERINGS = [
    OfferingSpec(
        "Seats with implementation fee",
        T.SUBSCRIPTION,
        "Seed 002: a one-time implementation fee and ten monthly seats.",
        [("NW-IMPL-FEE", 1, True, ()), ("NW-SEATS", 10, True, ())],
        [
            RateSpec("USD monthly", "USD", SEATS_PRICES),
            RateSpec(
                "EUR monthly (Europe)",
                "EUR",
                [
                    PriceSpec("NW-IMPL-FEE", "flat_fee", regular("1400.00")),
                    PriceSpec("NW-SEATS", "per_unit", regular("11.00")),
                ],
                channel="eu",
            ),
        ],
    ),
    OfferingSpec(
        "Daily Service",
        T.SUBSCRIPTION,
        "Seed 003: deliveries priced for the first year, then at the regular price.",
        [("ND-SUNDAY", 1, False, ()), ("ND-WEEKDAY", 1, False, ())],
        [
            RateSpec(
                "USD monthly (North America)",
                "USD",
                [
                    PriceSpec("ND-SUNDAY", "delivery", first_year_then("4.75", "9.50"), SUNDAY),
                    PriceSpec("ND-WEEKDAY", "delivery", first_year_then("0.875", "1.75"), WEEKDAYS),
                ],
                channel="us",
            )
        ],
    ),
    OfferingSpec(
        "Platform pay as you go",
        T.SUBSCRIPTION,
        "Seats plus volume-priced API calls and tiered storage.",
        [("NW-SEATS", 1, True, ()), ("NW-API-CALLS", 0, False, ()), ("NW-STORAGE", 0, False, ())],
        [
            RateSpec(
                "USD monthly",
                "USD",
                [
                    PriceSpec("NW-SEATS", "per_unit", regular("12.00")),
                    PriceSpec(
                        "NW-API-CALLS",
                        "volume",
                        tiers(
                            ("0", "100", "0.50"), ("100", "1000", "0.40"), ("1000", None, "0.30")
                        ),
                    ),
                    PriceSpec(
                        "NW-STORAGE",
                        "tiered",
                        tiers(
                            ("0", "100", "0.10"), ("100", "1000", "0.08"), ("1000", None, "0.05")
                        ),
                    ),
                ],
            ),
            RateSpec(
                "EUR monthly",
                "EUR",
                [
                    PriceSpec("NW-SEATS", "per_unit", regular("11.00")),
                    PriceSpec("NW-API-CALLS", "per_unit", regular("0.45")),
                    PriceSpec("NW-STORAGE", "per_unit", regular("0.09")),
                ],
                status=Rate.Status.DRAFT,
            ),
        ],
    ),
    OfferingSpec(
        "Platform in packages",
        T.SUBSCRIPTION,
        "Seats, API calls (counted in thousands) sold in packages of 10, the first 5 free, at "
        "least 5.00 and at most 400.00 a month, and storage in tiers with a flat amount each.",
        [("NW-SEATS", 1, True, ()), ("NW-API-CALLS", 0, False, ()), ("NW-STORAGE", 0, False, ())],
        [
            RateSpec(
                "USD monthly",
                "USD",
                [
                    PriceSpec("NW-SEATS", "per_unit", regular("12.00")),
                    PriceSpec(
                        "NW-API-CALLS",
                        "package",
                        [IntervalSpec(price=D("4.00"), package_size=D(10), included_units=D(5))],
                        options={"minimum_amount": D("5.00"), "maximum_amount": D("400.00")},
                    ),
                    PriceSpec(
                        "NW-STORAGE",
                        "tiered",
                        [
                            IntervalSpec(
                                tiers=(
                                    TierSpec(D(0), D(100), D("0.10"), flat_amount=D("5.00")),
                                    TierSpec(D(100), D(1000), D("0.08"), flat_amount=D("20.00")),
                                    TierSpec(D(1000), None, D("0.05")),
                                )
                            )
                        ],
                        options={"flat_at_zero": True},
                    ),
                ],
            )
        ],
    ),
    OfferingSpec(
        "Committed usage",
        T.MINIMUM_COMMIT,
        "Seed 002: 1,000.00 a month that API calls and storage, sold in other offerings, "
        "consume; the month's shortfall is trued up.",
        [("NW-COMMIT", 1, True, ("NW-API-CALLS", "NW-STORAGE"))],
        [RateSpec("USD monthly", "USD", [PriceSpec("NW-COMMIT", "flat_fee", regular("1000.00"))])],
    ),
    OfferingSpec(
        "Premium support",
        T.PERCENT_OF_TOTAL,
        "Support at 15 % of the seats it covers, wherever they are sold (the price of "
        "NW-SUPPORT is the percentage).",
        [("NW-SUPPORT", 1, True, ("NW-SEATS",))],
        [RateSpec("USD monthly", "USD", [PriceSpec("NW-SUPPORT", "flat_fee", regular("15"))])],
    ),
]


# The Microsoft 365-style offers' plans are priced by these offerings (seed 000's plans), so
# the portal shows their prices: in USD on North America, in EUR on Europe.
O365_BUSINESS_ITEMS = [
    ("O365-BUS-BASIC", 0, False, ()),
    ("O365-BUS-STANDARD", 0, False, ()),
    ("O365-BUS-PREMIUM", 0, False, ()),
    ("O365-BUS-APPS", 0, False, ()),
    ("O365-BUS-EXO-STORAGE", 0, False, ()),
]
OFFERINGS += [
    OfferingSpec(
        "Office 365 for business",
        T.SUBSCRIPTION,
        "Prices of the Basic, Standard, Premium and Apps plans, per user and month.",
        O365_BUSINESS_ITEMS,
        [
            RateSpec(
                "USD monthly (North America)",
                "USD",
                [
                    PriceSpec("O365-BUS-BASIC", "per_unit", regular("6.00")),
                    PriceSpec("O365-BUS-STANDARD", "per_unit", regular("12.50")),
                    PriceSpec("O365-BUS-PREMIUM", "per_unit", months_then(3, "16.50", "22.00")),
                    PriceSpec("O365-BUS-APPS", "per_unit", regular("8.25")),
                    PriceSpec("O365-BUS-EXO-STORAGE", "per_unit", regular("0.19")),
                ],
                channel="us",
            ),
            RateSpec(
                "EUR monthly (Europe)",
                "EUR",
                [
                    PriceSpec("O365-BUS-BASIC", "per_unit", regular("5.60")),
                    PriceSpec("O365-BUS-STANDARD", "per_unit", regular("11.70")),
                    PriceSpec("O365-BUS-PREMIUM", "per_unit", regular("20.60")),
                    PriceSpec("O365-BUS-APPS", "per_unit", regular("9.80")),
                    PriceSpec("O365-BUS-EXO-STORAGE", "per_unit", regular("0.18")),
                ],
                channel="eu",
            ),
        ],
    ),
    OfferingSpec(
        "Office 365 for home",
        T.SUBSCRIPTION,
        "Prices of the Personal and Family plans, per year, and the Windows 10 add-ons.",
        [
            ("O365-HOME-PERSONAL", 0, False, ()),
            ("O365-HOME-FAMILY", 0, False, ()),
            ("W10-HOME-ADDON", 0, False, ()),
            ("W10-PRO-ADDON", 0, False, ()),
        ],
        [
            RateSpec(
                "USD yearly (North America)",
                "USD",
                [
                    PriceSpec("O365-HOME-PERSONAL", "per_unit", regular("69.99")),
                    PriceSpec("O365-HOME-FAMILY", "per_unit", first_year_then("79.99", "99.99")),
                    PriceSpec("W10-HOME-ADDON", "per_unit", regular("139.00")),
                    PriceSpec("W10-PRO-ADDON", "per_unit", regular("199.00")),
                ],
                channel="us",
                billing_frequency=Rate.BillingFrequency.YEARLY,
            )
        ],
    ),
]
# (product, offer) whose plans an offering prices.
PLAN_OFFERINGS = {
    ("Office 365 (for business)", "For business"): "Office 365 for business",
    ("Office 365 (for home)", "For home"): "Office 365 for home",
    ("Northwind Cloud Platform", "Pay as you grow"): "Platform in packages",
}


def link_plans(loader) -> None:
    """Point the offers' plans at the offerings that price them; a plan that already names
    an offering (the demo's, or one the vendor chose since) is left alone."""
    vendor = loader.vendors["northwind"]
    for (product, offer), offering_name in PLAN_OFFERINGS.items():
        offering = Offering.objects.get(vendor=vendor, name=offering_name)
        plans = Plan.objects.filter(
            offer__product__vendor=vendor,
            offer__product__name=product,
            offer__name=offer,
            offering__isnull=True,
        )
        for plan in plans:
            row_update(plan, offering=offering, reason=f"priced by offering {offering_name!r}")


def load_pricing(loader) -> None:
    """Create the demo offerings, rates and prices that are missing (``loader``: DemoLoader)."""
    vendor = loader.vendors["northwind"]
    items = {item.mpn: item for item in Item.objects.filter(product__vendor=vendor)}
    for spec in OFFERINGS:
        offering = loader.ensure(
            Offering,
            offering_create,
            {"vendor": vendor, "name": spec.name},
            type=spec.type,
            description=spec.description,
            start_date=START,
        )
        if not offering.offering_items.exists():
            lines = [
                OfferingLine(
                    item=items[mpn],
                    default_quantity=quantity,
                    required=required,
                    applies_to=tuple(items[target] for target in scope),
                )
                for mpn, quantity, required, scope in spec.items
            ]
            offering_set_items(offering=offering, lines=lines)
            loader.count(OfferingItem, len(lines))
            loader.count(OfferingItemScope, sum(len(line.applies_to) for line in lines))
        for rate_spec in spec.rates:
            rate = loader.ensure(
                Rate,
                rate_create,
                {"offering": offering, "name": rate_spec.name},
                currency=rate_spec.currency,
                sales_channel=loader.marketplaces[rate_spec.channel] if rate_spec.channel else None,
                status=rate_spec.status,
                billing_frequency=rate_spec.billing_frequency,
            )
            for price in rate_spec.prices:
                if not PriceBookItem.objects.filter(rate=rate, item=items[price.mpn]).exists():
                    loader.count(PriceInterval, len(price.intervals))
                    loader.count(PriceTier, sum(len(i.tiers) for i in price.intervals))
                loader.ensure(
                    PriceBookItem,
                    lambda rate, item, price=price: price_book_item_save(
                        rate=rate,
                        item=item,
                        charge_model=price.charge_model,
                        pricing_type=price.pricing_type,
                        intervals=price.intervals,
                        delivery_weekdays=price.weekdays,
                        **price.options,
                    ),
                    {"rate": rate, "item": items[price.mpn]},
                )
    link_plans(loader)
    load_quotes(loader)


@dataclass(frozen=True)
class QuoteSpec:
    customer: str
    currency: str
    lines: list[tuple[str, str, str, int]]  # offering, rate, MPN, quantity
    contract: bool  # processed, and made into a contract
    channel: str | None = None  # the marketplace it sells on


QUOTE_START = date(2026, 12, 1)
QUOTES = [
    QuoteSpec(
        "Contoso Ltd",
        "USD",
        [
            ("Seats with implementation fee", "USD monthly", "NW-IMPL-FEE", 1),
            ("Seats with implementation fee", "USD monthly", "NW-SEATS", 25),
        ],
        contract=True,
    ),
    QuoteSpec(
        "Fabrikam Inc",
        "USD",
        [
            ("Committed usage", "USD monthly", "NW-COMMIT", 1),
            ("Platform pay as you go", "USD monthly", "NW-SEATS", 1),
            ("Platform pay as you go", "USD monthly", "NW-API-CALLS", 1500),
            ("Platform pay as you go", "USD monthly", "NW-STORAGE", 300),
        ],
        contract=True,
    ),
    QuoteSpec(
        "Woodgrove Bank",
        "USD",
        [
            ("Premium support", "USD monthly", "NW-SUPPORT", 1),
            ("Platform pay as you go", "USD monthly", "NW-SEATS", 40),
        ],
        contract=True,
    ),
    QuoteSpec(
        "Litware Inc",
        "USD",
        [
            ("Platform in packages", "USD monthly", "NW-SEATS", 5),
            ("Platform in packages", "USD monthly", "NW-API-CALLS", 125),
            ("Platform in packages", "USD monthly", "NW-STORAGE", 0),
        ],
        contract=True,
    ),
    QuoteSpec(
        "Tailspin Toys",
        "USD",
        [("Daily Service", "USD monthly (North America)", "ND-SUNDAY", 1)],
        contract=False,
        channel="us",  # the rate sells on the North America channel only
    ),
]


def load_quotes(loader) -> None:
    """A processed quote with its contract, and a draft quote, for customers not yet quoted."""
    vendor = loader.vendors["northwind"]
    pricing = apps.get_app_config("pricing").get_models(include_auto_created=True)
    counted = [model for model in pricing if not model.__name__.startswith("Historical")]
    before = {model: model._default_manager.count() for model in counted}
    for spec in QUOTES:
        if Quote.objects.filter(vendor=vendor, customer=spec.customer).exists():
            continue
        quote = quote_create(
            vendor=vendor,
            customer=spec.customer,
            currency=spec.currency,
            start_date=QUOTE_START,
            sales_channel=loader.marketplaces[spec.channel] if spec.channel else None,
        )
        for offering_name, rate_name, mpn, quantity in spec.lines:
            offering = Offering.objects.get(vendor=vendor, name=offering_name)
            quote_add_line(
                quote=quote,
                offering=offering,
                rate=offering.rates.get(name=rate_name),
                item=Item.objects.get(product__vendor=vendor, mpn=mpn),
                quantity=quantity,
            )
        if spec.contract:
            contract_create(quote=quote_process(quote=quote, on=QUOTE_START))
    for model in counted:  # processing and contracts may add rows of their own
        if added := model._default_manager.count() - before[model]:
            loader.count(model, added)
