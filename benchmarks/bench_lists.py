"""Lists at scale: each list's first and deep pages, its search and its filters, timed on two
generated catalogs (``manage.py generate_catalog``), 10,000 and 1,000,000 items, in the same
run, with the ratio of their p99s (the bar: at most 2).

    DATABASE_URL=… python benchmarks/bench_lists.py --small postgres://…/gen10k \\
        --large postgres://…/gen1m [--requests 30] [--rounds 2]

Each catalog is measured in its own process (``--measure``, one database each), the two
alternating round by round so both see the same machine. A request goes through Django's
test client in that process (the whole stack but the network and gunicorn): one request at a
time, so the figures are latencies, not throughput. The users are the generated vendor with
the most items (its staff user is made if missing) and the generated distributor.

With ``--http SECONDS`` each list is served instead by gunicorn (2 workers, on 127.0.0.1) and
loaded by ``wrk`` with 4 connections for that many seconds, as the issue measured: the
figures are wrk's p50 and p99 under that load (the median of the rounds), with token and
session headers for the same users. Needs Debian's wrk (``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def cursor_at(pk: int) -> str:
    """A cursor starting after ``pk`` (DRF's: the base64 of its query string)."""
    return base64.urlsafe_b64encode(f"p={pk}".encode()).decode()


def measure(requests: int, http: float = 0) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalog_site.settings")
    os.environ.setdefault("API_THROTTLE_USER", "100000000/min")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host
    os.environ.setdefault("SECURE_SSL", "0")  # no redirect to https in-process
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' manifest
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # One connection kept open, as CONN_MAX_AGE keeps one in production (and as the test
    # runner does): a request is timed without connecting to the database.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.models import Count, Max
    from django.test import Client
    from django.utils import timezone
    from rest_framework.test import APIClient

    from catalog.models import Distributor, Item, Vendor
    from catalog.paginator import count_limit
    from catalog.roles import VENDOR_STAFF

    vendor = Vendor.objects.annotate(items=Count("products__items")).order_by("-items").first()
    items = Item.objects.filter(product__vendor=vendor)
    staff = _user(f"bench-{vendor.slug}", vendor=vendor, group=Group.objects.get(name=VENDOR_STAFF))
    distributor = Distributor.objects.order_by("pk").first()
    reader = _user(f"bench-{distributor.pk}-reader", distributor=distributor)
    middle = items.order_by("pk")[items.count() // 2]
    sample = items.order_by("-pk").first()
    # A minute ago: no row changed since (the generator wrote them earlier), the slow case
    # of walking the items for their history.
    since = quote((timezone.now() - timezone.timedelta(minutes=1)).isoformat())
    api, admin, portal, reading = APIClient(), Client(), Client(), APIClient()
    api.force_authenticate(staff)
    reading.force_authenticate(reader)
    admin.force_login(staff)
    portal.force_login(reader)
    newest = Item.objects.aggregate(Max("pk"))["pk__max"]
    cases = {
        "API items, first page of 100": (api, "/api/v1/items/?page_size=100"),
        "API items, the last page by number": (
            api,
            f"/api/v1/items/?page_size=100&page={min(items.count(), count_limit()) // 100}",
        ),
        "API items, a page halfway by cursor": (
            api,
            f"/api/v1/items/?page_size=100&cursor={cursor_at(middle.pk)}",
        ),
        "API items ?search= (1 match)": (api, f"/api/v1/items/?search={sample.mpn}"),
        "API items as a distributor": (reading, "/api/v1/items/?page_size=100"),
        "API items ?updated_since= (none since)": (api, f"/api/v1/items/?updated_since={since}"),
        "API products, first page": (api, "/api/v1/products/"),
        "admin item changelist": (admin, "/admin/catalog/item/"),
        "admin item ?q= (1 match)": (admin, f"/admin/catalog/item/?q={sample.mpn}"),
        "admin autocomplete (items)": (
            admin,
            "/admin/autocomplete/?app_label=catalog&model_name=itemtranslation"
            f"&field_name=item&term={sample.mpn[:8]}",
        ),
        "portal index": (portal, "/portal/"),
    }
    found = {"items": Item.objects.count(), "newest": newest, "cases": {}}
    if http:
        headers = {
            api: _token_header(staff),
            reading: _token_header(reader),
            admin: _session_header(admin),
            portal: _session_header(portal),
        }
        with _gunicorn() as base:
            for name, (client, url) in cases.items():
                found["cases"][name] = _wrk(base + url, headers[client], http)
        return found
    for name, (client, url) in cases.items():
        for _ in range(2):  # warm: connections, caches, the planner's statistics
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code, url)
        executed = []
        with connection.execute_wrapper(counting(executed)):
            client.get(url)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        found["cases"][name] = {"times": times, "queries": len(executed)}
    return found


def counting(executed: list):
    """A database execute wrapper that notes each statement in ``executed``."""

    def wrapper(run, sql, *rest):
        executed.append(sql)
        return run(sql, *rest)

    return wrapper


HTTP_PORT = 8019
# One key for this process (which signs the sessions) and gunicorn (which reads them).
HTTP_ENV = {
    "SECRET_KEY": "bench-lists-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "0",
    "SECURE_SSL": "0",
    "CONN_MAX_AGE": "60",
}


def _token_header(user) -> str:
    from rest_framework.authtoken.models import Token

    return f"Authorization: Token {Token.objects.get_or_create(user=user)[0].key}"


def _session_header(client) -> str:
    from django.conf import settings

    name = settings.SESSION_COOKIE_NAME
    return f"Cookie: {name}={client.cookies[name].value}"


@contextmanager
def _gunicorn():
    """gunicorn (2 workers) on 127.0.0.1 for this database; stopped on the way out."""
    env = {**os.environ, **HTTP_ENV, "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "catalog_site.wsgi", "-w", "2", "-b",
         f"127.0.0.1:{HTTP_PORT}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{HTTP_PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wrk(url: str, header: str, seconds: float) -> dict:
    """wrk at 4 connections for ``seconds`` (after a 2-second warm-up): p50, p99, req/s."""
    run = ["wrk", "-t2", "-c4", "--latency", "-H", header]
    subprocess.run([*run, "-d2s", url], check=True, capture_output=True)
    out = subprocess.run(
        [*run, f"-d{seconds:g}s", url], check=True, capture_output=True, text=True
    ).stdout
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])}
    for name, mark in (("p50", "50%"), ("p99", "99%")):
        value, unit = re.search(rf"^\s+{mark}\s+([\d.]+)(us|ms|s)$", out, re.M).groups()
        found[name] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert not bad, f"{url}: {bad[1]} answers that were not 2xx or 3xx"
    return found


