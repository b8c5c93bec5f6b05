"""The demo data in the portal: the Microsoft 365-style listings with matrix and prices."""

import pytest

from catalog.models import Listing
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_demo, db):
    """The demo data, loaded once for the module; each test's changes are rolled back."""


def log_in(client, username, password):
    response = client.post("/portal/login/", {"username": username, "password": password})
    assert (response.status_code, response["Location"]) == (302, "/portal/")
    return client


@pytest.fixture
def distributor_demo(client, demo):
    return log_in(client, "distributor", "distributor-demo-2026")


def listing_of(offer: str, marketplace: str) -> Listing:
    return Listing.objects.get(offer__name=offer, marketplace__code=marketplace)


def test_the_demo_distributor_sees_the_listed_demo_offers(distributor_demo):
    page = parse(distributor_demo.get("/portal/"))
    rows = [
        (row.find("a", class_="listing-link").text, row.find_all("td")[-1].text)
        for row in page.find("table").find("tbody").find_all("tr")
    ]
    assert rows == [  # by product: Northwind Cloud Platform, Office 365 …, Shirt
        ("Pay as you grow", "North America (USD)"),
        ("For business", "Europe (EUR)"),
        ("For business", "North America (USD)"),
        ("For home", "North America (USD)"),
        ("Shirts", "Europe (EUR)"),
    ]


def test_packages_and_flat_plus_unit_tiers_in_words(distributor_demo):
    """The charge models added with the registry, as a distributor reads them."""
    listing = listing_of("Pay as you grow", "us")
    page = parse(distributor_demo.get(f"/portal/listings/{listing.pk}/"))
    cell = page.find("td", class_="plan-price")
    assert [" ".join(text.text.split()) for text in cell.find_all(class_="price-text")] == [
        "$12.00 per seat per month",
        "$4.00 per package of 10 × 1,000 calls per month, the first 5 free (a started package "
        "is billed whole); at least $5.00 and at most $400.00 per month",
        "Tiered price, per month: $5.00 + $0.10 per GB up to 100, $20.00 + $0.08 per GB from "
        "100 to 1,000, $0.05 per GB above 1,000 (each band prices the units inside it); the "
        "first tier's flat amount is owed even at zero usage",
    ]


def test_office_for_business_matrix_and_prices_in_dollars(distributor_demo):
    listing = listing_of("For business", "us")
    page = parse(distributor_demo.get(f"/portal/listings/{listing.pk}/"))
    matrix = page.find("table", class_="feature-matrix")
    plans = [th.text for th in matrix.find("thead").find_all("th", scope="col")][1:]
    assert plans == ["Basic", "Standard", "Premium", "Apps"]
    assert [cell.text for cell in matrix.find_all("td", class_="plan-price")] == [
        "$6.00 per user per month",
        "$12.50 per user per month",
        "$16.50 per user per month for 3 months, then $22.00 per user",
        "$8.25 per user per month",
    ]
    groups = [th.text for th in matrix.find_all("th", scope="rowgroup")]
    assert groups == ["Teamwork and communication", "Web and mobile versions of Office apps"]
    first_row = matrix.find("tbody", class_="feature-group").find_all("tr")[1]
    assert [cell.text for cell in first_row.find_all("td")] == [
        "up to 300 users",
        "up to 300 users",
        "up to 300 users",
        "",
    ]
    assert len(matrix.find_all("th", scope="row")) == 1 + 6  # the price row and 6 features


def test_office_for_business_in_euros_on_europe(distributor_demo):
    listing = listing_of("For business", "eu")
    page = parse(distributor_demo.get(f"/portal/listings/{listing.pk}/"))
    assert [cell.text for cell in page.find_all("td", class_="plan-price")] == [
        "€5.60 per user per month",
        "€11.70 per user per month",
        "€20.60 per user per month",
        "€9.80 per user per month",
    ]


def test_office_for_home_add_ons_paths_and_german_names(distributor_demo):
    listing = listing_of("For home", "us")
    page = parse(distributor_demo.get(f"/portal/listings/{listing.pk}/", {"lang": "de"}))
    assert [cell.text for cell in page.find_all("td", class_="plan-price")] == [
        "69,99\xa0$ pro license pro Jahr",
        "79,99\xa0$ pro license pro Jahr für 365 Tage, danach 99,99\xa0$ pro license",
    ]
    cards = {card.find("h3").text: card for card in page.find_all("li", class_="item-card")}
    assert list(cards) == [
        "Office 365 Single",
        "Office 365 Family",
        "Windows 10 Home Zusatzoption",
        "Windows 10 Pro Zusatzoption",
    ]
    # The page's own words are German too.
    assert (
        "Zusatzoption erfordert eines von Office 365 Family oder Office 365 Single"
        in cards["Windows 10 Pro Zusatzoption"].text
    )
    assert "Upgrade auf Office 365 Family" in cards["Office 365 Single"].text
    assert "Downgrade auf Office 365 Single" in cards["Office 365 Family"].text
    assert page.find("html").attrs["lang"] == "de"


def test_the_draft_european_home_listing_is_hidden_from_the_distributor(distributor_demo):
    listing = listing_of("For home", "eu")
    assert listing.status == Listing.Status.DRAFT
    assert distributor_demo.get(f"/portal/listings/{listing.pk}/").status_code == 404


def test_northwind_staff_preview_the_draft_listing(client, demo):
    log_in(client, "northwind", "northwind-demo-2026")
    listing = listing_of("For home", "eu")
    page = parse(client.get(f"/portal/listings/{listing.pk}/"))
    assert "Preview · Draft" in page.find(class_="alert-preview").text
    # Europe has no rate for the home plans: no dollar price is passed off as euros.
    assert [cell.text for cell in page.find_all("td", class_="plan-price")] == [
        "Price on request"
    ] * 2
