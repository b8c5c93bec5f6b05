"""Every API list and detail, found from the router, runs a fixed number of queries.

Counted at two data sizes and, for lists, at page sizes 1 and 50: the larger data and the
larger page never run more queries than the smallest case. A new endpoint is covered
without editing this test.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.tests.factories import build_catalog
from catalog.tests.generated import report
from catalog_site.api import router
from pricing.tests.factories import priced_offering, selling_rows

pytestmark = pytest.mark.django_db

API = "/api/v1"
PREFIXES = sorted(prefix for prefix, _viewset, _basename in router.registry)


def grow(vendor, marketplace, size: int) -> None:
    build_catalog(vendor, size, marketplace=marketplace)
    for _ in range(size):
        offering = priced_offering(vendor, items=2, rates=2, intervals=2, tiers=2)
        selling_rows(offering, 1)


def counted(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json(), len(queries.captured_queries)


def measure(client) -> dict[str, int]:
    """Queries of each list at page sizes 1 and 50 and of the first row's detail."""
    counts = {}
    for prefix in PREFIXES:
        for size in (1, 50):
            body, counts[f"{prefix} list, page_size={size}"] = counted(
                client, f"{API}/{prefix}/?page_size={size}"
            )
        assert body["results"], f"no {prefix} to count"
        first = body["results"][0]["id"]
        _, counts[f"{prefix} detail"] = counted(client, f"{API}/{prefix}/{first}/")
    return counts


@pytest.mark.parametrize("who", ["vendor_user", "superuser"])
def test_lists_and_details_run_the_same_queries_at_two_sizes(
    request, api_client, who, vendor, marketplace
):
    client = api_client
    client.force_authenticate(request.getfixturevalue(who))
    grow(vendor, marketplace, 1)
    client.get(f"{API}/products/")  # the first request of a user may warm caches
    small = measure(client)

    grow(vendor, marketplace, 3)
    large = measure(client)

    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"queries grew with the rows (small, large): {grown}"
    small_pages = {name: count for name, count in small.items() if name.endswith("page_size=1")}
    for name, count in small_pages.items():
        assert small[name.replace("page_size=1", "page_size=50")] <= count, name
    report("API lists and details counted at two sizes", len(small))
    print(f"{who}: {len(PREFIXES)} endpoints, {len(small)} list/detail counts: {small}")
