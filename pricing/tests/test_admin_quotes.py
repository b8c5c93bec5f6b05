"""The quote admin writes only through the selling services.

Its status is never a form field: a quote becomes processed by ``quote_process`` (the
"Process" button and action) and cancelled by ``quote_cancel``. A draft's page saves the
quote and its lines through ``quote_update`` under the quote's row lock, so a stale page
cannot write back over a quote that was processed meanwhile.
"""

from datetime import date

import pytest
from django.urls import reverse

from catalog.tests.admin_forms import change_form_data
from pricing import quote_lines, selling
from pricing.models import Contract, Quote, QuoteLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(sellable):
    quote = selling.quote_create(
        vendor=sellable["vendor"], customer="Tailspin", currency="USD", start_date=date(2026, 1, 1)
    )
    for item, quantity in (("seats", 5), ("fee", 1)):
        quote_lines.quote_add_line(
            quote=quote,
            offering=sellable["offering"],
            rate=sellable["rate"],
            item=sellable[item],
            quantity=quantity,
        )
    return quote


def change_url(quote):
    return reverse("admin:pricing_quote_change", args=[quote.pk])


def quote_add_data(world, **extra):
    return {
        "vendor": world["vendor"].pk,
        "customer": "Woodgrove",
        "currency": "USD",
        "start_date": "2026-01-01",
        "periods": "12",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-offering": world["offering"].pk,
        "lines-0-rate": world["rate"].pk,
        "lines-0-item": world["seats"].pk,
        "lines-0-quantity": "10",
        **extra,
    }


