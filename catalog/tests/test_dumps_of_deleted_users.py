"""``dumpdata --natural-foreign`` still works once a user with a membership is deleted: the
membership's history keeps the user's id, which no user has any more, so that reference is
written as the id it is (a live user's as the username) and loads back as it was."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Membership
from catalog.tests.factories import vendor_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(vendor):
    kept = vendor_staff(vendor, username="kept")
    gone = vendor_staff(vendor, username="gone")
    gone_id = gone.pk
    gone.delete()  # its membership goes with it; the history keeps both records
    return kept, gone_id


def dumped_users() -> dict[str, object]:
    out = StringIO()
    call_command("dumpdata", "catalog.historicalmembership", natural_foreign=True, stdout=out)
    return {
        row["fields"]["history_type"] + str(row["fields"]["id"]): row["fields"]["user"]
        for row in json.loads(out.getvalue())
    }


def records() -> list[tuple]:
    return list(
        Membership.history.order_by("history_id").values_list(
            "history_id", "history_date", "history_type", "id", "user_id", "vendor_id"
        )
    )


def test_a_deleted_users_history_is_dumped_with_its_id_and_a_live_users_with_its_name(users):
    kept, gone_id = users
    membership_ids = dict(Membership.history.values_list("user_id", "id").distinct())

    written = dumped_users()

    assert written == {
        f"+{membership_ids[kept.pk]}": ["kept"],
        f"+{membership_ids[gone_id]}": gone_id,
        f"-{membership_ids[gone_id]}": gone_id,
    }


def test_that_dump_loads_back_to_the_same_history(users, tmp_path):
    before = records()
    fixture = tmp_path / "memberships.json"
    call_command(
        "dumpdata", "catalog.historicalmembership", natural_foreign=True, output=str(fixture)
    )
    Membership.history.all().delete()

    call_command("loaddata", str(fixture), stdout=StringIO())

    assert records() == before
