"""``loaddata`` writes the rows as they were dumped and nothing else: no history record of
its own, whatever the row's many-to-many fields (a distributor's marketplaces keep history,
``HistoricalRecords(m2m_fields=...)``, and the fixture sets them after the row is saved)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Distributor
from catalog.tests.factories import DistributorFactory, MarketplaceFactory

pytestmark = pytest.mark.django_db

LABELS = ["catalog.distributor", "catalog.historicaldistributor"]


def records() -> list[tuple]:
    history = Distributor.history.model
    return [
        (record.history_id, record.history_date, record.history_type, record.name, marketplaces)
        for record in history.objects.order_by("history_id")
        for marketplaces in [sorted(m.marketplace_id for m in record.marketplaces.all())]
    ]


def dump() -> str:
    out = StringIO()
    call_command("dumpdata", *LABELS, natural_foreign=True, stdout=out)
    return out.getvalue()


def load(tmp_path, text: str) -> None:
    fixture = tmp_path / "distributors.json"
    fixture.write_text(text)
    call_command("loaddata", str(fixture), stdout=StringIO())


def test_a_distributor_with_marketplaces_loads_back_with_exactly_its_dumped_history(tmp_path):
    markets = MarketplaceFactory.create_batch(2)
    distributor = DistributorFactory(marketplaces=markets)
    distributor.name = "Renamed"
    distributor.save()
    distributor.marketplaces.remove(markets[0])
    before, text = records(), dump()
    assert len(before) == 4  # created, marketplaces set, renamed, one marketplace removed

    Distributor.objects.all().delete()
    Distributor.history.all().delete()
    load(tmp_path, text)

    assert records() == before
    assert list(Distributor.objects.get().marketplaces.all()) == [markets[1]]
