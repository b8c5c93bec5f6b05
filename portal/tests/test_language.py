"""Item names and descriptions in the reader's language, falling back to the default."""

import pytest

from catalog.tests.factories import AddOnRequirementFactory, ItemFactory, ItemTranslationFactory
from portal.locales import accepted_tags, translation_chain
from portal.tests.conftest import PUBLISHED, listed_offer
from portal.tests.dom import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(vendor, marketplace):
    return listed_offer(vendor, marketplace, plans=1)


@pytest.fixture
def item(listing):
    item = listing.offer.plans.get().plan_items.get().item
    item.name, item.description = "Office 365 Personal", "Office apps for one person."
    item.save()
    return item


def shown(client, listing, item, accept=None, lang=None):
    """(name, its lang attribute, description, its lang attribute) as the page shows them."""
    params = {"lang": lang} if lang else {}
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    page = parse(client.get(f"/portal/listings/{listing.pk}/", params, **headers))
    card = page.find("li", id=f"item-{item.pk}")
    name, description = card.find("h3"), card.find("p", class_="item-description")
    return name.text, name.attrs.get("lang"), description.text, description.attrs.get("lang")


def test_german_browser_sees_the_german_translation(distributor_client, listing, item):
    ItemTranslationFactory(
        item=item, locale="de", name="Office 365 Single", description="Für eine Person."
    )
    assert shown(distributor_client, listing, item, accept="de-DE,de;q=0.9,en;q=0.5") == (
        "Office 365 Single",
        "de",
        "Für eine Person.",
        "de",
    )


def test_german_browser_without_a_german_translation_sees_the_default(
    distributor_client, listing, item
):
    ItemTranslationFactory(item=item, locale="fr", name="Office 365 Personnel")
    # The page is German: the English fallback says it is English.
    assert shown(distributor_client, listing, item, accept="de") == (
        "Office 365 Personal",
        "en",
        "Office apps for one person.",
        "en",
    )


def test_fr_ca_prefers_its_own_translation(distributor_client, listing, item):
    ItemTranslationFactory(item=item, locale="fr", name="Office 365 Personnel")
    ItemTranslationFactory(item=item, locale="fr-CA", name="Office 365 Personnel (Canada)")
    name, lang, *_ = shown(distributor_client, listing, item, accept="fr-CA")
    assert (name, lang) == ("Office 365 Personnel (Canada)", "fr-CA")


def test_fr_ca_falls_back_to_fr(distributor_client, listing, item):
    ItemTranslationFactory(item=item, locale="fr", name="Office 365 Personnel")
    name, lang, *_ = shown(distributor_client, listing, item, accept="fr-CA")
    assert (name, lang) == ("Office 365 Personnel", "fr")


def test_fr_ca_falls_back_to_the_default_without_french(distributor_client, listing, item):
    ItemTranslationFactory(item=item, locale="de", name="Office 365 Single")
    name, lang, *_ = shown(distributor_client, listing, item, accept="fr-CA")
    assert (name, lang) == ("Office 365 Personal", "en")


def test_each_field_falls_back_on_its_own(distributor_client, listing, item):
    ItemTranslationFactory(item=item, locale="de", name="Office 365 Single", description="")
    assert shown(distributor_client, listing, item, accept="de") == (
        "Office 365 Single",
        "de",
        "Office apps for one person.",
        "en",
    )


def test_the_language_switch_overrides_the_browser(distributor_client, listing, item):
    ItemTranslationFactory(item=item, locale="de", name="Office 365 Single")
    ItemTranslationFactory(item=item, locale="fr", name="Office 365 Personnel")
    name, lang, *_ = shown(distributor_client, listing, item, accept="de", lang="fr")
    assert (name, lang) == ("Office 365 Personnel", "fr")
    # English is the default: the item's own text, even for a German browser.
    name, lang, *_ = shown(distributor_client, listing, item, accept="de", lang="en")
    assert (name, lang) == ("Office 365 Personal", None)


def test_an_unknown_lang_value_is_ignored(distributor_client, listing, item):
    ItemTranslationFactory(item=item, locale="de", name="Office 365 Single")
    name, *_ = shown(distributor_client, listing, item, accept="de", lang="zz-!!")
    assert name == "Office 365 Single"


def test_related_items_are_named_in_the_readers_language(distributor_client, listing, item):
    addon = ItemFactory(product=item.product, name="Windows add-on", status=PUBLISHED)
    AddOnRequirementFactory(addon=addon, base=item)
    ItemTranslationFactory(item=item, locale="de", name="Office 365 Single")
    ItemTranslationFactory(item=addon, locale="de", name="Windows Zusatzoption")
    page = parse(distributor_client.get(f"/portal/listings/{listing.pk}/", {"lang": "de"}))
    addon_card = page.find("li", id=f"item-{addon.pk}")
    assert "erfordert eines von Office 365 Single" in addon_card.text
    assert addon_card.find("a", href=f"#item-{item.pk}").attrs["lang"] == "de"
    assert "Zusatzoptionen Windows Zusatzoption" in page.find("li", id=f"item-{item.pk}").text


def test_language_links_keep_the_query_and_mark_the_current_language(
    distributor_client, marketplace
):
    page = parse(distributor_client.get("/portal/", {"q": "office", "page": "1", "lang": "de"}))
    links = page.find("nav", class_="lang-switch").find_all("a")
    assert [(link.attrs["hreflang"], link.attrs["href"]) for link in links] == [
        ("en", "?q=office&page=1&lang=en"),
        ("de", "?q=office&page=1&lang=de"),
        ("fr", "?q=office&page=1&lang=fr"),
    ]
    assert [link.attrs.get("aria-current") for link in links] == [None, "true", None]


def test_the_browser_language_is_marked_current_without_a_switch(distributor_client, db):
    page = parse(distributor_client.get("/portal/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.8"))
    current = page.find("nav", class_="lang-switch").find("a", aria_current="true")
    assert current.attrs["hreflang"] == "fr"
    # The portal's own words follow: French, and the page says so.
    assert page.find("html").attrs["lang"] == "fr"
    assert page.find("h1").text == "Publications"


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", ["de-DE", "de", "en"]),
        ("en;q=0.2, fr;q=0.9, de;q=0.5", ["fr", "de", "en"]),
        ("*, de;q=0", []),
        ("fr;q=abc, it", ["it"]),
        ("", []),
    ],
)
def test_accept_language_is_read_by_preference(header, tags):
    assert accepted_tags(header) == tags


@pytest.mark.parametrize(
    ("tags", "chain"),
    [
        (["fr-CA"], ("fr-CA", "fr")),
        (["de-AT", "de", "fr"], ("de-AT", "de", "fr")),
        (["en-US", "de"], ("en-US",)),  # English is the default: German is never reached
        (["de", "en", "fr"], ("de",)),
        (["not a locale", "fr"], ("fr",)),
    ],
)
def test_the_translation_chain_stops_at_the_default_language(tags, chain):
    assert translation_chain(tags) == chain
