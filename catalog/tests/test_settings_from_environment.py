"""The deployment settings that come from the environment: the read replica and the cache.

Each test reads ``catalog_site/settings.py`` afresh under the environment it sets.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

SETTINGS = Path(__file__).resolve().parents[2] / "catalog_site" / "settings.py"
ROUTER = "catalog_site.db_router.ReplicaRouter"
MIDDLEWARE = "catalog_site.db_router.ReplicaReadsMiddleware"
PRIMARY = "postgres://app@primary.internal:5432/catalog"
REPLICA = "postgres://reader@replica.internal:5432/catalog"


def settings_under(monkeypatch, **environment) -> dict:
    for name in ("DATABASE_REPLICA_URL", "DATABASE_REPLICA_STICKY_SECONDS", "CACHE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", PRIMARY)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_a_replica_url_there_is_one_database_and_no_router(monkeypatch):
    settings = settings_under(monkeypatch)
    assert list(settings["DATABASES"]) == ["default"]
    assert "DATABASE_ROUTERS" not in settings
    assert MIDDLEWARE not in settings["MIDDLEWARE"]


def test_a_replica_url_adds_the_replica_its_router_and_middleware(monkeypatch):
    settings = settings_under(monkeypatch, DATABASE_REPLICA_URL=REPLICA, CONN_MAX_AGE="60")
    replica = settings["DATABASES"]["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == (
        "replica.internal",
        "reader",
        "catalog",
    )
    assert replica["CONN_MAX_AGE"] == 60
    assert replica["TEST"] == {"MIRROR": "default"}  # tests read the test database itself
    assert settings["DATABASES"]["default"]["HOST"] == "primary.internal"
    assert settings["DATABASE_ROUTERS"] == [ROUTER]
    assert settings["MIDDLEWARE"][0] == MIDDLEWARE  # outermost: wraps every read
    assert settings["DATABASE_REPLICA_STICKY_SECONDS"] == 5


def test_the_sticky_seconds_come_from_the_environment(monkeypatch):
    settings = settings_under(monkeypatch, DATABASE_REPLICA_STICKY_SECONDS="12")
    assert settings["DATABASE_REPLICA_STICKY_SECONDS"] == 12


def test_without_a_cache_url_each_process_keeps_its_own_cache(monkeypatch):
    assert "CACHES" not in settings_under(monkeypatch)  # Django's local-memory cache


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("db://catalog_cache", "db.DatabaseCache", "catalog_cache"),
        ("file:///var/tmp/catalog-cache", "filebased.FileBasedCache", "/var/tmp/catalog-cache"),
        ("redis://cache.internal:6379/1", "redis.RedisCache", "redis://cache.internal:6379/1"),
    ],
)
def test_a_cache_url_names_a_cache_every_process_shares(monkeypatch, url, backend, location):
    cache = settings_under(monkeypatch, CACHE_URL=url)["CACHES"]["default"]
    assert cache == {
        "BACKEND": f"django.core.cache.backends.{backend}",
        "LOCATION": location,
    }


def test_a_cache_url_of_an_unknown_kind_stops_the_start(monkeypatch):
    with pytest.raises(ValueError, match="CACHE_URL: unknown scheme 'memcached'"):
        settings_under(monkeypatch, CACHE_URL="memcached://cache.internal:11211")
