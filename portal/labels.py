"""The model choice labels the portal shows, marked for its message catalogues.

The models' labels are English; the templates translate them with ``{% translate %}`` on
the label (``{% translate item.get_kind_display %}``), so every label of the fields listed
in ``SHOWN_CHOICES`` is marked here for ``makemessages`` (a test keeps the two in step).
"""

from django.utils.translation import gettext_noop

from catalog.models import Item, Listing

SHOWN_CHOICES = (
    Item._meta.get_field("kind"),
    Item._meta.get_field("billing_period"),
    Item._meta.get_field("commitment_term"),
    Listing._meta.get_field("status"),
)

MARKED = frozenset(
    {
        gettext_noop("One-time"),
        gettext_noop("Subscription"),
        gettext_noop("Usage (pay as you go)"),
        gettext_noop("Minimum commitment"),
        gettext_noop("Percent of total"),
        gettext_noop("Monthly"),
        gettext_noop("Quarterly"),
        gettext_noop("Yearly"),
        gettext_noop("None"),
        gettext_noop("1 month"),
        gettext_noop("1 year"),
        gettext_noop("3 years"),
        gettext_noop("Draft"),
        gettext_noop("Listed"),
        gettext_noop("Unlisted"),
    }
)
