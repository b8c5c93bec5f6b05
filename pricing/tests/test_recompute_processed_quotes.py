"""Recomputing a processed quote from its snapshots gives every line's stored amount to the
cent: the demo's quotes, and quotes generated over every charge model with percent and
commitment lines."""

import random
from datetime import date
from decimal import Decimal

import pytest

from catalog.tests.factories import ItemFactory, ProductFactory
from catalog.tests.generated import report
from catalog.tests.profiles import cases
from pricing import pricebook, quote_lines, rates, selling, services
from pricing.models import Quote
from pricing.pricebook import IntervalSpec, TierSpec

D = Decimal


def test_every_processed_line_of_the_demo_recomputes_to_its_amount(shared_demo):
    quotes = list(Quote.objects.filter(status=Quote.Status.PROCESSED))
    lines = 0
    for quote in quotes:
        recomputed = selling.quote_recompute(quote)
        for line in quote.lines.select_related("item"):
            lines += 1
            assert recomputed[line.pk] == line.amount, (quote.reference, line.item.mpn)
    kinds = {line.item.kind for q in quotes for line in q.lines.select_related("item")}
    assert {"percent_of_total", "minimum_commit"} <= kinds
    assert lines >= 10


def random_price(rng: random.Random, model: str) -> dict:
    """A valid price of ``model`` with random figures, as price_book_item_save takes it."""
    money = lambda: D(rng.randint(0, 50_000)) / 100  # noqa: E731
    uses = pricebook.charge_model(model).uses
    tiers = ()
    if pricebook.charge_model(model).uses_tiers:
        bounds = sorted(rng.sample(range(1, 200), rng.randint(1, 4)))
        open_last = model != "tiered_with_overage"
        edges = list(zip([0, *bounds], [*bounds, None], strict=True))
        if not open_last:
            edges = edges[:-1]
        tiers = tuple(
            TierSpec(D(start), None if end is None else D(end), money(), flat_amount=money())
            for start, end in edges
        )
    intervals = [
        IntervalSpec(
            "month",
            rng.randint(1, 4),
            price=money(),
            included_units=D(rng.randint(0, 20)),
            overage_price=money() + 1,
            tiers=tiers,
            package_size=D(rng.randint(1, 50)) if uses("interval.package_size") else None,
        ),
        IntervalSpec(
            price=money(),
            included_units=D(rng.randint(0, 20)),
            overage_price=money() + 1,
            tiers=tiers,
            package_size=D(rng.randint(1, 50)) if uses("interval.package_size") else None,
        ),
    ]
    options = {}
    if uses("price.delivery_weekdays"):
        options["delivery_weekdays"] = sorted(rng.sample(range(7), rng.randint(1, 7)))
    if uses("price.minimum_amount") and rng.random() < 0.5:
        options["minimum_amount"] = money()
        options["maximum_amount"] = options["minimum_amount"] + money()
    if uses("price.flat_at_zero"):
        options["flat_at_zero"] = rng.random() < 0.5
    return {"charge_model": model, "pricing_type": "interval", "intervals": intervals, **options}


@pytest.mark.django_db
def test_generated_quotes_recompute_to_their_amounts(vendor):
    product = ProductFactory(vendor=vendor)
    models = list(pricebook.REGISTRY)
    usage = {
        model: ItemFactory(product=product, kind="usage", mpn=f"U-{model}") for model in models
    }
    seats = ItemFactory(product=product, kind="subscription", mpn="SEATS")
    commit = ItemFactory(product=product, kind="minimum_commit", mpn="COMMIT")
    percent = ItemFactory(product=product, kind="percent_of_total", mpn="PERCENT")
    tried = 0
    for seed in range(cases(3)):
        rng = random.Random(seed)

        def offering(name, offering_type, lines, seed=seed):
            made = services.offering_create(
                vendor=vendor,
                name=f"{name} {seed}",
                type=offering_type,
                start_date=date(2026, 1, 1),
            )
            services.offering_set_items(offering=made, lines=lines)
            return made

        line = services.OfferingLine
        scope = tuple(rng.sample(list(usage.values()), 4))
        committed = offering("Commit", "minimum_commit", [line(item=commit, applies_to=scope)])
        metered = offering(
            "Metered", "subscription", [line(item=seats)] + [line(item=i) for i in usage.values()]
        )
        support = offering("Support", "percent_of_total", [line(item=percent, applies_to=(seats,))])
        frequency = rng.choice(["monthly", "quarterly", "yearly"])
        lines = []
        for offering, priced in (
            (committed, [(commit, "flat_fee")]),
            (metered, [(seats, rng.choice(models)), *((usage[m], m) for m in models)]),
            (support, [(percent, "flat_fee")]),
        ):
            rate = rates.rate_create(
                offering=offering, name="USD", currency="USD", billing_frequency=frequency
            )
            for item, model in priced:
                price = random_price(rng, model)
                if item in (commit, percent):
                    price = {**price, "charge_model": "flat_fee"}
                    price.pop("minimum_amount", None), price.pop("maximum_amount", None)
                    price.pop("flat_at_zero", None), price.pop("delivery_weekdays", None)
                rates.price_book_item_save(rate=rate, item=item, **price)
                quantity = D(rng.choice([0, 1, 7, 25, 120, 999])) + D(rng.randint(0, 3)) / 4
                lines.append(quote_lines.QuoteLineSpec(offering, rate, item, quantity))
            rates.rate_activate(rate=rate)
        quote = selling.quote_create(
            vendor=vendor,
            customer=f"C{seed}",
            currency="USD",
            start_date=date(2026, rng.randint(1, 12), rng.choice([1, 15, 28])),
            periods=rng.randint(1, 14),
            lines=lines,
        )
        selling.quote_process(quote=quote, on=date(2026, 1, 1))
        recomputed = selling.quote_recompute(quote)
        for line in quote.lines.select_related("item"):
            tried += 1
            assert recomputed[line.pk] == line.amount, (seed, line.item.mpn)
    report("generated quote lines recomputed", tried)
    assert tried > 0
