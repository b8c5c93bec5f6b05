"""The upgrade-path graph's words are the portal's (the portal shows the ladder): every one
has the portal's context and a finished German and French translation, the graph's template
shows no untranslated words, and a German reader gets a German picture."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

from insights.paths import product_paths
from insights.svg import describe, render_svg
from insights.tests.paths_data import build_ladder, module_rows
from portal.tests.test_i18n_catalogues import (
    CONTEXT,
    LANGUAGES,
    catalog,
    extracted,
    unfinished,
    untranslated_template_text,
)

ROOT = Path(settings.BASE_DIR)
TEMPLATES = [ROOT / "templates" / "insights" / "paths_graph.html"]
CODE = [ROOT / "insights" / "paths.py", ROOT / "insights" / "svg.py"]


def graph_msgids() -> set[tuple[str | None, str]]:
    ids = set()
    for path in TEMPLATES:
        ids |= extracted(templatize(path.read_text(), origin=str(path)))
    for path in CODE:
        ids |= extracted(path.read_text())
    return ids


def test_the_graph_has_messages_and_all_have_the_portal_context():
    ids = graph_msgids()
    assert (CONTEXT, "dead end") in ids and (CONTEXT, "Level {number}") in ids
    assert {msgid for context, msgid in ids if context != CONTEXT} == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_graph_message_has_a_finished_translation(language):
    assert unfinished(catalog(language), graph_msgids()) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_the_graph_template_shows_no_untranslated_words(path):
    assert untranslated_template_text(path.read_text()) == []


@pytest.fixture(scope="module")
def ladder(django_db_setup, django_db_blocker):
    with module_rows(django_db_blocker):
        yield build_ladder()


@pytest.mark.django_db
def test_a_german_reader_gets_the_picture_and_its_description_in_german(ladder):
    graph = product_paths(ladder.product, user=ladder.distributor_user)
    with translation.override("de"):
        svg, description = render_svg(graph), describe(graph)
    assert "Stufe 1 (Einstieg)" in svg and "Sackgasse" in svg and "Verkaufsende" in svg
    assert "Upgrade-Pfade von Office &lt;Suite&gt; &amp; more" in svg
    assert description.startswith("Artikel: 7. Upgrade-Stufen: 4.")
