"""The linter is a selector: the same number of queries for a small and a big catalog."""

from __future__ import annotations

import pytest

from catalog.tests.factories import build_catalog
from insights.lint import lint_offering, lint_vendor, lint_visible
from pricing.tests.factories import priced_offering

pytestmark = pytest.mark.django_db

QUERIES = 11


@pytest.mark.parametrize("size", [1, 6])
def test_linting_a_vendor_takes_a_fixed_number_of_queries(
    vendor, vendor_user, size, django_assert_max_num_queries
):
    build_catalog(vendor, size)
    offerings = [priced_offering(vendor, items=size, rates=2, intervals=2, tiers=3)
                 for _ in range(size)]  # fmt: skip
    with django_assert_max_num_queries(QUERIES):
        assert lint_vendor(vendor)
    with django_assert_max_num_queries(QUERIES + 1):  # the offering's item ids: a subquery
        lint_offering(offerings[0])
    with django_assert_max_num_queries(QUERIES + 1):  # the user's vendor
        lint_visible(vendor_user)
