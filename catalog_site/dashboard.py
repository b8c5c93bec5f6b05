"""The admin home's dashboard: what waits for a vendor's staff (drafts, listings that show
"Price on request"), what is locked and why, what changed lately, and which changes the lock
refused. Pure reads through each model's
``visible_to(user)``, in a fixed number of queries however big the catalog is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from catalog.models import Item, Listing, Offer, Product
from pricing.lock import lock_reasons_by_offering, with_lock_flag
from pricing.models import LockRefusal, Offering, PriceBookItem, Quote, Rate
from pricing.unpriced import listings_with_unpriced_plans

SHOWN = 8  # rows per list

# (label, model, status field lookup, draft value): the drafts waiting for someone.
DRAFTS = [
    ("Draft products", Product, "draft"),
    ("Draft items", Item, "draft"),
    ("Draft listings", Listing, "draft"),
    ("Draft rates", Rate, "draft"),
    ("Draft quotes", Quote, "draft"),
]


def _text(row, field: str = "name") -> str:
    """A related row's name, or that it is gone (history outlives the rows it names)."""
    return getattr(row, field) if row is not None else "(deleted)"


# The models whose history makes "recent changes": the path from a historical row to its
# vendor, what to load with it, and how it reads (never a query per row).
HISTORIES = [
    (Product, "vendor", (), lambda row: row.name),
    (Item, "product__vendor", (), lambda row: f"{row.name} [{row.mpn}]"),
    (Offer, "product__vendor", (), lambda row: row.name),
    (Listing, "offer__product__vendor", ("offer", "marketplace"),
     lambda row: f"{_text(row.offer)} on {_text(row.marketplace)}"),
    (Offering, "vendor", (), lambda row: row.name),
    (Rate, "offering__vendor", ("offering",), lambda row: f"{_text(row.offering)}: {row.name}"),
    (PriceBookItem, "rate__offering__vendor", ("item", "rate"),
     lambda row: f"{_text(row.item, 'mpn')} in rate {_text(row.rate)!r}"),
    (Quote, "vendor", (), lambda row: f"Q-{row.id} ({row.customer})"),
]  # fmt: skip
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Change:
    when: datetime
    kind: str
    what: str  # the model's name
    row: str  # the row as text
    who: str
    why: str
    url: str  # the row's history page


@dataclass
class Dashboard:
    drafts: list[Count] = field(default_factory=list)
    locked_count: int = 0
    locked: list[tuple[Offering, list[str]]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    refusals: list[LockRefusal] = field(default_factory=list)
    unpriced_count: int = 0
    unpriced: list[tuple[Listing, list[str]]] = field(default_factory=list)
    lint_errors: int = 0  # the price-book linter's findings (insights.lint)
    lint_warnings: int = 0
    lint_url: str | None = None


def _changelist(model, **filters) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return f"{url}?{query}" if query else url


def _history_rows(user: AbstractBaseUser, model, vendor_path: str, related: tuple):
    rows = model.history.select_related("history_user", *related)
    if not user.is_superuser:
        vendors = model._default_manager.visible_to(user).values(vendor_path)
        rows = rows.filter(**{f"{vendor_path}__in": vendors})
    return rows.order_by("-history_date", "-history_id")[:SHOWN]


def dashboard_for(user: AbstractBaseUser) -> Dashboard:
    """The dashboard of what ``user`` may see; empty for a user who sees no vendor's rows."""
    board = Dashboard()
    if not (user.is_active and user.is_staff):
        return board
    for label, model, draft in DRAFTS:
        count = model._default_manager.visible_to(user).filter(status=draft).count()
        if count:
            board.drafts.append(Count(label, count, _changelist(model, status__exact=draft)))

    locked = with_lock_flag(Offering.objects.visible_to(user)).filter(
        locked=True, status=Offering.Status.ACTIVE
    )
    board.locked_count = locked.count()
    shown = list(locked.order_by("name", "pk").only("pk", "name")[:SHOWN])
    reasons = lock_reasons_by_offering([offering.pk for offering in shown])
    board.locked = [(offering, reasons[offering.pk]) for offering in shown]

    changes = []
    for model, vendor_path, related, words in HISTORIES:
        for row in _history_rows(user, model, vendor_path, related):
            meta = model._meta
            changes.append(
                Change(
                    when=row.history_date,
                    kind=KINDS.get(row.history_type, row.history_type),
                    what=str(meta.verbose_name).capitalize(),
                    row=words(row),
                    who=row.history_user.get_username() if row.history_user else "—",
                    why=row.history_change_reason or "",
                    url=reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[row.id]),
                )
            )
    board.changes = sorted(changes, key=lambda change: change.when, reverse=True)[:SHOWN]
    listed = (
        Listing.objects.visible_to(user)
        .filter(status=Listing.Status.LISTED)
        .select_related("offer", "marketplace")
        .order_by("offer__name", "pk")
    )
    unpriced = listings_with_unpriced_plans(listed)
    board.unpriced_count, board.unpriced = len(unpriced), unpriced[:SHOWN]

    from insights.lint.admin_views import lint_count

    board.lint_errors, board.lint_warnings, board.lint_url = lint_count(user)
    board.refusals = list(
        LockRefusal.objects.visible_to(user)
        .select_related("offering", "user")
        .order_by("-at", "-pk")[:SHOWN]
    )
    return board
