"""The permission groups behind the two roles, kept in step with the models after migrate."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

VENDOR_STAFF = "Vendor staff"
DISTRIBUTOR = "Distributor"

# Models vendor staff create, change and delete for their own vendor.
VENDOR_EDITABLE = {
    "catalog": [
        "product",
        "itemgroup",
        "item",
        "itemtranslation",
        "addonrequirement",
        "itempath",
        "offer",
        "plan",
        "planitem",
        "featuregroup",
        "feature",
        "planfeature",
        "listing",
        "offertranslation",
        "plantranslation",
        "featuregrouptranslation",
        "featuretranslation",
    ],
    "pricing": [
        "offering",
        "offeringitem",
        "offeringitemscope",
        "rate",
        "pricebookitem",
        "priceinterval",
        "pricetier",
        "quote",
        "quoteline",
        "contract",
        "contractoffering",
    ],
}
# Models vendor staff may only look at.
VENDOR_READABLE = {"catalog": ["marketplace", "vendor"], "pricing": ["lockrefusal"]}


def ensure_role_groups(**kwargs) -> None:
    """Create or refresh the role groups; distributors get no admin permissions at all."""
    wanted = []
    for _app, models in VENDOR_EDITABLE.items():
        for model in models:
            wanted += [f"{action}_{model}" for action in ("add", "change", "delete", "view")]
    for _app, models in VENDOR_READABLE.items():
        wanted += [f"view_{model}" for model in models]
    labels = set(VENDOR_EDITABLE) | set(VENDOR_READABLE)
    perms = Permission.objects.filter(content_type__app_label__in=labels, codename__in=wanted)
    vendor_staff, _ = Group.objects.get_or_create(name=VENDOR_STAFF)
    vendor_staff.permissions.set(perms)
    distributor, _ = Group.objects.get_or_create(name=DISTRIBUTOR)
    distributor.permissions.clear()
