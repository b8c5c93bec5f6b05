"""The price curves' words are the portal's (the portal shows the charts): every one has the
portal's context and a finished German and French translation, and a German reader gets a
German chart with German money, while without a language (the admin, the API) the words and
the money read as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from insights.curves import Cliff, PriceCurves, QuantityCurve, TimeStep
from insights.curves_svg import curves_document, curves_html
from portal.tests.test_i18n_catalogues import (
    CONTEXT,
    LANGUAGES,
    ROOT,
    catalog,
    extracted,
    unfinished,
)

CODE = [ROOT / "insights" / "curves_svg.py", ROOT / "insights" / "curves_api.py"]
D = Decimal
NBSP = "\xa0"
CURVES = PriceCurves(
    currency="EUR",
    quantity_curves=(
        QuantityCurve(
            1,
            ((D(0), D("0.00")), (D(10), D("1000.00")), (D(11), D("550.00"))),
            Cliff(D(11), D("550.00"), D(10), D("1000.00")),
        ),
        QuantityCurve(2, ((D(0), D("0.00")), (D(10), D("50.00"))), None),
    ),
    time_quantity=D(1),
    time_steps=(
        TimeStep(1, D(0), D(1) / 3, False, D("100.00")),
        TimeStep(2, D(1) / 3, D(1) / 3 + 12, True, D("5.00")),
    ),
)


def curve_msgids() -> set[tuple[str | None, str]]:
    ids = set()
    for path in CODE:
        ids |= extracted(path.read_text())
    return ids


def test_the_curves_have_messages_and_all_have_the_portal_context():
    ids = curve_msgids()
    assert (CONTEXT, "Quantity (units)") in ids and (CONTEXT, "Months from the start") in ids
    assert {msgid for context, msgid in ids if context != CONTEXT} == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_curve_message_has_a_finished_translation(language):
    assert unfinished(catalog(language), curve_msgids()) == []


def test_a_german_reader_gets_the_charts_in_german_with_german_money():
    with translation.override("de"):
        html = curves_html(CURVES, locale="de")
    assert "Betrag pro Zeitraum nach Menge (EUR), Intervall 1" in html
    assert (
        f"Intervall 1. Preisklippe: 11 Einheiten kosten 550,00{NBSP}€ pro Zeitraum, weniger "
        f"als 10 Einheiten zu 1.000,00{NBSP}€." in html
    )
    assert f"Intervall 1, Monate 0 bis 0,33: 100,00{NBSP}€" in html
    assert "Menge (Einheiten)" in html and ">1.000<" in html  # the amount axis' top


def test_without_a_locale_the_words_are_english_and_the_money_plain():
    with translation.override(settings.LANGUAGE_CODE):
        html = curves_html(CURVES)
        document = curves_document(CURVES, title="Curves")
    words = "Cliff: 11 units cost 550.00 EUR a period, less than 10 units at 1000.00 EUR."
    assert f"Interval 1. {words}" in html and words in document
    assert "Interval 1, months 0 to 0.33: 100.00 EUR" in html
    assert "Interval 2, from month 0.33 on: 5.00 EUR" in html


def test_the_api_picture_follows_the_requests_language():
    with translation.override("fr"):
        document = curves_document(CURVES, title="Courbes")
    assert "Effet de seuil : 11 unités coûtent 550.00 EUR par période" in document
