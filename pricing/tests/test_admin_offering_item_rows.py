"""The offering page's item rows: the order the user sees stays after a save (a row whose
item is changed keeps its place), and the "applies to" list shows only on the row of a
minimum-commit or percent-of-total item."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Item
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory
from portal.tests.dom import parse
from pricing import services
from pricing.models import Offering, OfferingItem
from pricing.tests.factories import OfferingFactory, subscription_offering

pytestmark = pytest.mark.django_db


def offering_url(offering) -> str:
    return reverse("admin:pricing_offering_change", args=[offering.pk])


def shown_items(client, offering) -> list[str]:
    page = parse(client.get(offering_url(offering)))
    return [
        select.find("option", selected=True).text
        for select in page.find_all("select")
        if select.attrs.get("name", "").endswith("-item")
        and "__prefix__" not in select.attrs["name"]
    ]


def row_of(data: dict, item) -> str:
    return next(
        key.rsplit("-", 1)[0]
        for key, value in data.items()
        if key.startswith("offering_items-") and key.endswith("-item") and value == str(item.pk)
    )


def test_a_row_whose_item_changes_keeps_its_place(vendor_client, vendor):
    offering = subscription_offering(vendor, kinds=(Item.Kind.SUBSCRIPTION,) * 3)
    first, middle, last = (line.item for line in offering.offering_items.order_by("pk"))
    new = ItemFactory(product=first.product, kind=Item.Kind.SUBSCRIPTION)
    data = change_form_data(vendor_client.get(offering_url(offering)))
    data[f"{row_of(data, middle)}-item"] = new.pk

    assert vendor_client.post(offering_url(offering), data).status_code == 302

    assert shown_items(vendor_client, offering) == [str(first), str(new), str(last)]
    line = OfferingItem.objects.get(offering=offering, item=new)
    assert line.history.latest().history_change_reason == (
        f"item {middle.mpn} replaced by {new.mpn}"
    )


def test_a_deleted_row_and_a_new_one_keep_the_pages_order(vendor_client, vendor):
    offering = subscription_offering(vendor, kinds=(Item.Kind.SUBSCRIPTION,) * 3)
    first, middle, last = (line.item for line in offering.offering_items.order_by("pk"))
    new = ItemFactory(product=first.product, kind=Item.Kind.SUBSCRIPTION)
    data = change_form_data(vendor_client.get(offering_url(offering)))
    data[f"{row_of(data, first)}-DELETE"] = "on"
    index = int(data["offering_items-TOTAL_FORMS"])
    data.update(
        {
            "offering_items-TOTAL_FORMS": index + 1,
            f"offering_items-{index}-item": new.pk,
            f"offering_items-{index}-default_quantity": 0,
        }
    )

    assert vendor_client.post(offering_url(offering), data).status_code == 302

    assert shown_items(vendor_client, offering) == [str(middle), str(last), str(new)]


def test_the_service_keeps_a_replaced_lines_place(vendor):
    offering = subscription_offering(vendor, kinds=(Item.Kind.SUBSCRIPTION,) * 2)
    a, b = offering.offering_items.order_by("pk")
    new = ItemFactory(product=a.item.product)
    services.offering_set_items(
        offering=offering,
        lines=[
            services.OfferingLine(item=new, line_id=a.pk),
            services.OfferingLine(item=b.item, line_id=b.pk),
        ],
    )
    assert list(offering.offering_items.values_list("pk", "item")) == [
        (a.pk, new.pk),
        (b.pk, b.item_id),
    ]


def scope_selects(client, offering) -> dict[str, bool]:
    """Each item row's "applies to" box: shown (True) or hidden."""
    page = parse(client.get(offering_url(offering)))
    return {
        select.attrs["name"]: not select.has("hidden", True)
        for select in page.find_all("select")
        if select.attrs.get("name", "").endswith("-scope")
    }


def test_applies_to_shows_only_on_a_commitments_row(vendor_client, vendor):
    usage = ItemFactory(product__vendor=vendor, kind=Item.Kind.USAGE, mpn="CALLS")
    commit = ItemFactory(product=usage.product, kind=Item.Kind.MINIMUM_COMMIT, mpn="COMMIT")
    committed = OfferingFactory(vendor=vendor, type=Offering.Type.MINIMUM_COMMIT)
    services.offering_add_item(offering=committed, item=commit, applies_to=[usage])
    assert scope_selects(vendor_client, committed) == {
        "offering_items-0-scope": True,
        "offering_items-__prefix__-scope": False,  # a new row: shown once such an item is picked
    }
    plain = subscription_offering(vendor, kinds=(Item.Kind.SUBSCRIPTION, Item.Kind.USAGE))
    assert scope_selects(vendor_client, plain) == {
        "offering_items-0-scope": False,
        "offering_items-1-scope": False,
        "offering_items-__prefix__-scope": False,
    }


def test_the_page_names_the_items_that_have_an_application_list(vendor_client, vendor):
    commit = ItemFactory(product__vendor=vendor, kind=Item.Kind.MINIMUM_COMMIT)
    percent = ItemFactory(product=commit.product, kind=Item.Kind.PERCENT_OF_TOTAL)
    ItemFactory(product=commit.product, kind=Item.Kind.USAGE)
    plain = subscription_offering(vendor)
    html = vendor_client.get(offering_url(plain)).content.decode()
    assert f'<script id="scoped-items" type="application/json">[{commit.pk}, {percent.pk}]' in html
    assert "pricing/offering_scope.js" in html


def test_a_hidden_application_list_still_posts_what_it_holds(vendor_client, vendor):
    usage = ItemFactory(product__vendor=vendor, kind=Item.Kind.USAGE)
    commit = ItemFactory(product=usage.product, kind=Item.Kind.MINIMUM_COMMIT)
    committed = OfferingFactory(vendor=vendor, type=Offering.Type.MINIMUM_COMMIT)
    services.offering_add_item(offering=committed, item=commit, applies_to=[usage])
    data = change_form_data(vendor_client.get(offering_url(committed)))
    data["name"] = "Renamed"
    assert vendor_client.post(offering_url(committed), data).status_code == 302
    line = committed.offering_items.get()
    assert list(line.scopes.values_list("item", flat=True)) == [usage.pk]
