"""The model choice labels the portal shows, marked for its message catalogues.

The models' labels are English; the templates translate them with ``{% translate %}`` on
the label (``{% translate item.get_kind_display context "portal" %}``), so every label of
the fields listed in ``SHOWN_CHOICES`` is marked here for ``makemessages`` (a test keeps the
two in step). Like all the portal's messages they have the context "portal": the portal's
catalogues never change a word of Django's own (the admin's "Search", "None", "Log in").
"""

from django.utils.translation import pgettext_lazy

from catalog.models import Item, Listing
from pricing.models import PriceBookItem, Rate

SHOWN_CHOICES = (
    Item._meta.get_field("kind"),
    Item._meta.get_field("billing_period"),
    Item._meta.get_field("commitment_term"),
    Listing._meta.get_field("status"),
    Rate._meta.get_field("billing_frequency"),  # a price's page
    PriceBookItem._meta.get_field("pricing_type"),
)

MARKED = (
    pgettext_lazy("portal", "One-time"),
    pgettext_lazy("portal", "Subscription"),
    pgettext_lazy("portal", "Usage (pay as you go)"),
    pgettext_lazy("portal", "Minimum commitment"),
    pgettext_lazy("portal", "Percent of total"),
    pgettext_lazy("portal", "Monthly"),
    pgettext_lazy("portal", "Quarterly"),
    pgettext_lazy("portal", "Yearly"),
    pgettext_lazy("portal", "None"),
    pgettext_lazy("portal", "1 month"),
    pgettext_lazy("portal", "1 year"),
    pgettext_lazy("portal", "3 years"),
    pgettext_lazy("portal", "Draft"),
    pgettext_lazy("portal", "Listed"),
    pgettext_lazy("portal", "Unlisted"),
    pgettext_lazy("portal", "Regular (one price)"),
    pgettext_lazy("portal", "Interval pricing"),
)
