"""A path that contradicts one already there (A upgrades to B, B upgrades to A) is refused
at write time, with the same words, through the service, the API and the admin; the
consistent pair (A upgrades to B, B downgrades to A) is kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import services
from catalog.models import ItemPath
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory, ItemPathFactory, ProductFactory

pytestmark = pytest.mark.django_db

UPGRADE, DOWNGRADE = ItemPath.Kind.UPGRADE, ItemPath.Kind.DOWNGRADE


@pytest.fixture
def pair(vendor):
    product = ProductFactory(vendor=vendor)
    basic = ItemFactory(product=product, mpn="BASIC")
    pro = ItemFactory(product=product, mpn="PRO")
    ItemPathFactory(source=basic, target=pro, kind=UPGRADE)
    return basic, pro


def test_the_service_refuses_an_upgrade_back_to_an_item_that_upgrades_here(pair):
    basic, pro = pair
    with pytest.raises(ValidationError) as excinfo:
        services.item_add_path(source=pro, target=basic, kind=UPGRADE)
    assert "BASIC already upgrades to PRO" in " ".join(excinfo.value.messages)
    assert ItemPath.objects.count() == 1


def test_the_service_refuses_a_downgrade_back_to_an_item_that_downgrades_here(pair):
    basic, pro = pair
    services.item_add_path(source=pro, target=basic, kind=DOWNGRADE)  # consistent: kept
    other = ItemFactory(product=basic.product, mpn="LITE")
    ItemPathFactory(source=basic, target=other, kind=DOWNGRADE)
    with pytest.raises(ValidationError) as excinfo:
        services.item_add_path(source=other, target=basic, kind=DOWNGRADE)
    assert "BASIC already downgrades to LITE" in " ".join(excinfo.value.messages)
    assert ItemPath.objects.count() == 3


def test_the_api_refuses_a_contradicting_path_with_a_400(pair, vendor_api):
    basic, pro = pair
    response = vendor_api.patch(
        f"/api/v1/items/{pro.pk}/", {"upgrades_to": [basic.pk]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "BASIC already upgrades to PRO" in str(response.json())
    assert not pro.paths.exists()


def test_the_admin_refuses_a_contradicting_path_on_the_item_page(pair, vendor_client):
    basic, pro = pair
    url = reverse("admin:catalog_item_change", args=[pro.pk])
    data = change_form_data(vendor_client.get(url))
    data.update(
        {"paths-TOTAL_FORMS": "1", "paths-0-kind": UPGRADE, "paths-0-target": str(basic.pk)}
    )
    response = vendor_client.post(url, data)
    assert response.status_code == 200  # the page again, with the error
    assert "BASIC already upgrades to PRO" in response.content.decode()
    assert not pro.paths.exists()


def test_a_spreadsheet_import_refuses_a_contradicting_path_and_writes_nothing(shared_demo):
    """The demo's O365-BUS-STANDARD downgrades to O365-BUS-APPS: the way up turned into a
    downgrade too would contradict it."""
    from catalog.models import Vendor
    from exchange.export import workbook
    from exchange.outcomes import REFUSED
    from exchange.tests.books import edit, outcomes, run

    northwind = Vendor.objects.get(slug="northwind")
    data = edit(
        workbook(northwind, "catalog"),
        "upgrade paths",
        {"mpn": "O365-BUS-APPS", "target mpn": "O365-BUS-STANDARD"},
        {"kind": DOWNGRADE},
    )
    report = run(northwind, catalog=data, dry_run=False)
    assert not report.ok and not report.applied
    (refused,) = outcomes(report, REFUSED)
    assert "O365-BUS-STANDARD already downgrades to O365-BUS-APPS" in refused.reason
    path = ItemPath.objects.get(source__mpn="O365-BUS-APPS", target__mpn="O365-BUS-STANDARD")
    assert path.kind == UPGRADE
