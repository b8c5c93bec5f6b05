"""An item's translation locale is chosen from a list of known codes, and a bad one gets one
error, next to the field."""

import pytest
from django.urls import reverse

from catalog.models import ItemTranslation
from catalog.tests.admin_forms import change_form_data
from catalog.tests.factories import ItemFactory, ItemTranslationFactory, ProductFactory
from catalog.validators import locale_choices, normalize_locale

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(vendor):
    return ItemFactory(product=ProductFactory(vendor=vendor))


def post_translation(client, item, locale):
    url = reverse("admin:catalog_item_change", args=[item.pk])
    data = change_form_data(client.get(url))
    data.update(
        {
            "translations-TOTAL_FORMS": 1,
            "translations-0-locale": locale,
            "translations-0-name": "Name",
        }
    )
    return client.post(url, data)


def test_the_item_page_offers_locales_from_a_list(vendor_client, item):
    ItemTranslationFactory(item=item, locale="fr-CA")
    html = vendor_client.get(reverse("admin:catalog_item_change", args=[item.pk])).content
    html = html.decode()
    assert '<select name="translations-0-locale"' in html
    assert '<option value="fr-CA" selected>French (Canada) — fr-CA</option>' in html


def test_every_listed_locale_is_one_the_validator_accepts():
    codes = [code for code, _label in locale_choices()]
    assert {"de", "fr-CA", "pt-BR", "en"} <= set(codes)
    assert all(normalize_locale(code) == code for code in codes)
    assert len(codes) == len(set(codes))


def test_a_listed_locale_is_saved(vendor_client, item):
    assert post_translation(vendor_client, item, "pt-BR").status_code == 302
    assert list(item.translations.values_list("locale", flat=True)) == ["pt-BR"]


@pytest.mark.parametrize("locale", ["xx-YY", "fr_ca", "", "de\x00"])
def test_a_locale_off_the_list_is_one_error_next_to_the_field(vendor_client, item, locale):
    response = post_translation(vendor_client, item, locale)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    form = formset.forms[0]
    assert list(form.errors) == ["locale"]
    assert len(form.errors["locale"]) == 1
    if locale:
        assert "is not a known locale code" in form.errors["locale"][0]
    assert not ItemTranslation.objects.exists()


def test_the_service_still_refuses_an_unknown_code_once(item):
    from django.core.exceptions import ValidationError

    from catalog.services import item_translate

    with pytest.raises(ValidationError) as excinfo:
        item_translate(item=item, locale="xx-YY", name="Name")
    assert len(excinfo.value.messages) == 1
