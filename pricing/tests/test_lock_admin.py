"""Every admin way in obeys the lock: forms, inlines, deletes, bulk actions; clone and audit."""

from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory
from pricing import quote_lines, selling
from pricing.models import LockRefusal, Offering, OfferingItem, PriceInterval, Quote, Rate

pytestmark = pytest.mark.django_db


def offering_url(offering, view="change"):
    return reverse(f"admin:pricing_offering_{view}", args=[offering.pk])


def editable_page_data(client, offering) -> dict:
    """What the offering's page posts when it was shown editable, before the offering got
    locked: its fields, type and start date, and its items' formset (a locked page shows
    them read-only and posts none of them)."""
    data = change_form_data(client.get(offering_url(offering)))
    lines = list(offering.offering_items.order_by("pk"))
    data.update(
        {
            "type": offering.type,
            "start_date": offering.start_date.isoformat(),
            "initial-start_date": offering.start_date.isoformat(),  # a callable default's
            "offering_items-TOTAL_FORMS": len(lines),
            "offering_items-INITIAL_FORMS": len(lines),
            "offering_items-MIN_NUM_FORMS": 0,
            "offering_items-MAX_NUM_FORMS": 1000,
        }
    )
    for index, line in enumerate(lines):
        prefix = f"offering_items-{index}-"
        data.update(
            {
                f"{prefix}id": line.pk,
                f"{prefix}offering": offering.pk,
                f"{prefix}item": line.item_id,
                f"{prefix}default_quantity": line.default_quantity,
            }
        )
        if line.required:
            data[f"{prefix}required"] = "on"
    return data


def test_list_shows_the_lock_badge(vendor_client, locked):
    response = vendor_client.get(reverse("admin:pricing_offering_changelist"))
    assert "🔒 locked" in response.content.decode()


def test_change_page_names_the_reasons(vendor_client, locked):
    html = vendor_client.get(offering_url(locked["offering"])).content.decode()
    assert "OFFERING_LOCKED" in html
    assert f"used by processed quote Q-{locked['quote'].pk}" in html
    assert "rate &#x27;USD monthly&#x27; is active" in html


def test_adding_an_item_inline_is_a_form_error_and_recorded(vendor_client, vendor_user, locked):
    offering = locked["offering"]
    url = offering_url(offering)
    data = editable_page_data(vendor_client, offering)
    extra = ItemFactory(product=locked["seats"].product, kind="usage")
    index = int(data["offering_items-TOTAL_FORMS"])
    data.update(
        {
            "offering_items-TOTAL_FORMS": index + 1,
            f"offering_items-{index}-item": extra.pk,
            f"offering_items-{index}-default_quantity": 0,
        }
    )
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "OFFERING_LOCKED" in response.content.decode()
    assert not OfferingItem.objects.filter(item=extra).exists()
    refusal = LockRefusal.objects.get()
    assert (refusal.user, refusal.attempted) == (vendor_user, "change its items")


def test_changing_the_type_is_a_form_error(vendor_client, locked):
    url = offering_url(locked["offering"])
    data = editable_page_data(vendor_client, locked["offering"])
    data["type"] = Offering.Type.ONE_TIME
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "OFFERING_LOCKED" in response.content.decode()
    assert Offering.objects.get(pk=locked["offering"].pk).type == Offering.Type.SUBSCRIPTION


def test_renaming_a_locked_offering_works(vendor_client, locked):
    url = offering_url(locked["offering"])
    data = change_form_data(vendor_client.get(url))
    data["name"] = "Seats with fee (2026)"
    assert vendor_client.post(url, data).status_code == 302
    assert Offering.objects.get(pk=locked["offering"].pk).name == "Seats with fee (2026)"


def test_changing_a_used_rates_currency_is_a_form_error(vendor_client, locked):
    url = reverse("admin:pricing_rate_change", args=[locked["rate"].pk])
    data = change_form_data(vendor_client.get(url))
    data["currency"] = "EUR"
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "RATE_LOCKED" in response.content.decode()
    assert Rate.objects.get(pk=locked["rate"].pk).currency == "USD"


def test_changing_a_used_price_is_a_form_error(vendor_client, locked):
    pbi = locked["rate"].price_book_items.get(item=locked["seats"])
    url = reverse("admin:pricing_pricebookitem_change", args=[pbi.pk])
    data = change_form_data(vendor_client.get(url))
    data["intervals-0-price"] = "99"
    response = vendor_client.post(url, data)
    assert response.status_code == 200
    assert "RATE_LOCKED" in response.content.decode()
    assert PriceInterval.objects.get(price_book_item=pbi).price == Decimal("12")


def test_deleting_a_locked_offering_is_refused(vendor_client, locked):
    offering = locked["offering"]
    page = vendor_client.get(offering_url(offering, "delete"))
    assert "rate &#x27;USD monthly&#x27; is active" in page.content.decode()
    vendor_client.post(offering_url(offering, "delete"), {"post": "yes"})
    assert Offering.objects.filter(pk=offering.pk).exists()


def test_delete_selected_refuses_locked_offerings(vendor_client, locked):
    response = vendor_client.post(
        reverse("admin:pricing_offering_changelist"),
        {
            "action": "delete_selected",
            helpers.ACTION_CHECKBOX_NAME: [locked["offering"].pk],
            "post": "yes",
        },
    )
    assert response.status_code == 200
    assert "would require deleting the following protected" in response.content.decode()
    assert Offering.objects.filter(pk=locked["offering"].pk).exists()


