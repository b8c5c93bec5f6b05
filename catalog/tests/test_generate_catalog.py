"""``manage.py generate_catalog`` builds what it says, rows the app would have written: valid
by the models' rules, served by the admin, the API and the portal, with history rows or
explicitly without; a bad request is refused before anything is written."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from catalog.generator import (
    GeneratorRefused,
    Options,
    catalog_rows,
    generate,
    offer_rows,
    pricing_rows,
)
from catalog.generator.prices import PriceLibrary
from catalog.generator.run import vendor_sizes
from catalog.generator.writer import BulkWriter
from catalog.models import Distributor, Item, ItemPath, Listing, Vendor
from catalog.tests.factories import ItemFactory, UserFactory, distributor_user
from insights.lint import ERROR, lint_vendor
from insights.tests.paths_data import module_rows
from pricing import pricebook
from pricing.models import Offering, PriceBookItem, Quote
from pricing.rules import LineSpec, composition_problems

pytestmark = pytest.mark.django_db

RUN = Options(vendors=3, items=200, seed=7, quotes=5, prefix="t")
REASON = f"generate_catalog --prefix {RUN.prefix} --seed {RUN.seed}"
WRITTEN = [*catalog_rows.COLUMNS, *pricing_rows.COLUMNS, *offer_rows.COLUMNS]


@pytest.fixture(scope="module")
def run(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield generate(RUN)


def model_of(table: str):
    return next(m for m in apps.get_models() if m._meta.db_table == table)


def test_every_table_holds_the_rows_the_summary_counts(run):
    assert run.rows["catalog_item"] == RUN.items
    assert run.rows["catalog_vendor"] == RUN.vendors
    for table, count in run.rows.items():
        model = model_of(table)
        if hasattr(model, "instance_type"):  # history: processing the quotes adds records
            assert model.objects.filter(history_change_reason=REASON).count() == count, table
        else:
            assert model.objects.count() == count, table


def test_every_generated_row_has_its_creation_record(run):
    for model in WRITTEN:
        records = model.history.filter(history_change_reason=REASON, history_type="+")
        assert records.count() == model.objects.count() > 0, model.__name__


def test_a_sample_of_each_table_passes_full_clean(run):
    for model in WRITTEN:
        for row in model.objects.order_by("?")[:15]:
            row.full_clean()


def test_offerings_hold_what_their_type_allows_and_prices_have_their_shape(run):
    offerings = Offering.objects.prefetch_related(
        "offering_items__item__product", "offering_items__scopes"
    )
    types = set()
    kinds = {i.pk: LineSpec(i.pk, i.kind, i.mpn) for i in Item.objects.all()}
    for offering in offerings:
        types.add(offering.type)
        lines = [
            LineSpec(
                oi.item_id, oi.item.kind, oi.item.mpn, frozenset(s.item_id for s in oi.scopes.all())
            )
            for oi in offering.offering_items.all()
        ]
        assert composition_problems(offering.type, lines, kinds) == [], offering
        assert all(
            oi.item.product.vendor_id == offering.vendor_id for oi in offering.offering_items.all()
        )
    assert types == set(Offering.Type.values)
    for pbi in PriceBookItem.objects.with_rows().select_related("rate"):
        spec = pricebook.PriceSpec(
            charge_model=pbi.charge_model,
            pricing_type=pbi.pricing_type,
            intervals=[
                pricebook.IntervalSpec(
                    i.duration_unit,
                    i.duration,
                    i.price,
                    i.included_units,
                    i.overage_price,
                    tuple(
                        pricebook.TierSpec(
                            t.start_unit, t.end_unit, t.price, t.price_format, t.flat_amount
                        )
                        for t in i.tiers.all()
                    ),
                    i.package_size,
                )
                for i in pbi.intervals.all()
            ],
            delivery_weekdays=pbi.delivery_weekdays,
            minimum_amount=pbi.minimum_amount,
            maximum_amount=pbi.maximum_amount,
            flat_at_zero=pbi.flat_at_zero,
        )
        assert pricebook.price_problems(spec) == [], pbi


def test_every_charge_model_of_the_registry_is_generated():
    assert PriceLibrary().charge_models == set(pricebook.REGISTRY)


def test_no_path_has_a_way_back_of_the_same_kind(run):
    paths = set(ItemPath.objects.values_list("source_id", "target_id", "kind"))
    assert paths
    assert not {(t, s, k) for s, t, k in paths} & paths
    assert not any(
        ItemPath.objects.get(source_id=s, target_id=t).contradiction()
        for s, t, _ in list(paths)[:10]
    )


def test_quotes_are_processed_by_the_selling_services_with_their_price_versions(run):
    assert 1 <= len(run.quotes) <= RUN.quotes
    for quote in Quote.objects.prefetch_related("lines"):
        assert quote.status == Quote.Status.PROCESSED
        lines = list(quote.lines.all())
        assert lines and all(line.price_snapshot and line.price_version for line in lines)
        assert quote.total == sum(line.amount for line in lines)


def test_the_linter_finds_no_error_in_a_generated_vendor(run):
    for vendor in Vendor.objects.all():
        errors = [f for f in lint_vendor(vendor) if f.severity == ERROR]
        assert errors == [], vendor
    out = StringIO()
    call_command("lint_catalog", vendor=f"{RUN.prefix}-v00001", stdout=out)


def test_admin_api_and_portal_serve_the_generated_catalog(run, client):
    root = UserFactory(username="gen-root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/catalog/item/").status_code == 200
    assert client.get("/admin/pricing/offering/").status_code == 200
    api = APIClient()
    api.force_authenticate(root)
    response = api.get("/api/v1/items/")
    assert response.status_code == 200 and response.json()["count"] == RUN.items
    member = distributor_user(Distributor.objects.get(slug=f"{RUN.prefix}-distributor"))
    client.force_login(member)
    assert client.get("/portal/").status_code == 200


def test_new_rows_after_a_run_take_fresh_ids(run):
    top = Item.objects.order_by("-pk").values_list("pk", flat=True)[0]
    assert ItemFactory().pk > top


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--vendors", "1", "--items", "0"], "--items must be at least 1"),
        (["--vendors", "5", "--items", "4"], "cannot exceed --items"),
        (["--vendors", "0", "--items", "4"], "--vendors must be at least 1"),
        (["--vendors", "1", "--items", "4", "--batch-size", "0"], "--batch-size"),
        (["--vendors", "1", "--items", "4", "--prefix", "Bad-Prefix"], "--prefix"),
        (["--vendors", "1", "--items", "4", "--prefix", RUN.prefix], "taken by an earlier run"),
    ],
)
def test_a_bad_request_exits_non_zero_and_writes_nothing(run, arguments, message):
    before = {model: model.objects.count() for model in WRITTEN}
    with pytest.raises(CommandError, match=message) as refused:
        call_command("generate_catalog", *arguments, stdout=StringIO())
    assert refused.value.returncode == 1 and "Nothing was written" in str(refused.value)
    assert {model: model.objects.count() for model in WRITTEN} == before


def test_a_second_run_with_another_prefix_adds_a_distinct_catalog(run):
    out = StringIO()
    call_command(
        "generate_catalog",
        "--vendors",
        "2",
        "--items",
        "30",
        "--prefix",
        "again",
        "--quotes",
        "2",
        stdout=out,
    )
    assert Vendor.objects.filter(slug__startswith="again-").count() == 2
    assert Item.objects.filter(mpn__startswith="AGAIN-").count() == 30
    assert Item.objects.count() == RUN.items + 30
    assert "Generated" in out.getvalue() and "rows/s" in out.getvalue()


def history_counts() -> dict:
    return {model: model.history.count() for model in WRITTEN}


def test_no_history_writes_no_history_rows_and_says_so(db):
    before, out = history_counts(), StringIO()
    call_command(
        "generate_catalog",
        "--vendors",
        "2",
        "--items",
        "40",
        "--no-history",
        "--quotes",
        "0",
        stdout=out,
    )
    assert Item.objects.filter(mpn__startswith="GEN-").count() == 40
    assert history_counts() == before
    assert "--no-history" in out.getvalue()


def test_no_history_still_versions_the_prices_its_quotes_sell(db):
    summary = generate(Options(vendors=1, items=40, history=False, quotes=2, prefix="nh"))
    assert not Item.history.filter(mpn__startswith="NH-").exists()
    for quote in summary.quotes:
        assert all(line.price_version for line in quote.lines.all())


def test_the_writer_refuses_rows_that_leave_a_required_column_out():
    writer = BulkWriter(history=False, batch_size=10, reason="")
    with pytest.raises(ValueError, match="need"):
        writer.declare(Item, ("id", "product_id", "mpn"))


def test_a_listing_counts_only_on_rates_that_sell_to_anyone():
    rates = [
        ("Partner", "USD", "monthly", None, "partner", "active"),
        ("Europe", "EUR", "monthly", 2, "", "active"),
        ("Yearly", "USD", "yearly", None, "", "draft"),
    ]
    assert pricing_rows.where_it_sells(rates) == {("EUR", 2)}


def test_vendors_share_the_items_unevenly_and_exactly():
    sizes = vendor_sizes(random.Random(1), 10, 1000)
    assert sum(sizes) == 1000 and min(sizes) >= 1 and max(sizes) > 2 * min(sizes)
    assert vendor_sizes(random.Random(1), 3, 3) == [1, 1, 1]


def test_options_name_every_problem_at_once():
    problems = Options(vendors=0, items=0, batch_size=0, prefix="-").problems()
    assert len(problems) == 4
    with pytest.raises(GeneratorRefused):
        Options(vendors=2, items=1).check()


def test_the_runs_distributor_browses_the_listings_of_its_two_marketplaces(run):
    distributor = Distributor.objects.get(slug=f"{RUN.prefix}-distributor")
    assert distributor.marketplaces.count() == 2
    assert Listing.objects.for_distributor(distributor).exists()
    reader = distributor_user(distributor, username="gen-reader")
    assert Item.objects.visible_to(reader).exists()


def test_without_history_the_distributor_is_admitted_too(db):
    generate(Options(vendors=1, items=40, history=False, quotes=0, prefix="nd"))
    distributor = Distributor.objects.get(slug="nd-distributor")
    assert distributor.marketplaces.count() == 2
