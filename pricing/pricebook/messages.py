"""Marks the price sentences' messages for translation, without translating them here.

The pricebook never imports Django: each message is marked with one of these no-op
markers, which only return it, and is translated when a sentence is worded, through the
``Wording``'s ``gettext`` and ``ngettext`` (identity and English plurals by default, so
the admin's sentences stay English; the portal passes Django's ``pgettext`` and
``npgettext`` bound to ``CONTEXT``). ``manage.py makemessages`` extracts the marked
messages with their context: ``portal/management/commands/makemessages.py`` adds these
markers to xgettext's keywords (see README.md).

Each message is a whole part of a sentence with named placeholders (``"{amount} per
{unit}"``), so a translation can put the words in its own order.
"""

from __future__ import annotations

CONTEXT = "price"


def pgettext_noop(context: str, message: str) -> str:
    """A message, marked for extraction with its context (always ``CONTEXT``)."""
    return message


def npgettext_noop(context: str, singular: str, plural: str) -> tuple[str, str]:
    """A message with a plural form, marked for extraction; the count picks the form later."""
    return singular, plural
