"""Deadlocks are retried, then answered as a 409 conflict; domain errors never become 500s."""

import pytest
from django.db import OperationalError, transaction
from django.test import RequestFactory

from catalog.concurrency import Conflict, retry_on_conflict
from catalog.errors import DomainError
from catalog.middleware import DomainErrorMiddleware


class Deadlock(Exception):
    sqlstate = "40P01"


def deadlock() -> OperationalError:
    exc = OperationalError("deadlock detected")
    exc.__cause__ = Deadlock()
    return exc


def flaky(failures: int):
    calls = {"n": 0}

    @retry_on_conflict
    def service():
        calls["n"] += 1
        if calls["n"] <= failures:
            raise deadlock()
        return "done"

    return service, calls


def test_a_deadlock_is_retried():
    service, calls = flaky(failures=2)
    assert service() == "done"
    assert calls["n"] == 3


def test_too_many_deadlocks_become_a_conflict():
    service, calls = flaky(failures=5)
    with pytest.raises(Conflict) as excinfo:
        service()
    assert (excinfo.value.code, excinfo.value.http_status) == ("CONFLICT", 409)
    assert calls["n"] == 3


@pytest.mark.django_db
def test_inside_an_outer_transaction_there_is_no_retry():
    service, calls = flaky(failures=1)
    with pytest.raises(Conflict), transaction.atomic():
        service()
    assert calls["n"] == 1


def test_other_database_errors_pass_through():
    @retry_on_conflict
    def broken():
        raise OperationalError("no such table")

    with pytest.raises(OperationalError):
        broken()


def test_middleware_answers_domain_errors_with_their_status():
    middleware = DomainErrorMiddleware(lambda request: None)
    request = RequestFactory().post("/admin/")
    response = middleware.process_exception(request, Conflict())
    assert response.status_code == 409
    assert response.content.decode().startswith("CONFLICT:")
    assert middleware.process_exception(request, ValueError("other")) is None
    assert middleware.process_exception(request, DomainError("x")).status_code == 400
