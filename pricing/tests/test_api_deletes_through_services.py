"""DELETE of an offering or a rate through the API is the service's delete, as in the admin.

So a locked offering (or a rate that priced a sale) is refused with its reasons and the
refusal is kept on record, and the deletion is in the history under the caller's name.
"""

import pytest
from rest_framework.test import APIClient

from pricing.models import LockRefusal, Offering, Rate
from pricing.tests.factories import RateFactory, subscription_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(vendor_user):
    client = APIClient()
    client.force_authenticate(vendor_user)
    return client


def test_deleting_a_locked_offering_is_refused_and_recorded(api, vendor):
    offering = subscription_offering(vendor)
    RateFactory(offering=offering, status=Rate.Status.ACTIVE)

    response = api.delete(f"/api/v1/offerings/{offering.pk}/")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "OFFERING_LOCKED"
    assert Offering.objects.filter(pk=offering.pk).exists()
    assert LockRefusal.objects.filter(offering=offering).count() == 1


def test_deleting_an_unused_offering_keeps_who_deleted_it(api, vendor, vendor_user):
    offering = subscription_offering(vendor)

    response = api.delete(f"/api/v1/offerings/{offering.pk}/")

    assert response.status_code == 204, response.content
    assert Offering.history.filter(id=offering.pk).latest().history_user == vendor_user


def test_deleting_a_draft_rate_keeps_who_deleted_it(api, vendor, vendor_user):
    rate = RateFactory(offering=subscription_offering(vendor))

    response = api.delete(f"/api/v1/rates/{rate.pk}/")

    assert response.status_code == 204, response.content
    assert Rate.history.filter(id=rate.pk).latest().history_user == vendor_user
