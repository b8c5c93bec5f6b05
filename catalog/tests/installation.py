"""Rows for the database move test (``test_dump_and_load.py``), and every row read back.

Both run inside ``manage.py shell -c`` against the database that ``DATABASE_URL`` names, in
their own process: ``build(path)`` loads the demo data and adds what a move must carry and
the demo lacks (``add_rows``); ``write_rows(path)`` writes a JSON picture of the whole
installation that two databases holding the same rows give alike.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from uuid import UUID

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.db.models import AutoField, BigAutoField, ForeignKey, Max
from django.test.utils import override_settings
from rest_framework.authtoken.models import Token

from catalog.models import Membership, Vendor
from catalog.tests.factories import (
    DistributorFactory,
    ItemFactory,
    MarketplaceFactory,
    VendorFactory,
    build_catalog,
    distributor_user,
    vendor_staff,
)
from pricing import quote_lines, rates, selling, services
from pricing.models import Quote
from pricing.pricebook import IntervalSpec, TierSpec
from pricing.tests.factories import percent_of_total_offering

D = Decimal
# Three records of one row 300 µs apart: a dump in milliseconds would tie two of them.
CLOSE_DATES = [
    datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC) + timedelta(microseconds=300 * n)
    for n in range(3)
]


def build(path: str) -> None:
    """The demo data and the rows added to it, then their picture (``write_rows``). Passwords
    are hashed the fast way here: their hashes move as text like any other column."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=StringIO())
        add_rows()
    write_rows(path)


def add_rows() -> None:
    """History with several changes per row (by a user), a deleted user who had a
    membership, processed quotes over several charge models, a token, a log entry, a session."""
    vendor = VendorFactory(name="Moving Software", slug="moving-software")
    markets = MarketplaceFactory.create_batch(3)
    distributor = DistributorFactory(name="Moving Distribution", marketplaces=markets[:2])
    member = distributor_user(distributor, username="moving-distributor")
    for name in ("Moving Software Ltd", "Moving Software plc"):
        vendor.name, vendor._history_user = name, member
        vendor.save()
    distributor.marketplaces.add(markets[2])
    distributor.marketplaces.remove(markets[0])
    distributor.slug = "moving-distribution"
    distributor.save()
    for record, when in zip(
        Vendor.history.filter(id=vendor.pk).order_by("history_id"), CLOSE_DATES, strict=True
    ):
        Vendor.history.filter(pk=record.pk).update(history_date=when)
    build_catalog(vendor, 3, marketplace=markets[1])

    leaver = vendor_staff(vendor, username="leaver")
    Membership.objects.filter(user=leaver).get().save()  # one more history record
    leaver.delete()  # the membership goes; its history keeps the user's id

    Token.objects.create(user=member)
    LogEntry.objects.create(
        user=member,
        content_type=ContentType.objects.get_for_model(Vendor),
        object_id=str(vendor.pk),
        object_repr=str(vendor),
        action_flag=CHANGE,
        change_message="[]",
    )
    session = SessionStore()
    session["moving"] = True
    session.create()
    processed_quotes(vendor)
    MarketplaceFactory().delete()  # the highest id, held by its history alone


def processed_quotes(vendor) -> None:
    """Seats with support at a percentage, and usage in tiers priced three times over."""
    support = percent_of_total_offering(
        vendor,
        seat_price="12.37",
        seats=7,
        percents=[IntervalSpec("month", 2, D("10.5")), IntervalSpec(price=D("17.25"))],
        pricing_type="interval",
    )
    product = support["seats"].product
    base = ItemFactory(product=product, kind="subscription", mpn="MOVE-BASE")
    usage = ItemFactory(product=product, kind="usage", mpn="MOVE-CALLS")
    metered = services.offering_create(
        vendor=vendor, name="Calls", type="subscription", start_date=date(2026, 1, 1)
    )
    services.offering_set_items(
        offering=metered,
        lines=[services.OfferingLine(item=base), services.OfferingLine(item=usage)],
    )
    rate = rates.rate_create(offering=metered, name="Usage", currency="USD")
    rates.price_book_item_save(
        rate=rate, item=base, charge_model="flat_fee", intervals=[IntervalSpec(price=D("49.99"))]
    )
    for price in ("0.0333", "0.0317", "0.0299"):  # the price changed twice before selling
        rates.price_book_item_save(
            rate=rate,
            item=usage,
            charge_model="tiered",
            intervals=[
                IntervalSpec(
                    tiers=(
                        TierSpec(D(0), D(1000), D(price), flat_amount=D("1.99")),
                        TierSpec(D(1000), None, D(price) - D("0.0111")),
                    )
                )
            ],
            instance=rate.price_book_items.filter(item=usage).first(),
        )
    rates.rate_activate(rate=rate)
    for seats, calls, periods in ((1, 10, 1), (7, 1234, 12), (13, 98765, 37)):
        quote = selling.quote_create(
            vendor=vendor,
            customer=f"Customer of {seats}",
            currency="USD",
            start_date=date(2026, 1, 31),
            periods=periods,
        )
        for offering, line_rate, item, quantity in (
            (support["seats_offering"], support["seats_rate"], support["seats"], seats),
            (support["offering"], support["rate"], support["percent"], 1),
            (metered, rate, base, 1),
            (metered, rate, usage, calls),
        ):
            quote_lines.quote_add_line(
                quote=quote, offering=offering, rate=line_rate, item=item, quantity=quantity
            )
        selling.quote_process(quote=quote, on=date(2026, 1, 31))


