"""A JSON dump keeps every time to the microsecond, as the databases store it: Django's own
encoder cuts them to milliseconds, which would make two changes a few microseconds apart
equal in time and reorder a row's audit trail once loaded elsewhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command

from catalog.dump_json import ExactJSONEncoder
from catalog.models import Vendor
from catalog.tests.factories import VendorFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)


@pytest.fixture
def trail():
    """A vendor renamed twice within one millisecond (dates set: a fast machine does it)."""
    vendor = VendorFactory(name="First")
    for name in ("Second", "Third"):
        vendor.name = name
        vendor.save()
    for step, record in enumerate(Vendor.history.order_by("history_id")):
        moved = WHEN + timedelta(microseconds=step * 300)
        Vendor.history.filter(pk=record.pk).update(history_date=moved)
    return vendor


def dates() -> list[tuple[str, datetime]]:
    return [(r.name, r.history_date) for r in Vendor.history.order_by("history_date", "name")]


def test_dumpdata_writes_every_microsecond(trail):
    out = StringIO()
    call_command("dumpdata", "catalog.historicalvendor", stdout=out)

    written = [row["fields"]["history_date"] for row in json.loads(out.getvalue())]
    assert sorted(written) == [
        "2026-03-04T05:06:07.123456Z",
        "2026-03-04T05:06:07.123756Z",
        "2026-03-04T05:06:07.124056Z",
    ]


def test_a_trail_loaded_back_keeps_its_dates_and_its_order(trail, tmp_path):
    before = dates()
    assert [name for name, _ in before] == ["First", "Second", "Third"]
    fixture = tmp_path / "vendors.json"
    call_command("dumpdata", "catalog.historicalvendor", output=str(fixture))
    Vendor.history.update(history_date=datetime(2000, 1, 1, tzinfo=UTC))

    call_command("loaddata", str(fixture), stdout=StringIO())

    assert dates() == before


def test_times_of_day_keep_their_microseconds_too():
    assert json.dumps(WHEN.timetz().replace(tzinfo=None), cls=ExactJSONEncoder) == (
        '"05:06:07.123456"'
    )


def test_the_json_format_is_ours_for_every_caller():
    assert serializers.get_serializer("json").__module__ == "catalog.dump_json"
