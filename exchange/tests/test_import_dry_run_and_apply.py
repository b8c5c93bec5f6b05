"""Each sheet imports through the services: a dry run reports, per row, what a confirm would
do and writes nothing; the confirm writes it with its history; a second import of the same
file changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from catalog.models import (
    AddOnRequirement,
    Item,
    ItemGroup,
    Product,
    Vendor,
)
from exchange.books import BOOKS
from exchange.export import workbook
from exchange.outcomes import CHANGED, CREATED, UNCHANGED
from exchange.tests.books import append, edit, outcomes, run
from exchange.tests.workbooks import row_counts
from pricing.lock import rate_lock_reasons
from pricing.models import (
    Offering,
    PriceBookItem,
    PriceTier,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(northwind):
    return get_user_model().objects.get(username="northwind")


def test_a_dry_run_into_an_empty_vendor_reports_every_row_created_and_writes_nothing(books):
    empty = Vendor.objects.create(name="Empty", slug="empty")
    before = row_counts()
    report = run(empty, catalog=books[0], prices=books[1])
    assert row_counts() == before
    assert not report.applied and report.ok
    assert set(report.sheets) == {sheet.title for book in BOOKS.values() for sheet in book}
    for sheet in report.sheets.values():
        assert set(sheet.counts) <= {CREATED}, sheet.name
    assert report.counts[CREATED] == 205


def test_importing_the_same_files_again_changes_nothing_and_writes_no_history(books, northwind):
    before = row_counts()
    report = run(northwind, catalog=books[0], prices=books[1], dry_run=False)
    assert report.applied
    assert set(report.counts) == {UNCHANGED}
    assert row_counts() == before


# One edit per sheet: the dry run names the changed fields, the confirm writes them.
EDITS = [
    (
        "catalog",
        "products",
        {"name": "Northwind Cloud Platform"},
        {"category": "Apparel and more"},
        ["category"],
    ),
    ("catalog", "items", {"mpn": "NW-SEATS"}, {"name": "Seats (per user)"}, ["name"]),
    (
        "catalog",
        "item translations",
        {"mpn": "O365-BUS-APPS", "locale": "de"},
        {"name": "Office Apps"},
        ["name"],
    ),
    (
        "catalog",
        "upgrade paths",
        # One way only: turning a path of an up-and-down pair would contradict its way back.
        {"mpn": "W10-HOME", "target mpn": "W10-PRO"},
        {"kind": "downgrade"},
        ["kind"],
    ),
    (
        "catalog",
        "offers",
        {"offer": "Pay as you grow"},
        {"description": "New words."},
        ["description"],
    ),
    ("catalog", "plans", {"plan": "Packages"}, {"position": 7}, ["position"]),
    (
        "catalog",
        "plan items",
        {"plan": "Packages", "mpn": "NW-SEATS"},
        {"quantity": 3},
        ["quantity"],
    ),
    (
        "catalog",
        "features",
        {"feature": "The first 5,000 API calls of each month free"},
        {"position": 9},
        ["position"],
    ),
    (
        "catalog",
        "matrix",
        {"feature": "The first 5,000 API calls of each month free", "plan": "Packages"},
        {"text": "5,000 free"},
        ["text"],
    ),
    (
        "catalog",
        "listings",
        {"offer": "Pay as you grow", "marketplace": "us"},
        {"status": "unlisted"},
        ["status"],
    ),
    (
        "prices",
        "offerings",
        {"offering": "Platform in packages"},
        {"description": "Packages, edited."},
        ["description"],
    ),
    (
        "prices",
        "rates",
        {"offering": "Platform in packages", "rate": "USD monthly"},
        {"rate": "USD monthly"},
        [],
    ),
]


@pytest.mark.parametrize(
    ("book", "sheet", "match", "changes", "fields"), EDITS, ids=[e[1] for e in EDITS]
)
def test_a_changed_cell_is_reported_with_its_field_then_applied_with_history(
    books, northwind, staff, book, sheet, match, changes, fields
):
    data = edit(books[0] if book == "catalog" else books[1], sheet, match, changes)
    kwargs = {book: data}
    dry = run(northwind, **kwargs)
    changed = outcomes(dry, CHANGED)
    if not fields:
        assert changed == [] and dry.ok  # the same values: nothing to change
        return
    assert [(row.sheet, list(row.fields)) for row in changed] == [(sheet, fields)]
    assert dry.ok and not dry.applied
    # The dry run wrote nothing: the confirm finds the same change to make.
    applied = run(northwind, dry_run=False, by=staff, **kwargs)
    assert applied.applied
    assert [(row.sheet, list(row.fields)) for row in outcomes(applied, CHANGED)] == [
        (sheet, fields)
    ]
    again = run(northwind, **kwargs)
    assert outcomes(again, CHANGED) == []


def test_the_history_of_an_imported_change_names_the_user_and_the_file(books, northwind, staff):
    data = edit(books[0], "items", {"mpn": "NW-SEATS"}, {"name": "Seats (per user)"})
    run(northwind, catalog=data, dry_run=False, by=staff)
    item = Item.objects.get(product__vendor=northwind, mpn="NW-SEATS")
    latest = item.history.first()
    assert latest.name == "Seats (per user)"
    assert latest.history_user == staff
    assert latest.history_change_reason == "import catalog.xlsx"


def unlocked_price(northwind) -> PriceBookItem:
    """A price whose rate priced no processed quote or contract: it may change."""
    return next(
        pbi
        for pbi in PriceBookItem.objects.filter(rate__offering__vendor=northwind)
        .select_related("rate__offering", "item")
        .order_by("pk")
        if not rate_lock_reasons(pbi.rate)
        and pbi.intervals.count() == 1
        and not PriceTier.objects.filter(interval__price_book_item=pbi).exists()
    )


def test_a_changed_price_is_reported_as_a_change_of_its_intervals(books, northwind, staff):
    price = unlocked_price(northwind)
    match = {"offering": price.rate.offering.name, "rate": price.rate.name, "mpn": price.item.mpn}
    data = edit(books[1], "prices", match, {"price": 99})
    dry = run(northwind, prices=data)
    changed = outcomes(dry, CHANGED)
    assert changed and {row.sheet for row in changed} == {"prices"}
    assert all("intervals" in row.fields for row in changed)
    run(northwind, prices=data, dry_run=False, by=staff)
    assert price.intervals.get().price == Decimal("99")


NEW_OFFERING = {"offering": "Imported offering", "type": "subscription", "status": "active"}
NEW_LINE = {
    "offering": "Imported offering",
    "product": "Northwind Cloud Platform",
    "mpn": "NW-SEATS",
    "default quantity": 1,
    "required": "yes",
}
NEW_RATE = {
    "offering": "Imported offering",
    "rate": "EUR yearly",
    "currency": "eur",
    "billing frequency": "yearly",
    "customer group": "partners",
    "status": "draft",
}
NEW_PRICE_ROWS = [
    {
        "offering": "Imported offering",
        "rate": "EUR yearly",
        "product": "Northwind Cloud Platform",
        "mpn": "NW-SEATS",
        "attributes": '{"region": "EU"}',
        "charge model": "volume",
        "pricing type": "regular",
        "interval": 1,
        "duration unit": "infinity",
        "tier start unit": start,
        "tier end unit": end,
        "tier price": price,
    }
    for start, end, price in ((0, 10, "12.50"), (10, None, "9.75"))
]


def with_new_offering(prices: bytes) -> bytes:
    prices = append(prices, "offerings", NEW_OFFERING)
    prices = append(prices, "offering items", NEW_LINE)
    prices = append(prices, "rates", NEW_RATE)
    for row in NEW_PRICE_ROWS:
        prices = append(prices, "prices", row)
    return prices


def test_a_new_offering_with_its_items_rate_and_tiered_price_is_created_then_changed(
    books, northwind, staff
):
    prices = with_new_offering(books[1])
    dry = run(northwind, prices=prices)
    created = [(row.sheet, row.row) for row in outcomes(dry, CREATED)]
    assert [sheet for sheet, _row in created] == [
        "offerings",
        "offering items",
        "rates",
        "prices",
        "prices",
    ]
    assert not Offering.objects.filter(name="Imported offering").exists()

    applied = run(northwind, prices=prices, dry_run=False, by=staff)
    assert applied.applied
    offering = Offering.objects.get(vendor=northwind, name="Imported offering")
    line = offering.offering_items.get()
    assert (line.item.mpn, line.default_quantity, line.required) == ("NW-SEATS", 1, True)
    rate = offering.rates.get()
    assert (rate.currency, rate.billing_frequency, rate.customer_group) == (
        "EUR",
        "yearly",
        "partners",
    )
    price = rate.price_book_items.get()
    assert price.custom_attributes == {"region": "EU"}
    assert [
        (tier.start_unit, tier.end_unit, tier.price)
        for tier in PriceTier.objects.filter(interval__price_book_item=price).order_by("start_unit")
    ] == [(0, 10, Decimal("12.50")), (10, None, Decimal("9.75"))]

    # The offering is not locked (its only rate is a draft): its items may change.
    changed_prices = edit(
        prices, "offering items", {"offering": "Imported offering"}, {"default quantity": 5}
    )
    changed_prices = edit(
        changed_prices, "rates", {"offering": "Imported offering"}, {"customer group": "resellers"}
    )
    report = run(northwind, prices=changed_prices, dry_run=False, by=staff)
    assert [(row.sheet, row.fields) for row in outcomes(report, CHANGED)] == [
        ("offering items", ("default_quantity",)),
        ("rates", ("customer_group",)),
    ]
    assert offering.offering_items.get().default_quantity == 5


def test_a_new_add_on_rule_and_a_new_item_group_are_created(shared_demo, staff):
    fabrikam = Vendor.objects.get(slug="fabrikam")
    catalog = workbook(fabrikam, "catalog")
    product = Product.objects.filter(vendor=fabrikam).order_by("pk").first()
    group = ItemGroup.objects.filter(product=product, parent=None).first()
    assert group is not None, "the demo's shirt has a variation tree"
    catalog = append(
        catalog,
        "item groups",
        {"product": product.name, "path": f"{group.name} / Limited", "position": 9},
    )
    items = list(Item.objects.filter(product=product).order_by("mpn")[:2])
    catalog = append(
        catalog,
        "add-on rules",
        {
            "product": product.name,
            "mpn": items[0].mpn,
            "base product": product.name,
            "base mpn": items[1].mpn,
        },
    )
    report = run(fabrikam, catalog=catalog, dry_run=False)
    assert [(row.sheet, row.result) for row in outcomes(report) if row.result != UNCHANGED] == [
        ("item groups", CREATED),
        ("add-on rules", CREATED),
    ]
    limited = ItemGroup.objects.get(product=product, name="Limited")
    assert limited.parent == group
    assert AddOnRequirement.objects.filter(addon=items[0], base=items[1]).exists()


def test_text_typed_with_windows_line_endings_comes_back_from_a_workbook_unchanged(
    books, northwind
):
    """A browser's text box sends "\\r\\n"; a workbook keeps only "\\n" (XML): the export of
    such a description imports back as no change."""
    Product.objects.filter(vendor=northwind, name="Northwind Cloud Platform").update(
        description="First line.\r\nSecond line."
    )
    report = run(northwind, catalog=workbook(northwind, "catalog"))
    assert outcomes(report, CHANGED) == []
