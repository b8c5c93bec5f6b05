"""Portal and API reads from a read replica; everything else from the primary (``default``).

Installed by settings only when ``DATABASE_REPLICA_URL`` is set. ``ReplicaReadsMiddleware``
marks each request in a context variable; ``ReplicaRouter`` reads the mark for every query.
A read goes to the replica only when all of these hold, and to the primary otherwise:

- the request is a safe one (GET, HEAD, OPTIONS) under ``/portal/`` or ``/api/``: the admin,
  and every write with the reads it makes, stay on the primary;
- the model is catalog or pricing data, not who the user is: users, groups, tokens, sessions,
  login attempts, memberships and idempotency records are read back from the primary (a
  just-written row must be found);
- no transaction is open on the primary: services read what they lock inside their own
  (``select_for_update`` is a write query to Django and never reaches ``db_for_read``);
- the client has not written in the last ``DATABASE_REPLICA_STICKY_SECONDS`` (read your own
  writes): a write pins the user (in the cache, which must be shared by every process for
  that: ``CACHE_URL``) and the browser or script keeping cookies (cookie ``reads_pinned``).

Requests' context never leaks: outside a request (commands, shell) everything is primary.
django-multidb-router's pinning router does the cookie part, but sends every read, admin and
transactions included, to the replicas; this module is what we need and no more.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
REPLICA_PATHS = ("/api/", "/portal/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "reads_pinned"
# Data the replica may answer for; within these apps, the rows that say who the user is
# (and the API's idempotency claims, read back by a retry) stay on the primary.
REPLICA_APPS = frozenset({"catalog", "pricing"})
PRIMARY_MODELS = frozenset({"catalog.membership", "catalog.idempotencyrecord"})


class _ReplicaReads:
    """One request allowed to read from the replica, unless its user has just written."""

    def __init__(self, request):
        self.request = request
        self.pinned_cookie = PIN_COOKIE in request.COOKIES
        self._user_pins: dict[int | None, bool] = {}

    def allowed(self) -> bool:
        if self.pinned_cookie:
            return False
        user = getattr(self.request, "user", None)  # the API's token user once DRF has it
        user_id = user.pk if user is not None and user.is_authenticated else None
        if user_id not in self._user_pins:
            self._user_pins[user_id] = user_id is not None and bool(cache.get(pin_key(user_id)))
        return not self._user_pins[user_id]


_replica_reads: ContextVar[_ReplicaReads | None] = ContextVar("replica_reads", default=None)


def pin_key(user_id: int) -> str:
    return f"reads-pinned:{user_id}"


def may_read_from_replica(model) -> bool:
    """The router's decision for one read of ``model`` in the current context."""
    reads = _replica_reads.get()
    if reads is None or model._meta.app_label not in REPLICA_APPS:
        return False
    if model._meta.label_lower in PRIMARY_MODELS:
        return False
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False
    return reads.allowed()


class ReplicaRouter:
    """Reads as ``may_read_from_replica`` says; writes and migrations on the primary only."""

    def db_for_read(self, model, **hints):
        return REPLICA if may_read_from_replica(model) else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: a row read from one may point at the other's.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Marks portal and API reads for the replica; after a write, pins the client to the
    primary for ``DATABASE_REPLICA_STICKY_SECONDS`` (listed first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        replica = not writes and request.path_info.startswith(REPLICA_PATHS)
        token = _replica_reads.set(_ReplicaReads(request) if replica else None)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if writes:
            pin(request, response)
        return response


def pin(request, response) -> None:
    """Send this client's reads to the primary for the next few seconds."""
    seconds = settings.DATABASE_REPLICA_STICKY_SECONDS
    if seconds <= 0:
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cache.set(pin_key(user.pk), True, timeout=seconds)
    response.set_cookie(
        PIN_COOKIE,
        "1",
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
