"""After ``loaddata``, a new row never gets an id the loaded installation holds: not a live
row's, and not a deleted row's whose id its history (or another row's history) still holds.

A new database's counters start from what the load inserts; the ids of deleted rows are not
inserted anywhere but in history records. Each test puts the counter where a new database
would have it after Django's own load (at the highest live id), then loads the dump.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from catalog.models import Marketplace, Membership
from catalog.tests.factories import MarketplaceFactory, UserFactory, vendor_staff

pytestmark = pytest.mark.django_db


def counter_at_highest_live_id(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM {table}", [table]
            )
        else:
            cursor.execute(
                f"UPDATE sqlite_sequence SET seq = (SELECT max(id) FROM {table}) WHERE name = %s",
                [table],
            )


def reload(tmp_path, *labels: str) -> None:
    fixture = tmp_path / "dump.json"
    call_command("dumpdata", *labels, natural_foreign=True, output=str(fixture))
    call_command("loaddata", str(fixture), stdout=StringIO())


def test_a_new_user_never_gets_the_id_of_a_deleted_user_with_a_membership(vendor, tmp_path):
    vendor_staff(vendor, username="kept")
    gone = vendor_staff(vendor, username="gone")
    gone_id = gone.pk
    gone.delete()
    counter_at_highest_live_id(get_user_model())

    reload(tmp_path, "auth.user", "catalog.historicalmembership")
    new = UserFactory(username="newcomer")

    assert new.pk > gone_id
    assert not Membership.history.filter(user_id=new.pk).exists()


def test_a_new_row_never_starts_with_the_history_of_a_deleted_one(tmp_path):
    MarketplaceFactory()
    MarketplaceFactory(code="gone").delete()
    counter_at_highest_live_id(Marketplace)

    reload(tmp_path, "catalog.marketplace", "catalog.historicalmarketplace")
    new = MarketplaceFactory(code="new")

    assert list(Marketplace.history.filter(id=new.pk).values_list("code", "history_type")) == [
        ("new", "+")
    ]
