"""The whole installation moves from SQLite to PostgreSQL and back with the README's
commands (``dumpdata``, then ``migrate`` and ``loaddata`` on the other database), and every
row of every table, history included, is the same after each move; every processed quote's
total, recomputed from the prices its lines froze, is still its total to the cent; and on
PostgreSQL new rows get fresh ids.

The installation is the demo data (``load_demo``) and the rows ``installation.add_rows``
adds (history with several changes per row, three records of one row within a millisecond,
a deleted user who had a membership, processed quotes over several charge models). Each
command runs in its own process, as an operator runs it, against its own database: temporary
SQLite files, and a PostgreSQL database made for this test and dropped after it on the
server of ``CI_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``),
whichever database the test suite itself runs on.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

SERVER = os.environ.get("CI_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# The README's commands ("Move the installation to another database").
DUMP = [
    "dumpdata",
    "--natural-foreign",
    "--exclude",
    "contenttypes",
    "--exclude",
    "auth.permission",
    "--output",
]
MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def command(url: str, *args: str) -> subprocess.Popen:
    """``manage.py *args`` started in its own process on the database at ``url``."""
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.Popen(
        [*MANAGE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def finish(process: subprocess.Popen) -> None:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, f"{' '.join(process.args[1:])} failed:\n{output}"


def migrate(url: str) -> subprocess.Popen:
    return command(url, "migrate", "--verbosity", "0")


def run(url: str, *args: str) -> None:
    finish(command(url, *args))


def shell(url: str, code: str) -> None:
    run(url, "shell", "--no-imports", "-c", f"from catalog.tests import installation; {code}")


def picture(url: str, path: Path, step: str = "write_rows") -> dict:
    """Every row, every processed quote's totals and the sequences of the database."""
    shell(url, f"installation.{step}({str(path)!r})")
    return json.loads(path.read_text())


@contextmanager
def postgres_database():
    """A new, empty PostgreSQL database with a name no other test run uses; dropped after."""
    name = f"dbmove_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(SERVER)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(SERVER, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def started(*processes: subprocess.Popen):
    """Processes started ahead; any still running when the block fails are stopped."""
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()


@pytest.fixture(scope="module")
def moves(tmp_path_factory) -> dict[str, dict]:
    """The installation as read on SQLite, then on PostgreSQL, then on SQLite again."""
    work = tmp_path_factory.mktemp("dbmove")
    source = f"sqlite:///{work / 'source.sqlite3'}"
    back = f"sqlite:///{work / 'back.sqlite3'}"
    pictures = {}
    # PostgreSQL is migrated while SQLite is; the SQLite database the installation comes
    # back to is a copy of the source as ``migrate`` left it, empty.
    with (
        postgres_database() as postgres,
        started(migrate(postgres)) as (postgres_migrated,),
    ):
        finish(migrate(source))
        shutil.copyfile(work / "source.sqlite3", work / "back.sqlite3")
        pictures["sqlite"] = picture(source, work / "source.json", "build")
        run(source, *DUMP, str(work / "from-sqlite.json"))

        finish(postgres_migrated)
        run(postgres, "loaddata", str(work / "from-sqlite.json"))
        pictures["postgresql"] = picture(postgres, work / "postgresql.json")
        run(postgres, *DUMP, str(work / "from-postgresql.json"))

    run(back, "loaddata", str(work / "from-postgresql.json"))
    pictures["sqlite again"] = picture(back, work / "back.json")
    pictures["dumps"] = {
        name: json.loads((work / f"from-{name}.json").read_text())
        for name in ("sqlite", "postgresql")
    }
    return pictures


HOPS = ["postgresql", "sqlite again"]


def rows_of(moves, where: str, table: str) -> list[dict]:
    return [json.loads(row) for row in moves[where]["rows"][table]]


def test_each_move_ran_on_the_database_it_names(moves):
    assert [moves[where]["vendor"] for where in ("sqlite", *HOPS)] == [
        "sqlite",
        "postgresql",
        "sqlite",
    ]


@pytest.mark.parametrize("where", HOPS)
def test_every_row_of_every_table_is_the_same_after_the_move(moves, where):
    source, moved = moves["sqlite"]["rows"], moves[where]["rows"]
    assert sorted(moved) == sorted(source)
    differ = {
        table: {
            "rows before": len(rows),
            "rows after": len(moved[table]),
            "first only before": sorted(set(rows) - set(moved[table]))[:1],
            "first only after": sorted(set(moved[table]) - set(rows))[:1],
        }
        for table, rows in source.items()
        if rows != moved[table]
    }
    assert differ == {}
    assert sum(len(rows) for rows in source.values()) > 1000


def test_the_moved_rows_include_what_a_move_gets_wrong(moves):
    """The cases the move once broke are in the data: history of a many-to-many field,
    records within one millisecond, history naming a deleted user (and a deleted row holding
    the highest id of its table), history by a user."""
    users = {row["id"] for row in rows_of(moves, "sqlite", "auth.user")}
    memberships = rows_of(moves, "sqlite", "catalog.historicalmembership")
    assert {row["user_id"] for row in memberships} - users, "a deleted user's membership"
    markets = [row["id"] for row in rows_of(moves, "sqlite", "catalog.marketplace")]
    market_records = rows_of(moves, "sqlite", "catalog.historicalmarketplace")
    assert max(row["id"] for row in market_records) > max(markets), "a deleted marketplace"
    assert rows_of(moves, "sqlite", "catalog.historicaldistributor_marketplaces")
    dates = [row["history_date"] for row in rows_of(moves, "sqlite", "catalog.historicalvendor")]
    assert "2026-03-04T05:06:07.123756+00:00" in dates
    assert any(
        row["history_user_id"] for row in rows_of(moves, "sqlite", "catalog.historicalvendor")
    )


@pytest.mark.parametrize("where", ["sqlite", *HOPS])
def test_every_processed_quote_recomputes_to_its_total_to_the_cent(moves, where):
    quotes = moves[where]["quotes"]
    assert len(quotes) >= 7
    for reference, quote in quotes.items():
        assert Decimal(quote["recomputed"]) == Decimal(quote["total"]), reference
        for line, (amount, recomputed) in quote["lines"].items():
            assert Decimal(recomputed) == Decimal(amount), (reference, line)
    assert quotes == moves["sqlite"]["quotes"]


@pytest.mark.parametrize("where", HOPS)
def test_new_rows_get_fresh_ids_after_the_load(moves, where):
    assert moves[where]["stale_sequences"] == []


def test_postgresql_dumps_what_sqlite_dumped(moves):
    assert moves["dumps"]["postgresql"] == moves["dumps"]["sqlite"]
