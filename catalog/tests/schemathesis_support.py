"""Run schemathesis' engine (what ``schemathesis run`` runs) against the API on a test server.

``ApiServer`` serves the Django application over HTTP on a free port of 127.0.0.1, from a
thread of this process that uses the test's own database connection: every request runs in
a savepoint inside the test's transaction (rolled back at the end, as for the test client),
on SQLite and PostgreSQL alike. ``run_engine`` loads ``/api/schema/`` from it, runs the
engine's phases (examples, coverage, fuzzing, stateful through OpenAPI links) and counts
what each phase sent, per operation, and what the checks found.
"""

from __future__ import annotations

import socket
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, transaction

SCHEMA_PATH = "/api/schema/"


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


class NoDelayServer(WSGIServer):
    """Answers leave at once: without TCP_NODELAY a short body waits ~40 ms for an ACK."""

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class ApiServer:
    """The Django application on http://127.0.0.1:<free port>, on the caller's DB connection.

    One server thread answers one request at a time on the connection of the thread that
    started it (shared the way ``LiveServerThread`` shares an in-memory SQLite connection);
    ``close_old_connections`` is kept from closing it after each request, as the test client
    does. A request that crashes is rolled back to its savepoint, so it leaves neither
    half-done work nor, on PostgreSQL, an aborted transaction to the requests after it; its
    traceback is kept in ``server_errors``.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.server = NoDelayServer(("127.0.0.1", 0), QuietRequestHandler, ipv6=False)
        self.server.set_app(self.application)
        self.thread = threading.Thread(target=self.server.serve_forever, name="api-test-server")
        self.server_errors: list[str] = []
        self.requests = 0

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def application(self, environ, start_response):
        connections[DEFAULT_DB_ALIAS] = self.connection
        with transaction.atomic():
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
            if response.status_code >= 500:
                transaction.set_rollback(True)
        self.requests += 1
        return [body]

    def record_crash(self, sender, request=None, **kwargs) -> None:
        where = f"{request.method} {request.get_full_path()}" if request is not None else "?"
        self.server_errors.append(f"{where}\n{traceback.format_exc()}")

    def __enter__(self) -> ApiServer:
        self.connection.inc_thread_sharing()
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        got_request_exception.connect(self.record_crash)
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        got_request_exception.disconnect(self.record_crash)
        self.connection.dec_thread_sharing()


@dataclass
class RunFigures:
    """What runs did: checked cases per operation and phase, stateful steps, failures."""

    operations: list[str] = field(default_factory=list)
    cases: Counter = field(default_factory=Counter)  # operation label -> checked cases
    cases_by_phase: Counter = field(default_factory=Counter)
    checks_run: Counter = field(default_factory=Counter)  # check name -> times it ran
    stateful_links: int = 0  # links between operations the stateful phase could follow
    stateful_scenarios: int = 0
    stateful_steps: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_cases(self) -> int:
        return sum(self.cases.values())

    def short_of(self, minimum: int) -> dict[str, int]:
        """Operations with fewer than ``minimum`` cases: label -> how many they had."""
        cases = self.cases
        return {label: cases[label] for label in self.operations if cases[label] < minimum}

    def fewest(self) -> tuple[str, int]:
        label = min(self.operations, key=lambda name: (self.cases[name], name))
        return label, self.cases[label]


def run_engine(config_data: dict, *, base_url: str, figures: RunFigures, only=None) -> None:
    """Run the engine on the schema at ``base_url`` (``only`` these operations, if given)."""
    import schemathesis
    from schemathesis import engine
    from schemathesis.engine import Status, events
    from schemathesis.engine.run import PhaseName

    config = schemathesis.Config.from_dict(config_data)
    schema = schemathesis.openapi.from_url(base_url + SCHEMA_PATH, config=config)
    if not figures.operations:
        figures.operations = [result.ok().label for result in schema.get_all_operations()]
    if only is not None:
        schema = schema.include(name=list(only))
    started = time.monotonic()
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            if event.phase == PhaseName.STATEFUL_TESTING:
                figures.stateful_scenarios += 1
                figures.stateful_steps += sum(1 for checks in recorder.checks.values() if checks)
            for case_id, node in recorder.cases.items():
                # A case is a request whose answer was checked; probes that a check sent
                # (the same request without credentials, say) are part of their case.
                if recorder.checks.get(case_id):
                    figures.cases[node.value.operation.label] += 1
                    figures.cases_by_phase[event.phase.value] += 1
            for checks in recorder.checks.values():
                for check in checks:
                    figures.checks_run[check.name] += 1
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        figures.failures.append(
                            f"[{event.phase.value}] {check.name}: {failure.operation}: "
                            f"{failure.title}\n{failure.message}\n"
                            f"{check.failure_info.code_sample}"
                        )
                    elif check.status == Status.ERROR:
                        figures.errors.append(f"[{event.phase.value}] {check.name} errored")
        elif isinstance(event, events.PhaseStarted) and isinstance(
            event.payload, events.StatefulPhasePayload
        ):
            figures.stateful_links = max(figures.stateful_links, event.payload.transitions_total)
        elif isinstance(event, events.NonFatalError):
            figures.errors.append(f"[{event.phase}] {event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            figures.errors.append(f"fatal: {event.exception!r}")
    figures.seconds += time.monotonic() - started
