"""A client generated from /api/schema/ works against the API (issue #6).

openapi-python-client generates a typed Python client from the schema that a test server
serves; scripts' everyday work then goes through its functions and models. Its parsers
are strict: a required key the answer lacks, a value of another type or an undocumented
status makes them fail, so a schema that disagreed with the answers would fail here.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from catalog.models import Item, Product
from catalog.tests.api_server import ApiServer
from catalog.tests.generated import report
from pricing.models import Offering, PriceBookItem, Rate

pytestmark = pytest.mark.django_db

PACKAGE = "catalog_client"
CLIENT_TIMEOUT = 60  # seconds (httpx waits 5 by default: too short on a slow hour)
LOCKED = "Seats with implementation fee"  # demo offering with an active rate


@pytest.fixture
def server(demo_tokens, quiet_request_log):
    with ApiServer() as server:
        yield server


@pytest.fixture
def generated(server, tmp_path):
    """The client package generated from the server's schema, imported."""
    schema = tmp_path / "schema.json"
    schema.write_bytes(
        httpx.get(f"{server.url}/api/schema/?format=json", timeout=CLIENT_TIMEOUT).content
    )
    config = tmp_path / "generator.yaml"
    config.write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    generator = Path(sys.executable).with_name("openapi-python-client")
    done = subprocess.run(
        [generator, "generate", "--path", schema, "--meta", "none", "--config", config,
         "--output-path", tmp_path / PACKAGE],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # every operation and model generated
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def client_for(generated, server, token: str):
    return generated.client.AuthenticatedClient(
        base_url=server.url,
        token=token,
        prefix="Token",
        raise_on_unexpected_status=True,
        timeout=httpx.Timeout(CLIENT_TIMEOUT),
    )


def operations() -> dict[str, str]:
    """Each operation's module by the operation's name, e.g. ``offerings_clone_create``."""
    api = importlib.import_module(f"{PACKAGE}.api")
    return {
        module.name: f"{PACKAGE}.api.{tag.name}.{module.name}"
        for tag in pkgutil.iter_modules(api.__path__)
        for module in pkgutil.iter_modules([str(Path(api.__path__[0]) / tag.name)])
    }


def operation(name: str):
    return importlib.import_module(operations()[name])


@pytest.mark.parametrize("username", ["northwind", "distributor"])
def test_every_list_and_detail_parses_into_the_generated_models(
    generated, server, demo_tokens, username
):
    client = client_for(generated, server, demo_tokens[username])
    lists = sorted(name for name in operations() if name.endswith("_list"))
    assert len(lists) == 14, lists
    parsed_rows = 0
    for name in lists:
        answer = operation(name).sync_detailed(client=client, page_size=200)
        assert answer.status_code == 200, (name, answer.content)
        page = answer.parsed
        assert type(page).__name__.startswith("Paginated"), (name, page)
        assert page.count == len(page.results) or page.next, name
        parsed_rows += len(page.results)
        if page.results:
            first = page.results[0]
            detail = operation(name.replace("_list", "_retrieve"))
            one = detail.sync_detailed(first.id, client=client)
            assert one.status_code == 200, (name, one.content)
            assert one.parsed == first, name  # the same model, field for field
    assert parsed_rows > 50  # the demo catalog, not empty pages
    report(f"generated client: lists parsed as {username}", len(lists))
    report(f"generated client: rows parsed as {username}", parsed_rows)


def test_a_script_takes_a_locked_offering_through_clone_and_inactivation(
    generated, server, demo_tokens
):
    models = importlib.import_module(f"{PACKAGE}.models")
    client = client_for(generated, server, demo_tokens["northwind"])

    def call(name, *args, **kwargs):
        return operation(name).sync_detailed(*args, client=client, **kwargs)

    created = call("products_create", body=models.ProductRequest(name="Scripted product"))
    assert created.status_code == 201
    assert Product.objects.get(pk=created.parsed.id).vendor.slug == "northwind"

    found = call("offerings_list", search=LOCKED).parsed.results
    original = next(offering for offering in found if offering.name == LOCKED)
    assert original.locked and original.lock_reasons
    api_calls = Item.objects.get(mpn="NW-API-CALLS")
    new_line = models.OfferingItemWriteRequest(item=api_calls.pk, default_quantity=0)

    refused = call("offerings_items_create", original.id, body=new_line)
    assert refused.status_code == 409
    assert isinstance(refused.parsed, models.Error)
    assert refused.parsed.code == "OFFERING_LOCKED"
    assert refused.parsed.lock_reasons == original.lock_reasons

    copy = call("offerings_clone_create", original.id, body=models.CloneRequest(name="Seats 2027"))
    assert copy.status_code == 201
    assert (copy.parsed.name, copy.parsed.locked) == ("Seats 2027", False)
    added = call("offerings_items_create", copy.parsed.id, body=new_line)
    assert added.status_code == 201
    assert api_calls.pk in {line.item for line in added.parsed.items}

    rate = Rate.objects.get(offering_id=original.id, status=Rate.Status.ACTIVE, currency="USD")
    seat = Item.objects.get(mpn="NW-SEATS")
    preview = call(
        "offerings_price_preview_create",
        original.id,
        body=models.PricePreviewRequest(
            rate=rate.pk,
            start_date=datetime.date(2027, 1, 1),
            periods=3,
            lines=[models.PreviewLineRequest(item=seat.pk, quantity="10")],
        ),
    )
    assert preview.status_code == 200
    [line] = preview.parsed.lines
    assert len(line.periods) == 3
    assert Decimal(preview.parsed.total) == sum(Decimal(p.amount) for p in line.periods) > 0

    pbi = PriceBookItem.objects.filter(rate=rate, item=seat).get()
    price = call("price_book_items_retrieve", pbi.pk).parsed
    assert [Decimal(interval.price) for interval in price.intervals] == list(
        pbi.intervals.order_by("sequence").values_list("price", flat=True)
    )

    inactivated = call("offerings_inactivate_create", original.id)
    assert inactivated.parsed.status == models.OfferingStatusEnum.INACTIVE
    assert Offering.objects.get(pk=original.id).status == Offering.Status.INACTIVE

    history = call("offerings_history_retrieve", original.id).parsed
    assert [refusal.code for refusal in history.refusals] == ["OFFERING_LOCKED"]
    reasons = [version.reason for version in history.versions]
    assert any(reason.startswith(f"cloned as #{copy.parsed.id}") for reason in reasons)
    assert "inactivated through the API" in reasons


def test_a_script_builds_an_offering_its_prices_and_a_quote_line_by_line(
    generated, server, demo_tokens
):
    """Issue 14: what the admin's offering, price and quote pages write, a script writes too:
    the whole item list, one item, part of a price, and a draft quote's lines."""
    models = importlib.import_module(f"{PACKAGE}.models")
    client = client_for(generated, server, demo_tokens["northwind"])

    def call(name, *args, **kwargs):
        return operation(name).sync_detailed(*args, client=client, **kwargs)

    original = next(o for o in call("offerings_list", search=LOCKED).parsed.results)
    seat, fee = Item.objects.get(mpn="NW-SEATS"), Item.objects.get(mpn="NW-IMPL-FEE")
    refused = call(
        "offerings_items_partial_update",
        original.id,
        seat.pk,
        body=models.PatchedOfferingItemChangeRequest(default_quantity=99),
    )
    assert refused.status_code == 409
    assert refused.parsed.code == "OFFERING_LOCKED"

    copy = call("offerings_clone_create", original.id, body=models.CloneRequest(name="Scripted"))
    assert copy.status_code == 201
    written = call(
        "offerings_items_update",
        copy.parsed.id,
        body=[
            models.OfferingItemWriteRequest(item=seat.pk, default_quantity=20, required=True),
            models.OfferingItemWriteRequest(item=fee.pk, default_quantity=1, required=False),
        ],
    )
    assert written.status_code == 200, written.content
    changed = call(
        "offerings_items_partial_update",
        copy.parsed.id,
        seat.pk,
        body=models.PatchedOfferingItemChangeRequest(default_quantity=25),
    )
    assert {line.item: line.default_quantity for line in changed.parsed.items} == {
        seat.pk: 25,
        fee.pk: 1,
    }

    rate = Rate.objects.get(offering_id=copy.parsed.id, currency="USD")
    pbi = PriceBookItem.objects.get(rate=rate, item=seat)
    price = call(
        "price_book_items_partial_update",
        pbi.pk,
        body=models.PatchedPriceBookItemRequest(minimum_amount="100"),
    )
    assert price.status_code == 200, price.content
    assert Decimal(price.parsed.minimum_amount) == 100
    assert len(price.parsed.intervals) == pbi.intervals.count()
    activated = call(
        "rates_partial_update",
        rate.pk,
        body=models.PatchedRateRequest(status=models.RateStatusEnum.ACTIVE),
    )
    assert activated.status_code == 200, activated.content

    quote = call(
        "quotes_create",
        body=models.QuoteRequest(
            customer="Scripted customer", currency="USD", start_date=datetime.date(2027, 1, 1)
        ),
    ).parsed

    def line(item, quantity, **extra):
        return {
            "offering": copy.parsed.id,
            "rate": rate.pk,
            "item": item.pk,
            "quantity": quantity,
            **extra,
        }

    added = call("quotes_lines_create", quote.id, body=models.QuoteLineRequest(**line(seat, "5")))
    assert added.status_code == 201, added.content
    [seat_line] = added.parsed.lines
    call("quotes_lines_create", quote.id, body=models.QuoteLineRequest(**line(fee, "1")))
    patched = call(
        "quotes_lines_partial_update",
        quote.id,
        seat_line.id,
        body=models.PatchedQuoteLineRequest(quantity="10"),
    )
    first = patched.parsed.lines[0]
    assert (first.id, Decimal(first.quantity)) == (seat_line.id, 10)
    fee_line = patched.parsed.lines[1]
    assert call("quotes_lines_destroy", quote.id, fee_line.id).status_code == 204
    replaced = call(
        "quotes_lines_update",
        quote.id,
        body=[
            models.QuoteLineReplaceRequest(**line(seat, "12", line=seat_line.id)),
            models.QuoteLineReplaceRequest(**line(fee, "1")),
        ],
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.parsed.lines[0].id == seat_line.id

    processed = call("quotes_process_create", quote.id)
    assert processed.status_code == 200, processed.content
    assert Decimal(processed.parsed.total) > 0
    late = call("quotes_lines_create", quote.id, body=models.QuoteLineRequest(**line(fee, "1")))
    assert late.status_code == 409
    assert late.parsed.code == "QUOTE_NOT_DRAFT"


def test_a_script_builds_and_sells_seed_002s_commitment_and_a_percent(
    generated, server, demo_tokens
):
    """Issue 14: from nothing, through the generated client alone: items, a pay-as-you-go
    offering, a Minimum Commit and a Percent of Total offering each holding its one item with
    an application list naming items of the first, their prices; one quote sells them."""
    models = importlib.import_module(f"{PACKAGE}.models")
    client = client_for(generated, server, demo_tokens["northwind"])

    def call(name, *args, expect=(200, 201), **kwargs):
        answer = operation(name).sync_detailed(*args, client=client, **kwargs)
        assert answer.status_code in expect, (name, answer.content)
        return answer.parsed

    product = call("products_create", body=models.ProductRequest(name="Scripted platform"))
    kinds = {"SEATS": "SUBSCRIPTION", "CALLS": "USAGE", "COMMIT": "MINIMUM_COMMIT"}
    kinds["SUPPORT"] = "PERCENT_OF_TOTAL"
    items = {
        mpn: call(
            "items_create",
            body=models.ItemRequest(
                product=product.id, mpn=f"S2-{mpn}", name=mpn, kind=models.ItemKindEnum[kind]
            ),
        ).id
        for mpn, kind in kinds.items()
    }

    def offering(name, offering_type, lines, prices):
        made = call(
            "offerings_create",
            body=models.OfferingRequest(
                name=name,
                type_=models.TypeEnum[offering_type],
                start_date=datetime.date(2026, 1, 1),
            ),
        )
        call(
            "offerings_items_update",
            made.id,
            body=[models.OfferingItemWriteRequest(**line) for line in lines],
        )
        rate = call(
            "rates_create", body=models.RateRequest(offering=made.id, name="USD", currency="USD")
        )
        for mpn, model, price in prices:
            call(
                "price_book_items_create",
                body=models.PriceBookItemRequest(
                    rate=rate.id,
                    item=items[mpn],
                    charge_model=models.ChargeModelEnum[model],
                    intervals=[models.IntervalRequest(price=price)],
                ),
            )
        call(
            "rates_partial_update",
            rate.id,
            body=models.PatchedRateRequest(status=models.RateStatusEnum.ACTIVE),
        )
        return made.id, rate.id

    payg = offering(
        "Scripted pay as you go",
        "SUBSCRIPTION",
        [
            {"item": items["SEATS"], "default_quantity": 1, "required": True},
            {"item": items["CALLS"], "default_quantity": 0},
        ],
        [("SEATS", "PER_UNIT", "12.00"), ("CALLS", "PER_UNIT", "0.40")],
    )
    commit = offering(
        "Scripted commitment",
        "MINIMUM_COMMIT",
        [{"item": items["COMMIT"], "default_quantity": 1, "applies_to": [items["CALLS"]]}],
        [("COMMIT", "FLAT_FEE", "1000.00")],
    )
    support = offering(
        "Scripted support",
        "PERCENT_OF_TOTAL",
        [{"item": items["SUPPORT"], "default_quantity": 1, "applies_to": [items["SEATS"]]}],
        [("SUPPORT", "FLAT_FEE", "10")],
    )
    quote = call(
        "quotes_create",
        body=models.QuoteRequest(
            customer="Scripted customer",
            currency="USD",
            start_date=datetime.date(2027, 1, 1),
            periods=1,
            lines=[
                models.QuoteLineRequest(
                    offering=offering_id, rate=rate_id, item=items[mpn], quantity=quantity
                )
                for (offering_id, rate_id), mpn, quantity in (
                    (payg, "SEATS", "1"),
                    (payg, "CALLS", "1000"),
                    (commit, "COMMIT", "1"),
                    (support, "SUPPORT", "1"),
                )
            ],
        ),
    )
    processed = call("quotes_process_create", quote.id)
    assert {line.item: Decimal(line.amount) for line in processed.lines} == {
        items["SEATS"]: Decimal("12.00"),
        items["CALLS"]: Decimal("400.00"),
        items["COMMIT"]: Decimal("600.00"),  # 1,000.00 committed, 400.00 consumed
        items["SUPPORT"]: Decimal("1.20"),
    }
    assert Decimal(processed.total) == Decimal("1013.20")


def test_a_script_builds_a_variation_tree_and_reads_its_history(generated, server, demo_tokens):
    models = importlib.import_module(f"{PACKAGE}.models")
    client = client_for(generated, server, demo_tokens["northwind"])

    def call(name, *args, **kwargs):
        return operation(name).sync_detailed(*args, client=client, **kwargs)

    product = call("products_create", body=models.ProductRequest(name="Scripted shirt")).parsed
    red = call("item_groups_create", body=models.ItemGroupRequest(product=product.id, name="Red"))
    assert red.status_code == 201
    size = call(
        "item_groups_create",
        body=models.ItemGroupRequest(product=product.id, name="Size M", parent=red.parsed.id),
    ).parsed

    cycle = call(
        "item_groups_partial_update",
        red.parsed.id,
        body=models.PatchedItemGroupRequest(parent=size.id),
    )
    assert cycle.status_code == 400
    assert isinstance(cycle.parsed, models.Error)
    assert list(cycle.parsed.errors.additional_properties) == ["parent"]

    moved = call(
        "item_groups_partial_update", size.id, body=models.PatchedItemGroupRequest(parent=None)
    )
    assert moved.status_code == 200
    history = call("item_groups_history_retrieve", size.id).parsed
    assert [version.kind for version in history.versions] == ["changed", "created"]
    assert history.versions[0].reason == "moved"
    assert history.versions[0].user == "northwind"
