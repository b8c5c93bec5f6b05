"""``manage.py makemessages`` that also finds the price sentences' messages.

The pricebook marks them with its own no-op markers (``pricing.pricebook.messages``, which
never import Django); xgettext learns those names here, the way Django's documentation
customizes the command (``xgettext_options``). Everything else is Django's command.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=pgettext_noop:1c,2",
        "--keyword=npgettext_noop:1c,2,3",
    ]
