"""The ``json`` format of ``dumpdata`` and ``loaddata``: Django's, writing what it cuts off.

Registered for the name ``json`` in ``SERIALIZATION_MODULES`` (settings), so Django's own
commands and flags use it as they are (``dumpdata --natural-foreign``, ``loaddata x.json``),
and every other caller of ``django.core.serializers`` too. Two differences from Django's:

- Times keep their microseconds. Django's ``DjangoJSONEncoder`` cuts them to milliseconds
  (ECMA-262's format), but both databases store microseconds: a history record's date would
  change in a move, and two changes within one millisecond would tie and swap places in a
  row's audit trail.
- With ``--natural-foreign``, a reference to a row that no longer exists is written as the
  id it holds. History records point at rows without a database constraint and keep pointing
  after the row is deleted (a deleted user's membership history keeps the user's id); Django
  would ask the missing row for its natural key and stop the whole dump. ``loaddata`` reads
  an id there as an id (a natural key is a list), so the record loads back as it was.

The reader is Django's: Python's ``datetime.fromisoformat`` reads every microsecond back.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import is_aware

Deserializer = django_json.Deserializer


class ExactJSONEncoder(DjangoJSONEncoder):
    """``DjangoJSONEncoder`` with datetimes and times to the microsecond (ISO 8601)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        super()._init_options()
        if self.json_kwargs["cls"] is DjangoJSONEncoder:  # a caller's own encoder is kept
            self.json_kwargs["cls"] = ExactJSONEncoder

    def handle_fk_field(self, obj, field) -> None:
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:  # a natural key asked of a row that is gone: its id
            self._current[field.name] = self._value_from_field(obj, field)
