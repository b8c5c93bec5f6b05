"""A ``replica`` database alias for the tests of the read-replica router, and the settings
that turn the router on (as ``DATABASE_REPLICA_URL`` does in ``catalog_site/settings.py``).

The alias is added to the test run's connections for one module: as a test mirror of the test
database (the same data, another connection: the tests that use it are transactional, so the
rows they make are committed and the replica sees them), or as a database of its own.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext

from catalog_site.db_router import REPLICA

ROUTERS = ["catalog_site.db_router.ReplicaRouter"]
MIDDLEWARE = "catalog_site.db_router.ReplicaReadsMiddleware"


@contextmanager
def replica_alias(*, name: str | None = None) -> Iterator[BaseDatabaseWrapper]:
    """``connections["replica"]``: a mirror of the test database, or the database ``name``."""
    replica = copy.deepcopy(connections["default"].settings_dict)
    if name is None:
        replica["TEST"]["MIRROR"] = "default"
    else:
        replica["NAME"] = name
    configured = connections.settings.get(REPLICA)  # DATABASE_REPLICA_URL's, if set
    close_replica()
    connections.settings[REPLICA] = replica
    try:
        yield connections[REPLICA]
    finally:
        close_replica()
        if configured is None:
            del connections.settings[REPLICA]
        else:
            connections.settings[REPLICA] = configured


def close_replica() -> None:
    if REPLICA in {c.alias for c in connections.all(initialized_only=True)}:
        connections[REPLICA].close()
        del connections[REPLICA]


def route_to_replica(settings) -> None:
    """Turn the router on, as settings.py does when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ROUTERS
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]


class Queries:
    """The SQL each alias ran inside the block: ``.primary`` and ``.replica``."""

    def __init__(self) -> None:
        self._default = CaptureQueriesContext(connections["default"])
        self._replica = CaptureQueriesContext(connections[REPLICA])

    def __enter__(self) -> Queries:
        self._default.__enter__()
        self._replica.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._replica.__exit__(*exc)
        self._default.__exit__(*exc)

    @property
    def primary(self) -> list[str]:
        return [query["sql"] for query in self._default.captured_queries]

    @property
    def replica(self) -> list[str]:
        return [query["sql"] for query in self._replica.captured_queries]


def tables(queries: list[str]) -> set[str]:
    """The tables named after FROM in ``queries`` (enough to tell data from auth reads)."""
    found = set()
    for sql in queries:
        for part in sql.split(" FROM ")[1:]:
            found.add(part.split()[0].strip('"'))
    return found
