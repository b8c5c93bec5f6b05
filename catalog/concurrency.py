"""Deadlocks and serialization failures: retried a few times, then answered as a conflict."""

from __future__ import annotations

import functools
import inspect
import random
import time

from django.db import OperationalError, connection, transaction

from catalog.errors import DomainError

# PostgreSQL: deadlock_detected, serialization_failure, lock_not_available.
CONFLICT_STATES = {"40P01", "40001", "55P03"}


class Conflict(DomainError):
    code = "CONFLICT"
    http_status = 409
    message = "Another change to the same rows got in the way; try again."


def is_conflict(exc: OperationalError) -> bool:
    state = getattr(exc.__cause__, "sqlstate", None)
    return state in CONFLICT_STATES or "database is locked" in str(exc)


def retry_on_conflict(func=None, *, attempts: int = 3):
    """Run a service again after a deadlock; inside an outer transaction, raise Conflict."""
    if func is None:
        return functools.partial(retry_on_conflict, attempts=attempts)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, attempts + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if not is_conflict(exc):
                    raise
                if connection.in_atomic_block or attempt == attempts:
                    raise Conflict() from exc
                time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    return wrapper


def service(func):
    """A service: the outermost transaction of its write, run again after a deadlock.

    ``atomic(durable=True)`` (Zulip's actions do the same) fails loudly when a caller wraps
    the service in a transaction of its own: only then can ``retry_on_conflict`` start the
    work again from the top, and only then is the service's commit the write's commit.
    """
    return retry_on_conflict(transaction.atomic(durable=True)(func))


def body(func):
    """A service's work without its transaction, retries or refusal records: for a service
    that runs others inside its own transaction (a spreadsheet import is one write, all or
    nothing), so each still owns its rules, its row locks and its history."""
    return inspect.unwrap(func)
