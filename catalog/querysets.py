"""Organization scoping: every non-superuser read goes through ``visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from catalog.models import Distributor, Vendor

# The draft value of every status field that has one (Product, Item, Listing): a draft is
# its vendor's work in progress, never shown to distributors.
DRAFT = "draft"


def membership_of(user: AbstractBaseUser):
    """The user's membership row, or None; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_catalog_membership"):
        from catalog.models import Membership

        user._catalog_membership = (
            Membership.objects.select_related("vendor", "distributor").filter(user=user).first()
        )
    return user._catalog_membership


def vendor_of(user: AbstractBaseUser) -> Vendor | None:
    membership = membership_of(user)
    return membership.vendor if membership else None


def distributor_of(user: AbstractBaseUser) -> Distributor | None:
    membership = membership_of(user)
    return membership.distributor if membership else None


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how a row reaches its vendor and its listings.

    ``vendor_lookup`` is the path from the model to its owning Vendor's id.
    ``listing_lookup`` / ``listing_ref`` say how a Listing reaches the row, so that
    distributors see what is listed on their marketplaces and nothing else; a model
    without them is never shown to distributors.
    ``draft_lookups`` are the paths to the status of the row and of the items it hangs
    under (an item's translation, both ends of a path): when any of them is a draft, the
    row is hidden from distributors. Drafts of products and listings need no path here: a
    distributor reaches rows only through a listed listing of a product that is no draft.
    """

    vendor_lookup: str = "vendor"
    listing_lookup: str | None = None
    listing_ref: str = "pk"
    draft_lookups: tuple[str, ...] = ()

    def visible_to(self, user: AbstractBaseUser) -> ScopedQuerySet:
        """Rows the user may see: all for superusers, their organization's otherwise."""
        if not getattr(user, "is_active", False) or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if vendor := vendor_of(user):
            return self.filter(**{self.vendor_lookup: vendor.pk})
        if distributor := distributor_of(user):
            return self.for_distributor(distributor)
        return self.none()

    def for_vendor(self, vendor: Vendor) -> ScopedQuerySet:
        return self.filter(**{self.vendor_lookup: vendor.pk})

    def for_distributor(self, distributor: Distributor) -> ScopedQuerySet:
        """Rows reachable from a listing listed on one of the distributor's marketplaces,
        none of them a draft or under one."""
        if self.listing_lookup is None:
            return self.none()
        from catalog.models import Listing

        listed = Listing.objects.for_distributor(distributor)
        return self.filter(
            Exists(listed.filter(**{self.listing_lookup: OuterRef(self.listing_ref)}))
        ).without_drafts()

    def without_drafts(self) -> ScopedQuerySet:
        """Rows none of whose ``draft_lookups`` is a draft."""
        if not self.draft_lookups:
            return self
        drafts = Q()
        for lookup in self.draft_lookups:
            drafts |= Q(**{lookup: DRAFT})
        return self.exclude(drafts)


def scoped(
    vendor_lookup: str,
    listing_lookup: str | None = None,
    listing_ref: str = "pk",
    drafts: tuple[str, ...] = (),
):
    """A ScopedQuerySet subclass with its paths filled in."""
    return type(
        "ScopedQuerySet",
        (ScopedQuerySet,),
        {
            "vendor_lookup": vendor_lookup,
            "listing_lookup": listing_lookup,
            "listing_ref": listing_ref,
            "draft_lookups": drafts,
        },
    )


class VendorQuerySet(ScopedQuerySet):
    vendor_lookup = "pk"

    def for_distributor(self, distributor):
        return self.none()


class MarketplaceQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser) -> MarketplaceQuerySet:
        """Vendors and superusers see every marketplace; distributors their admitted ones."""
        if not getattr(user, "is_active", False) or not user.is_authenticated:
            return self.none()
        if user.is_superuser or vendor_of(user):
            return self
        if distributor := distributor_of(user):
            return self.filter(distributors=distributor)
        return self.none()


class ListingQuerySet(ScopedQuerySet):
    vendor_lookup = "offer__product__vendor"

    def listed(self) -> ListingQuerySet:
        return self.filter(status="listed")

    def for_distributor(self, distributor):
        """Listed on one of the distributor's marketplaces, and of a product that is no draft."""
        return (
            self.listed()
            .filter(marketplace__distributors=distributor)
            .exclude(offer__product__status=DRAFT)
        )
