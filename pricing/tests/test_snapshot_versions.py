"""Every snapshot ever written reads back and recomputes to the amount it sold for.

``snapshots/v1.json`` was written by the code before ``pricing.pricebook`` (its snapshots
have no ``version``), ``v2.json`` and ``v3.json`` by versions 2 and 3. Each holds processed
quotes with every charge model, item kind, billing period and the percent and commitment
lines, as the database stored them. ``snapshots/make.py`` writes the current version's file;
v1.json was made by ``make_v1.py``, which ran on the code of that time (``git show
b35504f``) and was retired with it. Each line is priced again from its snapshot alone, with
its quote's other lines, by the rules of its version.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.tests.generated import report
from pricing import pricebook
from pricing.pricebook import snapshot
from pricing.pricebook.sale import CHARGE, MINIMUM_COMMIT, PERCENT_OF_TOTAL

HERE = Path(__file__).parent / "snapshots"
ROLES = {"percent_of_total": PERCENT_OF_TOTAL, "minimum_commit": MINIMUM_COMMIT}


def sale_of(quote: dict) -> list[pricebook.SaleLine]:
    """A stored quote's lines as the engine prices them, from the snapshots alone."""
    lines = quote["lines"]
    sale = []
    for line in lines:
        frozen = snapshot.load(line["price_snapshot"])
        if frozen.version == 1:  # the line's item and rate said what version 1 did not store
            role = ROLES.get(line["item_kind"], CHARGE)
            one_time = line["item_kind"] == "one_time"
            period_months = line["rate_period_months"]
            applies = {"item_mpn": set(line["scope"])}
        else:
            role, one_time, period_months = frozen.role, frozen.one_time, frozen.period_months
            applies = {"item": set(frozen.scope)}
        ((field, wanted),) = applies.items()
        sale.append(
            pricebook.SaleLine(
                key=line["line"],
                book=frozen.book,
                quantity=Decimal(line["quantity"]),
                period_months=period_months,
                one_time=one_time,
                role=role,
                scope=frozenset(
                    other["line"]
                    for other in lines
                    if (frozen.version >= 3 or other["offering"] == line["offering"])
                    and other[field] in wanted
                    and other is not line
                ),
                version=frozen.version,
            )
        )
    return sale


@pytest.mark.parametrize("version", range(1, snapshot.VERSION + 1))
def test_every_stored_snapshot_recomputes_to_its_amount(version):
    quotes = json.loads((HERE / f"v{version}.json").read_text())
    wrong, checked, models = [], 0, set()
    for quote in quotes:
        priced = pricebook.price_sale(
            sale_of(quote), start=date.fromisoformat(quote["start_date"]), periods=quote["periods"]
        )
        for line in quote["lines"]:
            checked += 1
            models.add(line["price_snapshot"]["charge_model"])
            if priced[line["line"]].amount != Decimal(line["amount"]):
                wrong.append((quote["start_date"], line["item_mpn"], line["amount"]))
    report(f"stored v{version} snapshot lines recomputed", checked)
    assert checked > 500
    assert not wrong, f"{len(wrong)} of {checked} lines recompute to another amount: {wrong[:5]}"
    # Version 1 knew seven charge models; version 2 every registered one.
    assert models == (
        set(pricebook.REGISTRY) - {"package"} if version == 1 else set(pricebook.REGISTRY)
    )


def test_version_2_snapshots_hold_every_field_of_the_catalog():
    from pricing.pricebook.fields import INTERVAL, PRICE, TIER

    line = next(
        line
        for quote in json.loads((HERE / "v2.json").read_text())
        for line in quote["lines"]
        if line["price_snapshot"]["intervals"][0]["tiers"]
    )
    frozen = line["price_snapshot"]
    assert frozen["version"] == 2
    assert {f.name for f in PRICE} <= set(frozen)
    assert {f.name for f in INTERVAL} <= set(frozen["intervals"][0])
    assert {f.name for f in TIER} == set(frozen["intervals"][0]["tiers"][0])


def test_a_version_1_percent_keeps_its_first_percentage_for_the_whole_term():
    """What version 1 sold (10 % of the whole term) is what it recomputes to; version 2
    takes each period's own percentage."""
    quote = next(
        quote
        for quote in json.loads((HERE / "v1.json").read_text())
        if quote["start_date"] == "2026-01-31" and quote["periods"] == 12
    )
    line = next(line for line in quote["lines"] if line["item_mpn"] == "PB-PCT")
    assert [i["price"] for i in line["price_snapshot"]["intervals"]] == ["10.000000", "20.000000"]
    sale = sale_of(quote)
    v1 = pricebook.price_sale(sale, start=date(2026, 1, 31), periods=12)
    as_v2 = pricebook.price_sale(
        [
            pricebook.SaleLine(**{**vars(s), "version": 2}) if s.key == line["line"] else s
            for s in sale
        ],
        start=date(2026, 1, 31),
        periods=12,
    )
    assert v1[line["line"]].amount == Decimal(line["amount"])
    assert as_v2[line["line"]].amount > v1[line["line"]].amount


def test_an_unknown_snapshot_version_is_refused_clearly():
    frozen = {"version": 99, "charge_model": "per_unit", "currency": "USD", "intervals": []}
    with pytest.raises(ValueError, match="Unknown snapshot version 99"):
        snapshot.load(frozen)
