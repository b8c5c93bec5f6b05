"""The linter finds each mistake planted in a clean catalog (and nothing in the clean one),
per vendor and per offering, each finding with a severity, a subject and a one-line fix."""

from __future__ import annotations

import pytest

from insights.lint import ERROR, WARNING, lint_offering, lint_vendor
from insights.tests.lint_builders import MISTAKES, clean_catalog
from pricing.models import Offering, Rate
from pricing.tests.factories import (
    OfferingFactory,
    OfferingItemFactory,
    PriceBookItemFactory,
    PriceIntervalFactory,
    RateFactory,
)

pytestmark = pytest.mark.django_db

SEVERITY = {
    "volume_cliff": WARNING,
    "overage_below_last_tier": WARNING,
    "tier_gap": ERROR,
    "tier_overlap": ERROR,
    "tier_gap_above_last": ERROR,
    "interval_unreachable": WARNING,
    "item_without_price": ERROR,
    "no_active_rate": ERROR,
    "listing_without_rate": ERROR,
    "scope_names_nothing_sold": ERROR,
    "path_to_end_of_sale": WARNING,
    "path_to_draft": WARNING,
    "contradicting_paths": ERROR,
}


def test_a_clean_catalog_has_no_findings(vendor):
    catalog = clean_catalog(vendor)
    assert lint_vendor(vendor) == []
    assert lint_offering(catalog.offering) == []


@pytest.mark.parametrize(
    ("change", "codes"),
    [pytest.param(change, codes, id=name) for name, change, codes in MISTAKES],
)
def test_each_mistake_is_found_with_its_severity_and_a_fix(vendor, change, codes):
    catalog = clean_catalog(vendor)
    change(catalog)

    findings = lint_vendor(vendor)

    assert {finding.code for finding in findings} == codes
    assert len(findings) == len(codes)  # each mistake once
    for finding in findings:
        assert finding.severity == SEVERITY[finding.code]
        assert finding.subject and finding.message and finding.fix
        assert "\n" not in finding.fix
    # The offering's own findings are the vendor's that concern it or its items' paths.
    assert {f.code for f in lint_offering(catalog.offering)} == codes


def test_every_check_of_the_table_is_exercised():
    assert set().union(*(codes for _name, _change, codes in MISTAKES)) == set(SEVERITY)


def test_a_volume_cliff_names_the_quantities_and_amounts(vendor):
    catalog = clean_catalog(vendor)
    dict(MISTAKES_BY_NAME)["volume cliff"](catalog)
    (finding,) = lint_vendor(vendor)
    assert finding.subject == "GB in rate 'Standard USD'"
    assert finding.message == (
        "11 units cost 55.00 USD a period, less than 10 units at 100.00 USD: buying more costs "
        "less."
    )
    assert finding.offering == catalog.offering.name


def test_another_vendors_mistakes_are_not_this_vendors(vendor, other_vendor):
    clean_catalog(vendor)
    other = clean_catalog(other_vendor)
    dict(MISTAKES_BY_NAME)["tiers with a gap"](other)
    assert lint_vendor(vendor) == []
    assert [f.code for f in lint_vendor(other_vendor)] == ["tier_gap"]


MISTAKES_BY_NAME = [(name, change) for name, change, _codes in MISTAKES]


def test_a_commitment_may_apply_to_items_another_offering_sells(vendor):
    """On a quote, a commitment applies to the lines of any offering (seed 002)."""
    catalog = clean_catalog(vendor)
    dict(MISTAKES_BY_NAME)["a commitment applying to an item not sold"](catalog)
    other = catalog.commit_line.scopes.get().item
    elsewhere = OfferingFactory(vendor=vendor)
    OfferingItemFactory(offering=elsewhere, item=other)
    rate = RateFactory(offering=elsewhere, status=Rate.Status.ACTIVE)
    PriceIntervalFactory(price_book_item=PriceBookItemFactory(rate=rate, item=other))
    assert lint_offering(catalog.offering) == []
    rate.status = Rate.Status.DRAFT
    rate.save()
    assert [f.code for f in lint_offering(catalog.offering)] == ["scope_names_nothing_sold"]


def test_what_an_inactive_offering_cannot_sell_is_only_a_warning(vendor):
    catalog = clean_catalog(vendor)
    dict(MISTAKES_BY_NAME)["an item no active rate prices"](catalog)
    Offering.objects.filter(pk=catalog.offering.pk).update(status=Offering.Status.INACTIVE)
    # Its commitment's usage item is sold nowhere now either.
    assert {(f.code, f.severity) for f in lint_vendor(vendor)} == {
        ("item_without_price", WARNING),
        ("scope_names_nothing_sold", WARNING),
    }


def test_an_overage_below_the_last_tier_names_both_prices(vendor):
    catalog = clean_catalog(vendor)
    dict(MISTAKES_BY_NAME)["overage below the last tier"](catalog)
    (finding,) = lint_vendor(vendor)
    assert finding.message == (
        "Each unit above 20 costs 1.00 USD, less than the 1.50 USD of the last tier's units."
    )
    assert finding.fix == "Raise the overage price to at least 1.50 USD."
