import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from catalog.tests.factories import (
    DistributorFactory,
    MarketplaceFactory,
    UserFactory,
    VendorFactory,
    distributor_user,
    vendor_staff,
)


@pytest.fixture
def vendor(db):
    return VendorFactory(name="Northwind", slug="northwind")


@pytest.fixture
def other_vendor(db):
    return VendorFactory(name="Contoso", slug="contoso")


@pytest.fixture
def vendor_user(vendor):
    return vendor_staff(vendor, username="northwind-staff")


@pytest.fixture
def other_vendor_user(other_vendor):
    return vendor_staff(other_vendor, username="contoso-staff")


@pytest.fixture
def marketplace(db):
    return MarketplaceFactory(name="North America", code="us", currency="USD")


@pytest.fixture
def distributor(marketplace):
    return DistributorFactory(name="Adventure", slug="adventure", marketplaces=[marketplace])


@pytest.fixture
def distributor_member(distributor):
    return distributor_user(distributor, username="adventure-user")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def vendor_client(client, vendor_user):
    client.force_login(vendor_user)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests talk plain HTTP to the test client and need no collected static files."""
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.STATIC_ROOT = None
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def vendor_api(api_client, vendor_user):
    """An API client authenticated with a real token of vendor staff."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=vendor_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


@pytest.fixture
def distributor_api(api_client, distributor_member):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=distributor_member)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


@pytest.fixture(scope="module")
def shared_demo(django_db_setup, django_db_blocker):
    """The demo data (``load_demo``), loaded once for the module that asks for it and rolled
    back after the module; each test still runs in its own transaction inside it.

    The shared transaction stands in for a test case's own, so the services a test calls may
    still open their durable (outermost) transactions.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    shared = transaction.atomic()
    shared._from_testcase = True
    with django_db_blocker.unblock(), shared:
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):  # as in every test (below)
            call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counts live in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Hypothesis's own profiles, chosen with the rest of the budgets (catalog.tests.profiles).
hypothesis_settings.register_profile("ci", max_examples=100, deadline=None, database=None)
hypothesis_settings.register_profile("dev", max_examples=25, deadline=None, database=None)


def pytest_configure(config):
    from catalog.tests.profiles import PROFILE

    hypothesis_settings.load_profile(PROFILE)


# Fixtures that give a test the database, whether or not it carries the django_db marker.
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    """With DATABASE_REPLICA_URL set, a database test may also read the replica: settings.py
    makes it a test mirror of the test database, and the router sends portal and API reads
    outside a transaction there (transactional and browser tests make such reads)."""
    from django.conf import settings

    if "replica" not in settings.DATABASES:
        return
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        if kwargs.get("databases") == "__all__":
            continue
        kwargs["databases"] = sorted({*(kwargs.get("databases") or ["default"]), "replica"})
        item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), False)


def pytest_report_header(config):
    from catalog.tests.profiles import PROFILE

    return f"test profile: {PROFILE} (TEST_PROFILE=dev|ci, see catalog/tests/profiles.py)"


def pytest_sessionfinish(session):
    """An xdist worker hands its generated-case counts to the controller."""
    from catalog.tests.generated import FILES, GENERATED

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["generated"] = dict(GENERATED)
        session.config.workeroutput["files"] = list(FILES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller adds up what each xdist worker tried (printed below)."""
    from catalog.tests.generated import FILES, GENERATED

    output = getattr(node, "workeroutput", {})
    GENERATED.update(output.get("generated", {}))
    FILES.extend(output.get("files", []))


def pytest_terminal_summary(terminalreporter):
    """Print the files tests wrote for people (browser screenshots) and how many cases each
    generating test family tried (see catalog/tests/generated)."""
    from catalog.tests.generated import FILES, GENERATED

    if FILES:
        terminalreporter.section("files written for review")
        for path in sorted(FILES):
            terminalreporter.write_line(f"  {path}")
    if not GENERATED:
        return
    terminalreporter.section("generated cases")
    for name, count in sorted(GENERATED.items()):
        terminalreporter.write_line(f"{count:6d}  {name}")
    terminalreporter.write_line(f"{sum(GENERATED.values()):6d}  in all, {len(GENERATED)} tests")


@pytest.fixture(autouse=True)
def _writes_only_in_services(request):
    """Every test that talks to the admin or the API checks that its writes went through a
    service (see ``catalog.tests.write_guard``); the guard's own test opts out."""
    from catalog.tests.write_guard import WriteOutsideService, writes_only_in_services

    if request.node.get_closest_marker("tests_the_write_guard"):
        yield
        return
    with writes_only_in_services() as violations:
        yield
    if violations:
        raise WriteOutsideService(
            "rows written during a request outside any service: " + ", ".join(violations[:10])
        )
