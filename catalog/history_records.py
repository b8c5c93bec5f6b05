"""django-simple-history's ``HistoricalRecords``, whose history manager class is made once.

The library's descriptor (``Model.history``) makes its manager's class anew on every access
(``HistoryManager.from_queryset``, which walks the queryset class's methods with
``inspect``): about 0.1 ms, and every tracked save asks for it once (the library's
``post_save`` reads ``instance.history``), as does every ``bulk_history_create``. The class
depends on the queryset class alone, so ``HistoryManager`` here makes it once per queryset
class; every tracked model declares ``history = HistoricalRecords()`` from this module
(``catalog/tests/test_history_manager_made_once.py`` checks that none is left out).
"""

from __future__ import annotations

import functools

from simple_history import manager, models


class HistoryManager(manager.HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