def natural_keys() -> dict[type, dict]:
    """Content types and permissions are made anew by ``migrate``, under other ids maybe:
    a reference to one is read as its natural key."""
    types = {
        pk: [app, model]
        for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")
    }
    perms = {
        pk: [*types[ct], codename]
        for pk, ct, codename in Permission.objects.values_list("pk", "content_type", "codename")
    }
    return {ContentType: types, Permission: perms}


def plain(value) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def every_row() -> dict[str, list[str]]:
    """Each table's rows, sorted, each a JSON object of its columns. The rows ``migrate`` makes
    (content types, permissions) and those ``loaddata`` makes anew (the rows of Django's own
    many-to-many tables) are read without their ids."""
    keys = natural_keys()
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        renumbered = model in keys or meta.auto_created
        fields = [f for f in meta.concrete_fields if not (renumbered and f.primary_key)]
        looked_up = [
            keys[f.related_model] if isinstance(f, ForeignKey) and f.related_model in keys else None
            for f in fields
        ]
        names = [f.attname for f in fields]
        tables[meta.label_lower] = sorted(
            json.dumps(
                {
                    name: plain(lookup[v] if lookup and v is not None else v)
                    for name, v, lookup in zip(names, row, looked_up, strict=True)
                },
                sort_keys=True,
            )
            for row in model._base_manager.values_list(*names)
        )
    return tables


def processed_totals() -> dict[str, dict]:
    """Each processed quote's stored total and lines, and the same recomputed from the
    prices its lines froze (``selling.quote_recompute``)."""
    totals = {}
    for quote in Quote.objects.filter(status=Quote.Status.PROCESSED).order_by("pk"):
        recomputed = selling.quote_recompute(quote)
        totals[quote.reference] = {
            "total": str(quote.total),
            "recomputed": str(sum(recomputed.values(), D(0))),
            "lines": {
                str(pk): [str(amount), str(recomputed[pk])]
                for pk, amount in quote.lines.values_list("pk", "amount")
            },
        }
    return totals


def ids_held() -> dict[type, int]:
    """Each model's highest id held anywhere: by its rows, by its history records (which keep
    deleted rows' ids) and by every column that refers to it."""
    held = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation:
                owner = field.related_model
            elif field.primary_key:
                owner = model
            elif getattr(model, "instance_type", None) and field.name == "id":
                owner = model.instance_type  # a history record: the id of its row
            else:
                continue
            held[owner].append(model._base_manager.aggregate(top=Max(field.attname))["top"])
    return {model: max(v for v in ids if v is not None) for model, ids in held.items() if any(ids)}


def stale_sequences() -> list[str]:
    """Tables whose next generated id is one the installation already holds."""
    stale = []
    with connection.cursor() as cursor:
        for model, highest in ids_held().items():
            pk = model._meta.pk
            if not isinstance(pk, AutoField | BigAutoField):
                continue
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
                cursor.execute(f"SELECT last_value, is_called FROM {cursor.fetchone()[0]}")
                last, called = cursor.fetchone()
                following = last + 1 if called else last
            else:
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                following = (cursor.fetchone() or [0])[0] + 1
            if following <= highest:
                stale.append(f"{table}: next id {following}, {highest} is held")
    return sorted(stale)


def write_rows(path: str) -> None:
    with open(path, "w") as out:
        json.dump(
            {
                "vendor": connection.vendor,
                "rows": every_row(),
                "quotes": processed_totals(),
                "stale_sequences": stale_sequences(),
            },
            out,
            indent=1,
        )
