"""Template helpers for the portal: links that keep the current query (lang, filters), and
the ``lang`` attribute of texts that are not in the page's language."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with ``changes`` applied; a value of None drops the key."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def lang(text=None) -> str:
    """``lang="xx"`` for a translated text (its locale, "fr-CA" on a French page too), and
    for a row's own text or untranslated vendor data (no argument) when the page is not in
    the default language; else nothing."""
    language = getattr(text, "lang", None)
    if language is None and translation.get_language() != settings.LANGUAGE_CODE:
        language = settings.LANGUAGE_CODE
    return format_html(' lang="{}"', language) if language else ""
