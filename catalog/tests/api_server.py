"""The Django application served over HTTP on 127.0.0.1 for tests that need a real server
(schemathesis, the generated client), on the test's own database connection."""

from __future__ import annotations

import socket
import threading
import traceback

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, transaction


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
        # The request's savepoint stands in for the test's own transaction: like that one it
        # lets the services inside open their durable (outermost) transactions.
        savepoint = transaction.atomic()
        savepoint._from_testcase = True
        with savepoint:
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