def test_the_add_page_makes_a_draft_whatever_status_is_posted(vendor_client, sellable):
    response = vendor_client.post(
        reverse("admin:pricing_quote_add"), quote_add_data(sellable, status="processed")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    quote = Quote.objects.get(customer="Woodgrove")
    assert quote.status == Quote.Status.DRAFT
    assert quote.total is None and quote.lines.get().quantity == 10


def test_a_quote_marked_processed_on_the_add_page_makes_no_contract(
    vendor_client, vendor_api, sellable
):
    vendor_client.post(
        reverse("admin:pricing_quote_add"), quote_add_data(sellable, status="processed")
    )
    quote = Quote.objects.get(customer="Woodgrove")

    response = vendor_api.post("/api/v1/contracts/", {"quote": quote.pk}, format="json")

    assert response.status_code == 409, response.json()
    assert not Contract.objects.exists()


def test_a_drafts_status_cannot_be_changed_on_its_page(vendor_client, draft):
    data = change_form_data(vendor_client.get(change_url(draft)))
    assert "status" not in data
    data["status"] = "processed"

    response = vendor_client.post(change_url(draft), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.status == Quote.Status.DRAFT and draft.processed_at is None


def test_a_drafts_customer_and_line_quantity_are_saved(vendor_client, vendor_user, draft):
    data = change_form_data(vendor_client.get(change_url(draft)))
    data["customer"] = "Tailspin Toys"
    data["lines-0-quantity"] = "7"

    response = vendor_client.post(change_url(draft), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.customer == "Tailspin Toys"
    assert draft.lines.get(item=draft.lines.first().item).quantity == 7
    assert draft.history.latest().history_user == vendor_user


def test_a_stale_draft_page_does_not_revert_a_processed_quote(vendor_client, draft):
    """The race of finding 2, made deterministic: the page was loaded while it was a draft."""
    data = change_form_data(vendor_client.get(change_url(draft)))
    data["customer"] = "Tailspin Toys"
    data["lines-0-quantity"] = "7"
    processed = selling.quote_process(quote=draft)

    response = vendor_client.post(change_url(draft), data, follow=True)

    assert response.status_code == 200
    assert "QUOTE_NOT_DRAFT" in response.content.decode()
    quote = Quote.objects.get(pk=draft.pk)
    assert quote.status == Quote.Status.PROCESSED
    assert (quote.customer, quote.total) == ("Tailspin", processed.total)
    line = quote.lines.first()
    assert line.quantity == 5 and line.amount is not None and line.price_snapshot
    assert quote.history.filter(status=Quote.Status.PROCESSED).count() == 1


def test_a_quote_processed_while_its_page_is_posted_is_a_message_not_a_403(
    vendor_client, draft, monkeypatch
):
    """The window the race test found: the admin read the quote while it was a draft, and the
    API processed it right after, while the post was still being handled."""
    from pricing.admin_selling import QuoteAdmin

    data = change_form_data(vendor_client.get(change_url(draft)))
    data["customer"] = "Tailspin Toys"
    get_object = QuoteAdmin.get_object

    def processed_right_after_the_first_read(self, request, object_id, from_field=None):
        quote = get_object(self, request, object_id, from_field)
        if Quote.objects.get(pk=draft.pk).status == Quote.Status.DRAFT:
            selling.quote_process(quote=draft)
        return quote

    monkeypatch.setattr(QuoteAdmin, "get_object", processed_right_after_the_first_read)
    response = vendor_client.post(change_url(draft), data, follow=True)

    assert response.status_code == 200
    assert "QUOTE_NOT_DRAFT" in response.content.decode()
    quote = Quote.objects.get(pk=draft.pk)
    assert (quote.status, quote.customer) == (Quote.Status.PROCESSED, "Tailspin")


def test_a_processed_quotes_page_is_read_only(vendor_client, locked):
    quote = locked["quote"]
    page = vendor_client.get(change_url(quote))
    assert not page.context["adminform"].form.fields
    data = {"customer": "Changed", "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"}

    vendor_client.post(change_url(quote), data)

    quote.refresh_from_db()
    assert quote.customer == "Contoso" and quote.status == Quote.Status.PROCESSED


def test_the_process_button_processes_through_the_service(vendor_client, draft):
    url = reverse("admin:pricing_quote_process", args=[draft.pk])

    response = vendor_client.post(url, follow=True)

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Quote.Status.PROCESSED and draft.total is not None
    assert all(line.price_snapshot for line in draft.lines.all())


def test_the_process_button_shows_a_refusal_and_changes_nothing(vendor_client, draft):
    QuoteLine.objects.filter(quote=draft).update(quantity=0)  # the required items are missing
    url = reverse("admin:pricing_quote_process", args=[draft.pk])

    response = vendor_client.post(url, follow=True)

    assert "REQUIRED_ITEM_MISSING" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Quote.Status.DRAFT and draft.total is None


def test_the_cancel_button_cancels_a_draft(vendor_client, draft):
    response = vendor_client.post(
        reverse("admin:pricing_quote_cancel", args=[draft.pk]), follow=True
    )

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Quote.Status.CANCELLED


def test_the_buttons_answer_only_posts(vendor_client, draft):
    response = vendor_client.get(reverse("admin:pricing_quote_process", args=[draft.pk]))

    assert response.status_code == 405
    draft.refresh_from_db()
    assert draft.status == Quote.Status.DRAFT


def test_the_cancel_action_cancels_selected_drafts(vendor_client, draft, locked):
    response = vendor_client.post(
        reverse("admin:pricing_quote_changelist"),
        {"action": "cancel_selected", "_selected_action": [draft.pk, locked["quote"].pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Quote.objects.get(pk=draft.pk).status == Quote.Status.CANCELLED
    assert Quote.objects.get(pk=locked["quote"].pk).status == Quote.Status.PROCESSED
    assert "QUOTE_NOT_DRAFT" in response.content.decode()


def test_only_a_drafts_page_offers_process_and_cancel(vendor_client, draft, locked):
    draft_page = vendor_client.get(change_url(draft)).content.decode()
    processed_page = vendor_client.get(change_url(locked["quote"])).content.decode()

    for name in ("process", "cancel"):
        assert reverse(f"admin:pricing_quote_{name}", args=[draft.pk]) in draft_page
        assert reverse(f"admin:pricing_quote_{name}", args=[locked["quote"].pk]) not in (
            processed_page
        )
