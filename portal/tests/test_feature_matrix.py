"""The listing page's plan × feature matrix: plans as columns, groups as row sections."""

import pytest

from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    ListingFactory,
    OfferFactory,
    PlanFactory,
    PlanFeatureFactory,
)
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix_listing(vendor, marketplace):
    """Seed 000 in small: two groups, three plans, cells ✓, text and not included."""
    offer = OfferFactory(product__vendor=vendor, name="For business")
    basic, standard, apps = (
        PlanFactory(offer=offer, name=name, position=position, description=description)
        for position, (name, description) in enumerate(
            [("Basic", "Web apps"), ("Standard", ""), ("Apps", "")]
        )
    )
    teamwork = FeatureGroupFactory(offer=offer, name="Teamwork", position=0)
    web = FeatureGroupFactory(offer=offer, name="Web apps", position=1)
    users = FeatureFactory(group=teamwork, name="Users", position=0)
    teams = FeatureFactory(group=teamwork, name="Teams meetings", position=1)
    word = FeatureFactory(group=web, name="Word on the web", position=0)
    for plan in (basic, standard):
        PlanFeatureFactory(plan=plan, feature=users, included=True, text="up to 300 users")
        PlanFeatureFactory(plan=plan, feature=teams, included=True)
    PlanFeatureFactory(plan=apps, feature=teams, included=False, text="not shown")
    for plan in (basic, standard, apps):
        PlanFeatureFactory(plan=plan, feature=word, included=True)
    return ListingFactory(offer=offer, marketplace=marketplace)


def test_plans_are_column_headers_in_order(distributor_client, matrix_listing):
    table = parse(distributor_client.get(f"/portal/listings/{matrix_listing.pk}/")).find(
        "table", class_="feature-matrix"
    )
    headers = table.find("thead").find_all("th", scope="col")
    assert [header.text for header in headers] == [
        "Feature",  # the corner, for screen readers
        "Basic Web apps",  # name and description
        "Standard",
        "Apps",
    ]
    assert table.find("caption").text == "3 plans compared"
    assert table.attrs["aria-describedby"] == "matrix-note"


def test_feature_groups_are_row_sections_with_features_as_row_headers(
    distributor_client, matrix_listing
):
    table = parse(distributor_client.get(f"/portal/listings/{matrix_listing.pk}/")).find(
        "table", class_="feature-matrix"
    )
    sections = table.find_all("tbody", class_="feature-group")
    assert [section.find("th", scope="rowgroup").text for section in sections] == [
        "Teamwork",
        "Web apps",
    ]
    rowgroup = sections[0].find("th", scope="rowgroup")
    assert rowgroup.attrs["colspan"] == "4"

    def rows(section):
        return [
            [row.find("th", scope="row").text] + [cell.text for cell in row.find_all("td")]
            for row in section.find_all("tr")[1:]
        ]

    # ✓ when included, the cell's text when it has one, blank when not included.
    assert rows(sections[0]) == [
        ["Users", "up to 300 users", "up to 300 users", ""],
        ["Teams meetings", "✓", "✓", ""],
    ]
    assert rows(sections[1]) == [["Word on the web", "✓", "✓", "✓"]]


def test_a_check_mark_has_an_accessible_name(distributor_client, matrix_listing):
    page = parse(distributor_client.get(f"/portal/listings/{matrix_listing.pk}/"))
    check = page.find("table", class_="feature-matrix").find("span", class_="check")
    assert (check.attrs["role"], check.attrs["aria-label"], check.text) == ("img", "Included", "✓")


def test_the_matrix_scrolls_in_a_focusable_labelled_region(distributor_client, matrix_listing):
    page = parse(distributor_client.get(f"/portal/listings/{matrix_listing.pk}/"))
    region = page.find("div", class_="table-scroll")
    assert region.attrs["tabindex"] == "0"
    assert region.attrs["role"] == "region"
    assert region.attrs["aria-label"] == "Plans and features of For business"
    assert region.find("table", class_="feature-matrix")


def test_the_matrix_says_that_it_scrolls(distributor_client, matrix_listing):
    page = parse(distributor_client.get(f"/portal/listings/{matrix_listing.pk}/"))
    region = page.find("div", class_="matrix-scroll")
    hint = page.find("p", id=region.attrs["aria-describedby"])
    assert "scrolls sideways" in hint.text
    assert region.attrs["data-scroll-hint"] == hint.attrs["id"]  # the script hides it if it fits
    assert page.find("script", src="/static/portal/scroll-hint.js", defer=True)


def test_one_price_cell_per_plan(distributor_client, matrix_listing):
    page = parse(distributor_client.get(f"/portal/listings/{matrix_listing.pk}/"))
    cells = page.find("table", class_="feature-matrix").find_all("td", class_="plan-price")
    assert [cell.text for cell in cells] == ["Price on request"] * 3


def test_an_offer_without_plans_says_so(distributor_client, vendor, marketplace):
    listing = ListingFactory(offer=OfferFactory(product__vendor=vendor), marketplace=marketplace)
    response = distributor_client.get(f"/portal/listings/{listing.pk}/")
    assert response.status_code == 200
    assert "This offer has no plans yet." in response.content.decode()
    assert not parse(response).find_all("table", class_="feature-matrix")


def test_page_landmarks_and_hooks(distributor_client, matrix_listing):
    page = parse(distributor_client.get(f"/portal/listings/{matrix_listing.pk}/"))
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("a", class_="skip-link").attrs["href"] == "#main"
    assert page.find("main").attrs["id"] == "main"
    assert page.find("header", class_="site-header")
    assert page.find("footer")
    assert page.find("h1").text == "For business"
    assert page.find("section", id="items")
    assert [
        link.attrs["hreflang"] for link in page.find("nav", class_="lang-switch").find_all("a")
    ] == [
        "en",
        "de",
        "fr",
    ]
