"""A row that ``loaddata`` writes gets no history record of its own: the fixture carries the
row's history already (``dumpdata`` of the whole installation dumps the history tables too).

Django saves a fixture's row "raw" (``save_base(raw=True)``) and sends ``post_save`` with
``raw=True``; django-simple-history writes no record then. It then sets the row's
many-to-many fields, and ``m2m_changed`` says nothing of a raw load: simple-history's handler
for a model that keeps the history of such a field (``HistoricalRecords(m2m_fields=...)``, a
distributor's marketplaces) wrote a "changed" record dated at load time. On PostgreSQL that
record took an id from a fresh sequence, the id of a history record the fixture held, and the
load failed (``historicaldistributor_pkey ... already exists``); on SQLite it was one more
record in the trail. The handler skips an instance marked ``skip_history_when_saving`` (its
documented switch), so this receiver marks every row a fixture saves, right after its raw save
and before its many-to-many fields are set. The instance is the deserializer's own, used for
that row alone.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, dispatch_uid="catalog.fixture_rows_add_no_history")
def fixture_row_adds_no_history(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        instance.skip_history_when_saving = True
