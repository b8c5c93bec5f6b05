"""What an import run knows: the vendor, who imports and why, and the vendor's rows by
their natural keys (names, MPNs, codes), loaded once each and kept up to date as rows are
created, so a row may name a product, an item or an offering made a few rows before it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from catalog.models import (
    Feature,
    FeatureGroup,
    Item,
    ItemGroup,
    Marketplace,
    Offer,
    Plan,
    Product,
    Vendor,
)
from pricing.models import Offering, Rate

GROUP_SEPARATOR = " / "


class Refused(Exception):
    """A row that cannot be imported, with the sentence that says why."""


@dataclass
class ImportContext:
    vendor: Vendor
    by: AbstractBaseUser | None = None
    reason: str = ""
    _cache: dict[str, Any] = field(default_factory=dict)

    def _load(self, name: str, loader):
        if name not in self._cache:
            self._cache[name] = loader()
        return self._cache[name]

    def forget(self, *names: str) -> None:
        for name in names:
            self._cache.pop(name, None)

    def _elsewhere(self, model, label: str, value: str, **lookup) -> Refused:
        """Not this vendor's: say so when another vendor has one, else that none exists."""
        if model._base_manager.filter(**lookup).exists():
            return Refused(f"{label} {value!r} belongs to another vendor.")
        return Refused(f"No {label.lower()} {value!r} in {self.vendor.name}'s catalog.")

    # Products, groups, items ----------------------------------------------------------------

    @property
    def products(self) -> dict[str, Product]:
        return self._load(
            "products", lambda: {p.name: p for p in Product.objects.filter(vendor=self.vendor)}
        )

    def product(self, name: str) -> Product:
        if product := self.products.get(name):
            return product
        raise self._elsewhere(Product, "Product", name, name=name)

    @property
    def groups(self) -> dict[tuple[int, str], ItemGroup]:
        def load():
            groups = ItemGroup.objects.filter(product__vendor=self.vendor)
            by_pk = {group.pk: group for group in groups}
            result = {}
            for group in by_pk.values():
                names, node, seen = [], group, set()
                while node is not None and node.pk not in seen:
                    seen.add(node.pk)
                    names.append(node.name)
                    node = by_pk.get(node.parent_id)
                result[(group.product_id, GROUP_SEPARATOR.join(reversed(names)))] = group
            return result

        return self._load("groups", load)

    def group(self, product: Product, path: str) -> ItemGroup | None:
        if not path:
            return None
        if group := self.groups.get((product.pk, path)):
            return group
        raise Refused(f"Product {product.name!r} has no item group {path!r}.")

    @property
    def items(self) -> dict[tuple[int, str], Item]:
        return self._load(
            "items",
            lambda: {
                (item.product_id, item.mpn): item
                for item in Item.objects.filter(product__vendor=self.vendor)
            },
        )

    def item(self, product_name: str, mpn: str) -> Item:
        product = self.product(product_name)
        if item := self.items.get((product.pk, mpn)):
            return item
        raise Refused(f"Product {product_name!r} has no item {mpn!r}.")

    @property
    def items_by_mpn(self) -> dict[str, list[Item]]:
        """The items by MPN alone, built once (the items sheet forgets it when it writes)."""

        def load():
            by_mpn = defaultdict(list)
            for item in self.items.values():
                by_mpn[item.mpn].append(item)
            return by_mpn

        return self._load("items_by_mpn", load)

    def item_named(self, text: str) -> Item:
        """An item of an application list: "MPN", or "Product / MPN" where two products of
        the vendor use the MPN."""
        if GROUP_SEPARATOR.strip() in text:
            product, _, mpn = text.rpartition(GROUP_SEPARATOR.strip())
            return self.item(product.strip(), mpn.strip())
        found = self.items_by_mpn.get(text, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise Refused(f"Two products have an item {text!r}: write it as 'Product / {text}'.")
        raise self._elsewhere(Item, "Item", text, mpn=text)

    # Offers ---------------------------------------------------------------------------------

    @property
    def offers(self) -> dict[tuple[int, str], Offer]:
        return self._load(
            "offers",
            lambda: {
                (offer.product_id, offer.name): offer
                for offer in Offer.objects.filter(product__vendor=self.vendor)
            },
        )

    def offer(self, product_name: str, name: str) -> Offer:
        product = self.product(product_name)
        if offer := self.offers.get((product.pk, name)):
            return offer
        raise Refused(f"Product {product_name!r} has no offer {name!r}.")

    @property
    def plans(self) -> dict[tuple[int, str], Plan]:
        return self._load(
            "plans",
            lambda: {
                (plan.offer_id, plan.name): plan
                for plan in Plan.objects.filter(offer__product__vendor=self.vendor)
            },
        )

    def plan(self, offer: Offer, name: str) -> Plan:
        if plan := self.plans.get((offer.pk, name)):
            return plan
        raise Refused(f"Offer {offer.name!r} has no plan {name!r}.")

    @property
    def feature_groups(self) -> dict[tuple[int, str], FeatureGroup]:
        return self._load(
            "feature_groups",
            lambda: {
                (group.offer_id, group.name): group
                for group in FeatureGroup.objects.filter(
                    offer__product__vendor=self.vendor
                ).order_by("-pk")  # the first of two groups of one name wins
            },
        )

    @property
    def features(self) -> dict[tuple[int, str], Feature]:
        return self._load(
            "features",
            lambda: {
                (feature.group_id, feature.name): feature
                for feature in Feature.objects.filter(
                    group__offer__product__vendor=self.vendor
                ).order_by("-pk")
            },
        )

    def feature(self, offer: Offer, group_name: str, name: str) -> Feature:
        group = self.feature_groups.get((offer.pk, group_name))
        if group is None:
            raise Refused(f"Offer {offer.name!r} has no feature group {group_name!r}.")
        if feature := self.features.get((group.pk, name)):
            return feature
        raise Refused(f"Feature group {group_name!r} has no feature {name!r}.")

    @property
    def marketplaces(self) -> dict[str, Marketplace]:
        return self._load("marketplaces", lambda: {m.code: m for m in Marketplace.objects.all()})

    def marketplace(self, code: str) -> Marketplace | None:
        if not code:
            return None
        if marketplace := self.marketplaces.get(code):
            return marketplace
        raise Refused(f"No marketplace with the code {code!r}.")

    # Offerings and rates --------------------------------------------------------------------

    @property
    def offerings(self) -> dict[str, list[Offering]]:
        def load():
            by_name = defaultdict(list)
            for offering in Offering.objects.filter(vendor=self.vendor).order_by("pk"):
                by_name[offering.name].append(offering)
            return by_name

        return self._load("offerings", load)

    def find_offering(self, name: str) -> Offering | None:
        found = self.offerings.get(name, [])
        if len(found) > 1:
            raise Refused(
                f"{len(found)} offerings are named {name!r}: rename all but one before importing."
            )
        return found[0] if found else None

    def offering(self, name: str) -> Offering:
        if offering := self.find_offering(name):
            return offering
        raise self._elsewhere(Offering, "Offering", name, name=name)

    @property
    def rates(self) -> dict[tuple[int, str], list[Rate]]:
        def load():
            by_key = defaultdict(list)
            for rate in Rate.objects.filter(offering__vendor=self.vendor).order_by("pk"):
                by_key[(rate.offering_id, rate.name)].append(rate)
            return by_key

        return self._load("rates", load)

    def find_rate(self, offering: Offering, name: str) -> Rate | None:
        found = self.rates.get((offering.pk, name), [])
        if len(found) > 1:
            raise Refused(f"Offering {offering.name!r} has {len(found)} rates named {name!r}.")
        return found[0] if found else None

    def rate(self, offering_name: str, name: str) -> Rate:
        offering = self.offering(offering_name)
        if rate := self.find_rate(offering, name):
            return rate
        raise Refused(f"Offering {offering_name!r} has no rate {name!r}.")
