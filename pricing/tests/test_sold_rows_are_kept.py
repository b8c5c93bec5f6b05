"""Nothing that was sold is hard-deleted: processed quotes, their lines and contracts stay.

The protection is in the models' foreign keys (``PROTECT``) and delete guards, so the admin's
delete page, its bulk delete action, a queryset delete and the API all meet it; the way to
retire a quote is to cancel it while it is a draft.
"""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from catalog.models import AddOnRequirement
from catalog.services import item_require_base
from catalog.tests.factories import ItemFactory, ProductFactory
from pricing import selling
from pricing.lock import lock_reasons
from pricing.models import Contract, LockRefusal, Quote, QuoteLine
from pricing.services import offering_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(locked):
    return selling.contract_create(quote=locked["quote"])


def test_a_processed_quote_cannot_be_deleted_from_its_admin_page(vendor_client, locked):
    quote = locked["quote"]
    url = reverse("admin:pricing_quote_delete", args=[quote.pk])

    page = vendor_client.get(url)
    response = vendor_client.post(url, {"post": "yes"})

    assert page.status_code == 200 and page.context["protected"]
    assert "Cannot delete quote" in page.content.decode()
    assert response.status_code in (200, 403)
    assert Quote.objects.filter(pk=quote.pk).exists()
    assert QuoteLine.objects.filter(quote=quote).count() == 2


def test_the_bulk_delete_action_keeps_processed_quotes(vendor_client, locked):
    quote = locked["quote"]

    vendor_client.post(
        reverse("admin:pricing_quote_changelist"),
        {"action": "delete_selected", "_selected_action": [quote.pk], "post": "yes"},
    )

    assert Quote.objects.filter(pk=quote.pk).exists()


def test_a_contract_cannot_be_deleted_from_the_admin(vendor_client, contract):
    url = reverse("admin:pricing_contract_delete", args=[contract.pk])

    vendor_client.post(url, {"post": "yes"})
    vendor_client.post(
        reverse("admin:pricing_contract_changelist"),
        {"action": "delete_selected", "_selected_action": [contract.pk], "post": "yes"},
    )

    assert Contract.objects.filter(pk=contract.pk).exists()
    assert contract.contract_offerings.count() == 1


def test_a_queryset_delete_of_a_processed_quote_is_refused(locked):
    with pytest.raises(ProtectedError), transaction.atomic():
        Quote.objects.filter(pk=locked["quote"].pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        QuoteLine.objects.filter(quote=locked["quote"]).delete()
    assert QuoteLine.objects.filter(quote=locked["quote"]).count() == 2


def test_a_queryset_delete_of_a_contract_is_refused(contract):
    with pytest.raises(ProtectedError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        contract.contract_offerings.all().delete()
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_a_processed_quote_keeps_its_offering_locked(locked):
    """Finding 3: a deleted quote dropped out of the lock reasons; it cannot be deleted now."""
    with pytest.raises(ProtectedError):
        locked["quote"].delete()
    assert f"used by processed quote {locked['quote'].reference}" in lock_reasons(
        locked["offering"]
    )


def test_deleting_an_addons_only_base_item_is_refused(vendor):
    """The add-on rule is not dropped silently with its base item."""
    product = ProductFactory(vendor=vendor)
    base, addon = ItemFactory(product=product), ItemFactory(product=product)
    item_require_base(addon=addon, base=base)

    with pytest.raises(ProtectedError):
        base.delete()
    assert AddOnRequirement.objects.filter(addon=addon, base=base).exists()


def test_deleting_an_offering_keeps_its_refusal_records(vendor):
    offering = offering_create(vendor=vendor, name="Refused once")
    LockRefusal.objects.create(
        offering=offering, code="OFFERING_LOCKED", attempted="add an item", reasons=["rate"]
    )

    with pytest.raises(ProtectedError):
        offering.delete()
    assert LockRefusal.objects.filter(offering=offering).exists()
