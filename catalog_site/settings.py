"""Settings for the catalog manager, read from environment variables.

DATABASE_URL   database (default: SQLite file db.sqlite3 beside manage.py)
DATABASE_REPLICA_URL  a read replica of it; portal and API reads go there (db_router.py)
DATABASE_REPLICA_STICKY_SECONDS  after a write, the client's reads stay on the primary (default 5)
CACHE_URL      cache shared by all processes: db://TABLE, file:///DIR, redis://HOST:PORT/N
               (default: each process its own memory); API throttles and replica pins use it
SECRET_KEY     signing key; required in production (a dev-only key is used otherwise)
DEBUG          "1"/"true" turns debug on; off by default
ALLOWED_HOSTS  comma-separated host names (default: 127.0.0.1,localhost)
CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://catalog.example.com
SECURE_SSL     HTTPS-only cookies, SSL redirect and HSTS (default: on unless DEBUG)
TRUSTED_PROXY_COUNT   proxies in front that append to X-Forwarded-For (default 0: header ignored)
AXES_FAILURE_LIMIT / AXES_IP_FAILURE_LIMIT   failed logins that lock a username / an address
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-dev-only-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "catalog_site.apps.CatalogAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "nested_admin",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served by us, never from a CDN
    "axes",
    "catalog",
    "pricing",
    "portal",
    "exchange",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "catalog.middleware.DomainErrorMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "catalog_site.urls"
WSGI_APPLICATION = "catalog_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A read replica (a streaming copy of the primary): when DATABASE_REPLICA_URL is set, portal and
# API reads go to it, and writes, locks, the admin and read-your-own-writes stay on the primary
# (catalog_site/db_router.py). Tests read it as the primary itself (a test mirror).
DATABASE_REPLICA_STICKY_SECONDS = int(os.environ.get("DATABASE_REPLICA_STICKY_SECONDS", "5"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["catalog_site.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(0, "catalog_site.db_router.ReplicaReadsMiddleware")

# PostgreSQL: the statements a hot path runs again and again (``catalog.prepared``: a sale's)
# are prepared on the server once a connection has run one this many times, so that
# PostgreSQL stops parsing and planning it at every run. Only those statements: Django's own
# cursors bind values into the SQL and are never prepared. "off" behind a pooler that does
# not keep prepared statements (PgBouncer in transaction mode before 1.21).
DATABASE_PREPARE_THRESHOLD = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = (
            None if DATABASE_PREPARE_THRESHOLD == "off" else int(DATABASE_PREPARE_THRESHOLD)
        )


def cache_from_url(url: str) -> dict:
    """CACHE_URL as Django's CACHES["default"]: the three kinds a deployment picks from."""
    scheme, _, rest = url.partition("://")
    if scheme == "db":  # a table in the primary (manage.py createcachetable makes it)
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    if scheme == "file":  # a folder every process on this machine shares
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme in {"redis", "rediss"}:  # needs the redis package installed
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ValueError(f"CACHE_URL: unknown scheme {scheme!r} (db://, file://, redis://)")


if os.environ.get("CACHE_URL"):
    CACHES = {"default": cache_from_url(os.environ["CACHE_URL"])}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The client address is REMOTE_ADDR; X-Forwarded-For counts only behind this many proxies that
# append to it (0: ignored, any client can send it). Used by axes and by the API throttles.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Login guessing (catalog/lockout.py): five failures on one username lock that username for
# an hour; an address is locked only after many more failures across usernames.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = "catalog.lockout.lockout_parameters"  # the address at its own limit
AXES_CLIENT_IP_CALLABLE = "catalog.lockout.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "catalog.lockout.lockout_response"  # the template, 429, Retry-After

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
# The portal's own words in German and French (compiled .mo files are committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# HTTPS hardening: on in production, off for local debugging over plain HTTP.
SECURE_SSL = env_bool("SECURE_SSL", not DEBUG)
SECURE_SSL_REDIRECT = SECURE_SSL
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# dumpdata/loaddata's json format: Django's, keeping microseconds and the ids of deleted rows
# that history records still hold (catalog/dump_json.py; README "Move the installation").
SERIALIZATION_MODULES = {"json": "catalog.dump_json"}

# History is read-only in the admin: going back to an old version is a new, reviewed edit.
SIMPLE_HISTORY_REVERT_DISABLED = True

# REST API (/api/v1/): token and session auth, our error shape, pages of at most 200 rows.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["catalog.api.permissions.OrganizationPermission"],
    # DRF's own parsers, with JSON nesting bounded (a deep body is a 400, not a RecursionError).
    "DEFAULT_PARSER_CLASSES": [
        "catalog.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's JSON, encoded by orjson (catalog/api/renderers.py), and its browsable pages.
    "DEFAULT_RENDERER_CLASSES": [
        "catalog.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "catalog.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "catalog.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "catalog.api.filters.ColumnOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "catalog.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "catalog.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "catalog.api.throttling.AnonRateThrottle",
        "catalog.api.throttling.UserRateThrottle",
        "catalog.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "6000/min"),
        "writes": os.environ.get("API_THROTTLE_WRITES", "600/min"),
        "auth": os.environ.get("API_THROTTLE_AUTH", "10/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # throttles count clients as axes does
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Idempotency-Key: how long a retry waits for the first request's answer before a 409
# IDEMPOTENCY_KEY_IN_PROGRESS, and after how long an unanswered claim counts as abandoned.
IDEMPOTENCY_WAIT_SECONDS = float(os.environ.get("IDEMPOTENCY_WAIT_SECONDS", "10"))
IDEMPOTENCY_STALE_SECONDS = int(os.environ.get("IDEMPOTENCY_STALE_SECONDS", "300"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Catalog manager API",
    "DESCRIPTION": "Catalog, prices, quotes and the offering lock. Errors: "
    '{"code", "detail", "errors"}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs pages load Swagger UI and ReDoc from our static files (drf-spectacular-sidecar).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "REDOC_UI_SETTINGS": {  # the system's fonts, not Google's (templates/drf_spectacular/)
        "theme": {
            "typography": {
                "fontFamily": "system-ui, sans-serif",
                "headings": {"fontFamily": "system-ui, sans-serif"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",  # operations tagged and named by resource: products_list
    # Scripts send JSON; the form parsers serve the browsable API and stay out of the schema.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Same field name, different choices: give each set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "CatalogStatusEnum": "catalog.models.Product.Status",
        "ListingStatusEnum": "catalog.models.Listing.Status",
        "RateStatusEnum": "pricing.models.Rate.Status",
        "OfferingStatusEnum": "pricing.models.Offering.Status",
        "QuoteStatusEnum": "pricing.models.Quote.Status",
    },
}

# API lists and admin changelists count at most this many rows (catalog/paginator.py): past
# them, the API's count_capped is true and ?cursor= walks on; the admin asks for a search.
LIST_COUNT_LIMIT = int(os.environ.get("LIST_COUNT_LIMIT", "1000"))

# Spreadsheet import (exchange): the largest file accepted, and the most rows per sheet.
EXCHANGE_MAX_FILE_BYTES = int(os.environ.get("EXCHANGE_MAX_FILE_BYTES", 20 * 1024 * 1024))
EXCHANGE_MAX_ROWS = int(os.environ.get("EXCHANGE_MAX_ROWS", "100000"))
# Where the admin keeps an uploaded file between its dry run and its confirm (swept after a
# day); empty: a folder in the system's temporary directory.
EXCHANGE_UPLOAD_DIR = os.environ.get("EXCHANGE_UPLOAD_DIR", "")
