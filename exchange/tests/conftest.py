"""The demo's vendor Northwind and its exported workbooks, for the exchange's tests."""

from __future__ import annotations

import pytest

from catalog.models import Vendor
from exchange.export import workbook


@pytest.fixture
def northwind(shared_demo):
    return Vendor.objects.get(slug="northwind")


@pytest.fixture
def books(northwind) -> tuple[bytes, bytes]:
    """Northwind's catalog and prices workbooks, as exported now."""
    return workbook(northwind, "catalog"), workbook(northwind, "prices")
