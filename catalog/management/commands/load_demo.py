"""``manage.py load_demo``: a realistic demo catalog and one demo user per role.

The catalog itself is data in ``catalog/demo_data.py`` (the seeds' products, offers and
users) and ``pricing/demo.py`` (their prices, quotes and contracts); this module loads it.

Every row goes through ``catalog.services`` so it is validated like any other write. The
command is idempotent: each row is looked up by its natural key first and only created when
it is missing; existing rows (and users' passwords) are never saved again, so a second run
adds no rows and no history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand
from django.db import models

from catalog.demo_data import (
    DEMO_USERS,
    DISTRIBUTORS,
    LOGIN_URL,
    MARKETPLACES,
    OFFERS,
    PRODUCTS,
    TRANSLATIONS,
    VENDORS,
    OfferSpec,
    ProductSpec,
    matrix_cell,
)
from catalog.models import (
    AddOnRequirement,
    Distributor,
    Feature,
    FeatureGroup,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    Membership,
    Offer,
    Plan,
    PlanFeature,
    PlanItem,
    Product,
    Vendor,
)
from catalog.roles import ensure_role_groups
from catalog.rows import row_create
from catalog.services import (
    MatrixCell,
    item_add_path,
    item_create,
    item_group_create,
    item_require_base,
    item_translate,
    listing_publish,
    offer_matrix_save,
    plan_add_item,
    product_create,
)
from pricing.demo import load_pricing

# --- Loading ---------------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


def new(model: type[M]) -> Callable[..., M]:
    """A create function for a model without a service of its own (``catalog.rows``)."""
    return lambda **fields: row_create(model(**fields))


class DemoLoader:
    """Creates whatever part of the demo data is missing and counts what it created."""

    def __init__(self) -> None:
        self.created: Counter[type[models.Model]] = Counter()
        self.warnings: list[str] = []
        self.vendors: dict[str, Vendor] = {}
        self.marketplaces: dict[str, Marketplace] = {}
        self.distributors: dict[str, Distributor] = {}
        self.products: dict[tuple[str, str], Product] = {}  # (vendor slug, product name)
        self.items: dict[tuple[str, str], dict[str, Item]] = {}  # same key: {MPN: item}

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def summary(self) -> str:
        return ", ".join(
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model, count in self.created.items()
        )

    def count(self, model: type[models.Model], n: int = 1) -> None:
        self.created[model] += n

    def ensure(self, model: type[M], create: Callable[..., M], key: dict, **fields) -> M:
        """The row with this natural ``key``; ``create(**key, **fields)`` only when missing.

        An existing row is returned as it is, never saved again: edits made since the last
        load stay, and no history row is added.
        """
        row = model._default_manager.filter(**key).first()
        if row is None:
            row = create(**key, **fields)
            self.count(model)
        return row

    def load(self) -> None:
        self.load_organizations()
        for spec in PRODUCTS:
            self.load_product(spec)
        for spec in OFFERS:
            self.load_offer(spec)
        load_pricing(self)
        self.load_users()

    def load_organizations(self) -> None:
        for slug, name in VENDORS.items():
            self.vendors[slug] = self.ensure(Vendor, new(Vendor), {"slug": slug}, name=name)
        for code, name, currency, countries in MARKETPLACES:
            self.marketplaces[code] = self.ensure(
                Marketplace,
                new(Marketplace),
                {"code": code},
                name=name,
                currency=currency,
                countries=countries,
            )
        for slug, name, codes in DISTRIBUTORS:
            distributor = self.ensure(Distributor, new(Distributor), {"slug": slug}, name=name)
            admitted = set(distributor.marketplaces.values_list("code", flat=True))
            missing = [self.marketplaces[code] for code in codes if code not in admitted]
            if missing:  # add() records a history row even for marketplaces already there
                distributor.marketplaces.add(*missing)
                self.count(Distributor.marketplaces.through, len(missing))
            self.distributors[slug] = distributor

    def load_product(self, spec: ProductSpec) -> None:
        product = self.ensure(
            Product,
            product_create,
            {"vendor": self.vendors[spec.vendor], "name": spec.name},
            description=spec.description,
            category=spec.category,
            status=Product.Status.PUBLISHED,
        )
        self.products[spec.vendor, spec.name] = product

        groups: dict[tuple[str, ...], ItemGroup] = {}
        for position, (top_name, child_names) in enumerate(spec.tree):
            top = self.ensure(
                ItemGroup,
                item_group_create,
                {"product": product, "parent": None, "name": top_name},
                position=position,
            )
            groups[(top_name,)] = top
            for child_position, child_name in enumerate(child_names):
                groups[top_name, child_name] = self.ensure(
                    ItemGroup,
                    item_group_create,
                    {"product": product, "parent": top, "name": child_name},
                    position=child_position,
                )

        items = self.items[spec.vendor, spec.name] = {}
        for item_spec in spec.items:
            if item_spec.group and item_spec.group not in groups:
                raise ValueError(f"{item_spec.mpn}: no item group {' / '.join(item_spec.group)}")
            item = items[item_spec.mpn] = self.ensure(
                Item,
                item_create,
                {"product": product, "mpn": item_spec.mpn},
                name=item_spec.name,
                description=item_spec.description,
                kind=item_spec.kind,
                billing_period=item_spec.billing_period,
                unit=item_spec.unit,
                commitment_term=item_spec.commitment_term,
                status=Item.Status.PUBLISHED,
                group=groups.get(item_spec.group),
            )
            for locale, (name, description) in TRANSLATIONS.get(item_spec.mpn, {}).items():
                self.ensure(
                    ItemTranslation,
                    item_translate,
                    {"item": item, "locale": locale},
                    name=name,
                    description=description,
                )

        for source, target, kind in spec.paths:
            self.ensure(
                ItemPath,
                item_add_path,
                {"source": items[source], "target": items[target]},
                kind=kind,
            )
        for addon, bases in spec.addons.items():
            for base in bases:
                self.ensure(
                    AddOnRequirement,
                    item_require_base,
                    {"addon": items[addon], "base": items[base]},
                )

    def load_offer(self, spec: OfferSpec) -> None:
        items = self.items[spec.vendor, spec.product]
        offer = self.ensure(
            Offer,
            new(Offer),
            {"product": self.products[spec.vendor, spec.product], "name": spec.name},
            description=spec.description,
        )

        plans = []
        for position, (name, quantities) in enumerate(spec.plans):
            plan = self.ensure(Plan, new(Plan), {"offer": offer, "name": name}, position=position)
            plans.append(plan)
            for mpn, quantity in quantities.items():
                self.ensure(
                    PlanItem, plan_add_item, {"plan": plan, "item": items[mpn]}, quantity=quantity
                )

        cells: dict[tuple[int, int], MatrixCell] = {}
        for group_position, (group_name, rows) in enumerate(spec.features):
            group = self.ensure(
                FeatureGroup,
                new(FeatureGroup),
                {"offer": offer, "name": group_name},
                position=group_position,
            )
            for position, (feature_name, values) in enumerate(rows):
                if len(values) != len(plans):
                    raise ValueError(f"{spec.name} / {feature_name}: one cell per plan expected")
                # Keyed by position: seed 000 repeats a feature name inside one group.
                feature = self.ensure(
                    Feature, new(Feature), {"group": group, "position": position}, name=feature_name
                )
                for plan, value in zip(plans, values, strict=True):
                    cells[plan.pk, feature.pk] = matrix_cell(value)
        # Cells that already have a row are left alone: only missing ones are written.
        existing = set(
            PlanFeature.objects.filter(plan__offer=offer).values_list("plan_id", "feature_id")
        )
        missing = {key: cell for key, cell in cells.items() if key not in existing}
        if missing:
            self.count(PlanFeature, offer_matrix_save(offer=offer, cells=missing))

        for code, status in spec.listings.items():
            self.ensure(
                Listing,
                listing_publish,
                {"offer": offer, "marketplace": self.marketplaces[code]},
                status=status,
            )

    def load_users(self) -> None:
        ensure_role_groups()  # normally done after migrate; changes nothing when in step
        User = get_user_model()
        for spec in DEMO_USERS:
            user = self.ensure(
                User,
                create_user,
                {"username": spec.username},
                password=spec.password,
                is_staff=spec.is_staff,
                is_superuser=spec.is_superuser,
            )
            if spec.vendor or spec.distributor:
                organization = {
                    "vendor": self.vendors.get(spec.vendor),
                    "distributor": self.distributors.get(spec.distributor),
                }
                membership = self.ensure(
                    Membership, new(Membership), {"user": user}, **organization
                )
                if (membership.vendor, membership.distributor) != tuple(organization.values()):
                    self.warnings.append(
                        f"user {user} already belongs to "
                        f"{membership.vendor or membership.distributor}; left unchanged"
                    )
            if spec.group and not user.groups.filter(name=spec.group).exists():
                user.groups.add(Group.objects.get(name=spec.group))
                self.count(User.groups.through)


def create_user(*, username: str, password: str, **fields):
    """A new user with a checked, hashed password (set only here, when the user is created)."""
    user = get_user_model()(username=username, email=f"{username}@example.com", **fields)
    validate_password(password, user)
    user.set_password(password)
    return row_create(user)


class Command(BaseCommand):
    help = (
        "Load the demo catalog (Northwind Software, Fabrikam Apparel) and one demo user per "
        "role, then print the logins. Safe to run again: only missing rows are created."
    )

    def handle(self, *args, **options) -> None:
        loader = DemoLoader()
        # No transaction around the load: each service is its own (the outermost) one. A load
        # cut short leaves what it made; running the command again adds only what is missing.
        loader.load()
        for warning in loader.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if loader.total:
            self.stdout.write(
                self.style.SUCCESS(f"created {loader.total} rows ({loader.summary()})")
            )
        else:
            self.stdout.write("nothing to do: demo data already present")
        self.print_logins()

    def print_logins(self) -> None:
        name_width = max(len(user.username) for user in DEMO_USERS)
        password_width = max(len(user.password) for user in DEMO_USERS)
        self.stdout.write(f"\nDemo logins at {LOGIN_URL}")
        self.stdout.write(f"  {'username':<{name_width}}  {'password':<{password_width}}  role")
        for user in DEMO_USERS:
            self.stdout.write(
                f"  {user.username:<{name_width}}  {user.password:<{password_width}}  {user.role}"
            )
