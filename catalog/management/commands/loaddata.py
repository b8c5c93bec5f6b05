"""Django's ``loaddata``, with every id sequence moved past the ids the history still holds
(``catalog.id_sequences``): a row loaded into a new database keeps its id, and a new row never
gets the id of a deleted one whose history was loaded. Its arguments and options are Django's."""

from __future__ import annotations

from django.core.management.commands import loaddata

from catalog.id_sequences import continue_past_every_id


class Command(loaddata.Command):
    def reset_sequences(self, connection, models) -> None:
        super().reset_sequences(connection, models)
        continue_past_every_id(connection)
