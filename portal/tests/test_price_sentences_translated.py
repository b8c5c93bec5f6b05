"""Price sentences in the page's language: a German or French page words its prices from
the "price" messages (money and numbers by Babel, the vendor's unit as given), and an
English page words them as it always has."""

import pytest

from portal.tests.conftest import listed_offer, price_plan
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db
NBSP = "\xa0"
NNBSP = "\u202f"  # French thousands


def plan_prices(client, listing, lang=None, accept=None):
    params = {"lang": lang} if lang else {}
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    page = parse(client.get(f"/portal/listings/{listing.pk}/", params, **headers))
    return [
        text.text for text in page.find("td", class_="plan-price").find_all(class_="price-text")
    ]


@pytest.fixture
def one_plan(vendor, marketplace):
    listing = listed_offer(vendor, marketplace, plans=1)
    return listing, listing.offer.plans.get()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "$16.50 per user per month for 3 months, then $22.00 per user"),
        (
            "de",
            f"16,50{NBSP}$ pro user pro Monat für 3 Monate, danach 22,00{NBSP}$ pro user",
        ),
        (
            "fr",
            f"16,50{NBSP}$US par user par mois pendant 3 mois, puis 22,00{NBSP}$US par user",
        ),
    ],
)
def test_a_per_unit_price_with_an_interval_change_reads_in_the_pages_language(
    distributor_client, one_plan, lang, expected
):
    listing, plan = one_plan
    price_plan(plan, intervals=[("month", 3, "16.50"), ("infinity", None, "22.00")])
    assert set(plan_prices(distributor_client, listing, lang=lang)) == {expected}


def test_accept_language_chooses_the_price_sentences_language_too(distributor_client, one_plan):
    listing, plan = one_plan
    price_plan(plan, intervals=[("infinity", None, "12.00")])
    prices = plan_prices(distributor_client, listing, accept="fr-FR,fr;q=0.9,en;q=0.5")
    assert set(prices) == {f"12,00{NBSP}$US par user par mois"}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "$10.00 per GB up to 100, $0.08 per GB from 100 to 1,000, $0.05 per GB above "
                "1,000 (each band prices the units inside it)",
                "Tiered price, per month: ",
            ],
        ),
        (
            "de",
            [
                f"10,00{NBSP}$ pro GB bis 100, 0,08{NBSP}$ pro GB von 100 bis 1.000, "
                f"0,05{NBSP}$ pro GB über 1.000 (jede Staffel bestimmt den Preis der "
                "Einheiten in ihr)",
                "Staffelpreis, pro Monat: ",
            ],
        ),
        (
            "fr",
            [
                f"10,00{NBSP}$US par GB jusqu’à 100, 0,08{NBSP}$US par GB de 100 à "
                f"1{NNBSP}000, 0,05{NBSP}$US par GB au-delà de 1{NNBSP}000 (chaque tranche "
                "fixe le prix des unités qu’elle contient)",
                f"Prix par tranches, par mois{NBSP}: ",
            ],
        ),
    ],
)
def test_a_tiered_price_reads_in_the_pages_language(distributor_client, one_plan, lang, expected):
    listing, plan = one_plan
    item = plan.plan_items.get().item
    item.unit = "GB"
    item.save()
    price_plan(
        plan,
        charge_model="tiered",
        tiers=[("0", "100", "10.00"), ("100", "1000", "0.08"), ("1000", None, "0.05")],
    )
    bands, lead = expected
    assert set(plan_prices(distributor_client, listing, lang=lang)) == {lead + bands}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "$4.75 per delivery for 365 days, then $9.50 per delivery; delivered on Sundays",
        ),
        (
            "de",
            f"4,75{NBSP}$ pro Lieferung für 365 Tage, danach 9,50{NBSP}$ pro Lieferung; "
            "Lieferung sonntags",
        ),
        (
            "fr",
            f"4,75{NBSP}$US par livraison pendant 365 jours, puis 9,50{NBSP}$US par "
            f"livraison{NBSP}; livraison le dimanche",
        ),
    ],
)
def test_seed_003s_delivery_price_reads_in_the_pages_language(
    distributor_client, one_plan, lang, expected
):
    listing, plan = one_plan
    item = plan.plan_items.get().item
    item.unit = "delivery"
    item.save()
    pbi = price_plan(
        plan, charge_model="delivery", intervals=[("day", 365, "4.75"), ("infinity", None, "9.50")]
    )
    pbi.delivery_weekdays = [6]  # Sundays
    pbi.save()
    assert plan_prices(distributor_client, listing, lang=lang) == [expected]


def test_a_translated_price_sentence_is_not_marked_as_english(distributor_client, one_plan):
    listing, plan = one_plan
    price_plan(plan)
    page = parse(distributor_client.get(f"/portal/listings/{listing.pk}/", {"lang": "de"}))
    texts = page.find_all(class_="price-text")
    assert texts and {text.attrs.get("lang") for text in texts} == {None}
    assert page.find("html").attrs["lang"] == "de"