def _user(username: str, **membership):
    from django.contrib.auth import get_user_model

    from catalog.models import Membership

    group = membership.pop("group", None)
    user, made = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": group is not None}
    )
    if made:
        Membership.objects.create(user=user, **membership)
        if group is not None:
            user.groups.add(group)
    return user


def p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[98]


def compare(small: str, large: str, requests: int, rounds: int, http: float = 0) -> None:
    runs = {"small": [], "large": []}
    how = ["--http", str(http)] if http else []
    for _ in range(rounds):
        for size, url in (("small", small), ("large", large)):
            out = subprocess.run(
                [sys.executable, __file__, "--measure", "--requests", str(requests), *how],
                env={**os.environ, "DATABASE_URL": url, **(HTTP_ENV if http else {})},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs[size].append(json.loads(out.strip().splitlines()[-1]))
    small_items, large_items = runs["small"][0]["items"], runs["large"][0]["items"]
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    if http:
        print(f"items: {small_items:,} and {large_items:,}; gunicorn -w 2, wrk -c4 for {http:g} s")
        print(f"| list | p99 at {small_items:,} | p99 at {large_items:,} | ratio | p50s | req/s |")
        print("|---|---:|---:|---:|---|---|")
        for name in runs["small"][0]["cases"]:
            a, b = ([run["cases"][name] for run in runs[size]] for size in ("small", "large"))
            p99a, p99b = (statistics.median(case["p99"] for case in x) for x in (a, b))
            p50a, p50b = (statistics.median(case["p50"] for case in x) for x in (a, b))
            rps = (statistics.median(case["rps"] for case in x) for x in (a, b))
            print(
                f"| {name} | {p99a:.0f} ms | {p99b:.0f} ms | {p99b / p99a:.2f} | "
                f"{p50a:.0f} / {p50b:.0f} ms | {' / '.join(f'{r:.0f}' for r in rps)} |"
            )
        return
    print(f"items: {small_items:,} and {large_items:,}; {requests} requests × {rounds} rounds")
    print(f"| list | p99 at {small_items:,} | p99 at {large_items:,} | ratio | p50s | queries |")
    print("|---|---:|---:|---:|---|---|")
    for name in runs["small"][0]["cases"]:
        a = [t for run in runs["small"] for t in run["cases"][name]["times"]]
        b = [t for run in runs["large"] for t in run["cases"][name]["times"]]
        queries = (
            runs["small"][0]["cases"][name]["queries"],
            runs["large"][0]["cases"][name]["queries"],
        )
        print(
            f"| {name} | {p99(a):.0f} ms | {p99(b):.0f} ms | {p99(b) / p99(a):.2f} | "
            f"{statistics.median(a):.0f} / {statistics.median(b):.0f} ms | "
            f"{queries[0]} / {queries[1]} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small")
    parser.add_argument("--large")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--http", type=float, default=0, metavar="SECONDS", help="gunicorn and wrk -c4, per list"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests, args.http)))
        return
    if not (args.small and args.large):
        parser.error("give --small and --large database URLs")
    compare(args.small, args.large, args.requests, args.rounds, args.http)


if __name__ == "__main__":
    main()
