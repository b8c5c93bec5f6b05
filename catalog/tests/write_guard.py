"""During a request, a row of the catalog or pricing apps is written only inside a service.

A service is the outermost, durable transaction of its write (``catalog.concurrency.service``);
Django keeps the open atomic blocks on the connection, so a save or a delete can tell whether
one of them is durable. A write that finds none came from an admin ``save_model``, a serializer
or a view that wrote by itself: the rule "every write goes through its service" is broken, even
if the result looks right today.

The test client sends ``request_started``/``request_finished`` around each request; between
them, every ``pre_save``/``pre_delete``/``m2m_changed`` of our apps' models is checked. Factories
and fixtures, which write outside requests, are not.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models.signals import m2m_changed, pre_delete, pre_save

GUARDED_APPS = {"catalog", "pricing"}
# Rows the request machinery writes for itself, each in its own durable transaction or none.
EXEMPT = {"catalog.idempotencyrecord"}


class WriteOutsideService(AssertionError):
    pass


def in_service() -> bool:
    return any(block.durable for block in connection.atomic_blocks)


@contextmanager
def writes_only_in_services():
    """Raise ``WriteOutsideService`` for a guarded write made during a request, not in a service."""
    # Threads handling a request now: a live server answers in its own thread, while the
    # test's thread may write its fixtures.
    serving: set[int] = set()
    state = {"violations": []}

    def started(**kwargs):
        serving.add(threading.get_ident())

    def finished(**kwargs):
        serving.discard(threading.get_ident())

    def check(sender, instance=None, **kwargs):
        if threading.get_ident() not in serving:
            return
        meta = sender._meta
        if meta.app_label not in GUARDED_APPS or meta.label_lower in EXEMPT:
            return
        if hasattr(sender, "instance_type"):  # a history row: it follows its row's write
            return
        if kwargs.get("action", "pre_").startswith("post_") or in_service():
            return
        state["violations"].append(f"{meta.label} {getattr(instance, 'pk', None)}")

    receivers = [
        (request_started, started),
        (request_finished, finished),
        (pre_save, check),
        (pre_delete, check),
        (m2m_changed, check),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, weak=False, dispatch_uid=f"write-guard-{id(state)}-{signal!r}")
    try:
        yield state["violations"]
    finally:
        for signal, _receiver in receivers:
            signal.disconnect(dispatch_uid=f"write-guard-{id(state)}-{signal!r}")
