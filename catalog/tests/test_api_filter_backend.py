"""The filter backend builds a filter set only for a request that names one of its filters.

Without one it passes the list through as django-filter would (every filter's value empty),
without the form; with one (its name, or a name a range filter's widget makes from it) the
filter set filters and refuses a bad value as before.
"""

from unittest import mock

import pytest
from django_filters.rest_framework import DjangoFilterBackend

from catalog.tests.factories import ItemFactory, ProductFactory

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/items/"


@pytest.fixture
def built():
    """How many filter sets the backend builds (django-filter's ``get_filterset``)."""
    real = DjangoFilterBackend.get_filterset
    with mock.patch.object(DjangoFilterBackend, "get_filterset", autospec=True) as spy:
        spy.side_effect = real
        yield spy


@pytest.fixture
def items(vendor):
    product = ProductFactory(vendor=vendor)
    return ItemFactory(product=product, status="published"), ItemFactory(
        product=product, status="draft"
    )


def test_a_list_that_names_no_filter_builds_no_filter_set(vendor_api, items, built):
    response = vendor_api.get(ITEMS, {"page_size": 10, "search": "", "ordering": "mpn"})

    assert response.status_code == 200, response.content
    assert built.call_count == 0
    assert response.json()["count"] == 2


def test_a_named_filter_filters(vendor_api, items, built):
    published, _draft = items

    response = vendor_api.get(ITEMS, {"status": "published"})

    assert [row["id"] for row in response.json()["results"]] == [published.pk]
    assert built.call_count == 1


def test_a_bad_filter_value_is_still_a_400(vendor_api, items):
    response = vendor_api.get(ITEMS, {"updated_since": "yesterday"})

    assert response.status_code == 400
    assert "updated_since" in response.json()["errors"]


def test_a_parameter_that_starts_like_a_filter_goes_through_django_filter(vendor_api, items, built):
    response = vendor_api.get(ITEMS, {"status_min": "x"})  # as a range filter's widget names

    assert response.status_code == 200
    assert built.call_count == 1