def test_deleting_an_item_of_a_locked_offering_is_refused(vendor_client, locked):
    url = reverse("admin:catalog_item_delete", args=[locked["seats"].pk])
    vendor_client.post(url, {"post": "yes"})
    assert OfferingItem.objects.filter(item=locked["seats"]).exists()


def test_clone_and_inactivate_actions(vendor_client, vendor_user, locked):
    changelist = reverse("admin:pricing_offering_changelist")
    vendor_client.post(
        changelist,
        {"action": "clone_selected", helpers.ACTION_CHECKBOX_NAME: [locked["offering"].pk]},
    )
    copy = Offering.objects.get(name="Copy of Seats with fee")
    assert set(copy.rates.values_list("status", flat=True)) == {"draft"}
    vendor_client.post(
        changelist,
        {
            "action": "inactivate_selected",
            helpers.ACTION_CHECKBOX_NAME: [locked["offering"].pk],
            "post": "yes",  # confirmed (the page that asks first: insights' diff tests)
        },
    )
    original = Offering.objects.get(pk=locked["offering"].pk)
    assert original.status == "inactive"
    assert original.history.latest().history_user == vendor_user


def test_clone_page_asks_for_a_name(vendor_client, locked):
    url = offering_url(locked["offering"], "clone")
    assert vendor_client.get(url).status_code == 200
    response = vendor_client.post(url, {"name": "Seats 2027", "reason": "new price list"})
    copy = Offering.objects.get(name="Seats 2027")
    assert response["Location"] == offering_url(copy)
    assert copy.history.get().history_change_reason == "new price list"


def test_process_action_reports_errors_and_successes(vendor_client, sellable):
    good = selling.quote_create(vendor=sellable["vendor"], customer="A", currency="USD")
    for item, quantity in (("seats", 10), ("fee", 1)):
        quote_lines.quote_add_line(
            quote=good,
            offering=sellable["offering"],
            rate=sellable["rate"],
            item=sellable[item],
            quantity=quantity,
        )
    bad = selling.quote_create(vendor=sellable["vendor"], customer="B", currency="USD")
    quote_lines.quote_add_line(
        quote=bad,
        offering=sellable["offering"],
        rate=sellable["rate"],
        item=sellable["seats"],
        quantity=1,
    )
    response = vendor_client.post(
        reverse("admin:pricing_quote_changelist"),
        {"action": "process_selected", helpers.ACTION_CHECKBOX_NAME: [good.pk, bad.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert f"Q-{good.pk} processed" in text
    assert f"Q-{bad.pk}: REQUIRED_ITEM_MISSING" in text
    assert Quote.objects.get(pk=good.pk).status == "processed"
    assert Quote.objects.get(pk=bad.pk).status == "draft"


def test_audit_page_shows_versions_lock_and_refusals(vendor_client, vendor_user, locked):
    from pricing import services

    with pytest.raises(Exception):  # noqa: B017 - any refusal will do; it is recorded
        services.offering_add_item(
            offering=locked["offering"],
            by=vendor_user,
            item=ItemFactory(product=locked["seats"].product),
        )
    services.offering_update(
        offering=locked["offering"],
        description="Now with support",
        by=vendor_user,
        reason="copy edit",
    )
    html = vendor_client.get(offering_url(locked["offering"], "audit")).content.decode()
    assert f"quote Q-{locked['quote'].pk} processed" in html
    assert "rate &#x27;USD monthly&#x27; activated" in html
    assert "OFFERING_LOCKED" in html and "add item" in html
    assert "copy edit" in html and "<strong>Description</strong>" in html


def test_another_vendors_audit_and_clone_pages_are_404(client, other_vendor_user, locked):
    client.force_login(other_vendor_user)
    for view in ("audit", "clone"):
        assert client.get(offering_url(locked["offering"], view)).status_code == 404


def changelist_post(client, url, formset_prefix, rows):
    data = {
        f"{formset_prefix}-TOTAL_FORMS": len(rows),
        f"{formset_prefix}-INITIAL_FORMS": len(rows),
        f"{formset_prefix}-MIN_NUM_FORMS": 0,
        f"{formset_prefix}-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for index, row in enumerate(rows):
        data.update({f"{formset_prefix}-{index}-{name}": value for name, value in row.items()})
    return client.post(url, data)


def test_list_editable_obeys_the_offering_lock(vendor_client, vendor_user, locked):
    offering = locked["offering"]
    response = changelist_post(
        vendor_client,
        reverse("admin:pricing_offering_changelist"),
        "form",
        [{"id": offering.pk, "type": "one_time", "status": "active"}],
    )
    assert response.status_code == 200
    assert "OFFERING_LOCKED" in response.content.decode()
    assert Offering.objects.get(pk=offering.pk).type == "subscription"
    assert LockRefusal.objects.get().user == vendor_user
    response = changelist_post(
        vendor_client,
        reverse("admin:pricing_offering_changelist"),
        "form",
        [{"id": offering.pk, "type": "subscription", "status": "inactive"}],
    )
    assert response.status_code == 302
    assert Offering.objects.get(pk=offering.pk).status == "inactive"


def test_list_editable_obeys_the_rate_lock(vendor_client, locked):
    rate = locked["rate"]
    response = changelist_post(
        vendor_client,
        reverse("admin:pricing_rate_changelist"),
        "form",
        [{"id": rate.pk, "currency": "EUR", "status": "active"}],
    )
    assert response.status_code == 200
    assert "RATE_LOCKED" in response.content.decode()
    assert Rate.objects.get(pk=rate.pk).currency == "USD"
