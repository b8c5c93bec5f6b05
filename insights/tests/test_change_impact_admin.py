"""The change-impact panel in the admin: on the offering page (what holds it, its drafts, its
listings and clones), on the rate page (its drafts with its status flipped) and on the price
page, where "Show the impact of these changes" posts the page as edited and answers old →
new totals and amounts, saving and recording nothing, even for a locked price; a page the
rules refuse answers its errors. Each page costs the same queries at two sizes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import VendorFactory
from insights.tests.impact_builders import build_scene, quote
from insights.tests.paths_data import module_rows
from pricing.models import LockRefusal, PriceBookItem, PriceInterval
from pricing.selling import contract_create, quote_process

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_scene(VendorFactory(name="Northwind", slug="northwind-impact-admin"))


@pytest.fixture
def staff(client, scene):
    client.force_login(scene.user)
    return client


def change_page(model: str, pk: int) -> str:
    return reverse(f"admin:pricing_{model}_change", args=[pk])


def impact_url(scene) -> str:
    return reverse("admin:pricing_pricebookitem_impact", args=[scene.standard_basic.pk])


def edited(staff, scene, price: str) -> dict:
    data = change_form_data(staff.get(change_page("pricebookitem", scene.standard_basic.pk)))
    data["intervals-0-price"] = price
    return data


def test_the_offering_page_shows_what_holds_it_its_drafts_listings_and_clones(staff, scene):
    html = staff.get(change_page("offering", scene.catalog.offering.pk)).content.decode()
    panel = html[html.index('id="impact-panel"') :]
    assert f"used by processed quote {scene.processed.reference}" in panel
    assert "Processed quotes that hold it (1)" in panel
    assert "Draft quotes it prices (4)" in panel
    assert "360.00 USD" in panel and "96.00 USD" in panel
    assert "Cloud on Northwind Market" in panel and "shows it" in panel
    assert "Cloud plans next year" in panel


def test_the_rate_page_shows_its_drafts_if_it_were_inactive(staff, scene):
    html = staff.get(change_page("rate", scene.catalog.rate.pk)).content.decode()
    panel = html[html.index('id="impact-panel"') :]
    assert "Change impact: if inactive" in panel
    assert "Draft quotes whose totals change: 3 of 3" in panel
    assert "No price for BASIC" in panel


def test_the_price_page_shows_what_the_price_touches_and_the_impact_button(staff, scene):
    html = staff.get(change_page("pricebookitem", scene.standard_basic.pk)).content.decode()
    assert 'id="impact-panel"' in html
    assert f'formaction="{impact_url(scene)}"' in html
    assert "insights/impact.js" in html


def test_the_edited_price_answers_old_and_new_totals_saving_and_recording_nothing(staff, scene):
    before = (PriceBookItem.history.count(), PriceInterval.objects.count())
    refusals = LockRefusal.objects.count()
    response = staff.post(impact_url(scene), edited(staff, scene, "12.00"), **FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<link rel="stylesheet"')  # the panel alone, for the page
    assert "Change impact: the proposed price" in html
    assert "Draft quotes whose totals change: 1 of 1" in html
    assert "360.00 USD" in html and "432.00 USD" in html and "+72.00" in html
    assert "Locked:" in html  # the rate priced a processed quote: saving it is refused
    assert (PriceBookItem.history.count(), PriceInterval.objects.count()) == before
    assert LockRefusal.objects.count() == refusals


def test_without_the_script_the_answer_is_a_page_of_its_own(staff, scene):
    response = staff.post(impact_url(scene), edited(staff, scene, "12.00"))
    html = response.content.decode()
    assert "<html" in html and "Back to" in html and "432.00 USD" in html


def test_a_price_the_rules_refuse_answers_its_errors(staff, scene):
    response = staff.post(impact_url(scene), edited(staff, scene, "-1"), **FETCH)
    html = response.content.decode()
    assert "the price as changed is refused" in html
    assert "price:" in html


def test_get_of_the_impact_url_goes_back_to_the_price(staff, scene):
    response = staff.get(impact_url(scene))
    assert response.status_code == 302
    assert response.url == change_page("pricebookitem", scene.standard_basic.pk)


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
        assert response.status_code == 200
    return len(captured)


def test_each_page_costs_the_same_at_two_sizes(staff, scene):
    data = edited(staff, scene, "12.00")
    calls = (
        lambda: staff.get(change_page("offering", scene.catalog.offering.pk)),
        lambda: staff.get(change_page("rate", scene.catalog.rate.pk)),
        lambda: staff.get(change_page("pricebookitem", scene.standard_basic.pk)),
        lambda: staff.post(impact_url(scene), data, **FETCH),
    )
    counts = []
    for _size in (1, 2):
        for _ in range(3):
            quote(scene.catalog, (scene.catalog.basic, 2))
            contract_create(quote=quote_process(quote=quote(scene.catalog, (scene.catalog.pro, 1))))
        counts.append([queries(call) for call in calls])
    assert counts[0] == counts[1], counts
