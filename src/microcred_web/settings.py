"""Django settings for microcred.

Everything that differs between a laptop and a server comes from the environment:

``MICROCRED_DEBUG``
    ``1``/``true``/``yes``/``on`` turns on debug mode (``make run`` does). Off by default.
``MICROCRED_SECRET_KEY``
    Required when debug mode is off: the process refuses to start without it. In debug mode an
    insecure, clearly labelled development key is used when it is unset.
``MICROCRED_ALLOWED_HOSTS``
    Comma-separated host names. Defaults to the loopback names in debug mode, to none otherwise.
``DATABASE_URL``
    Any URL understood by dj-database-url, e.g. ``postgres://user@host:5432/name``. When unset,
    the embedded SQLite database ``<repo>/var/microcred.sqlite3`` is used.
``MICROCRED_VAR_DIR``
    Where the SQLite file and collected static files go (default ``<repo>/var``).
``MICROCRED_SEARCH_INDEX_DIR``
    The catalogue search index directory (default ``<var>/search-index``). A derived copy of
    the database: delete it and run ``reindex`` (or just restart) to rebuild it.
``MICROCRED_HOST``
    The public host name (with ``:port`` if not the default) of this instance: providers'
    ``did:web`` identities and status-list URLs are built from it. Recorded in the database
    with the first signing key; a different value later stops start-up (system check
    ``issuing.E001``, docs/issuing.md). Defaults to ``localhost:8000`` in debug mode, to the
    first allowed host otherwise.
``MICROCRED_DID_WEB_ALLOW_HTTP``
    Serve and resolve ``did:web`` over plain http, for ``localhost`` / ``127.0.0.1`` only
    (local development). Off by default; on by default in debug mode.
``MICROCRED_KEK`` / ``MICROCRED_KEK_FILE``
    The key-encryption key that seals providers' signing keys (see ``docs/issuing.md``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in _TRUE


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
# src/microcred_web -> src -> repository root (editable install, the supported layout).
REPO_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MICROCRED_VAR_DIR") or REPO_DIR / "var")

DEBUG = _env_flag("MICROCRED_DEBUG")

DEV_SECRET_KEY = "django-insecure-microcred-development-only-never-use-in-production"
SECRET_KEY = os.environ.get("MICROCRED_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MICROCRED_SECRET_KEY is not set. Set it to a long random string, "
            "or set MICROCRED_DEBUG=1 for local development only."
        )
    SECRET_KEY = DEV_SECRET_KEY

ALLOWED_HOSTS = _env_list("MICROCRED_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # "ninja" is listed so that the API docs use the Swagger UI files shipped with django-ninja
    # instead of a CDN: nothing is fetched from the network.
    "ninja",
    "microcred_web.core",
    "microcred_web.register",
    "microcred_web.catalogue",
    "microcred_web.issuing",
    "microcred_web.verification",
    "microcred_web.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "microcred_web.urls"
WSGI_APPLICATION = "microcred_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "microcred_web.core.context_processors.microcred_version",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "microcred.sqlite3",
        # Write-ahead log: readers never block the writer, and a commit appends to the log
        # instead of syncing the whole database (synchronous=NORMAL is durable across a crash
        # of the application; a power cut may lose the last commits, never corrupt). Write
        # transactions take the lock when they begin (IMMEDIATE), so two processes issuing
        # or importing at once wait for each other (busy_timeout) instead of failing with
        # "database is locked" half way.
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"

# Signing in (django.contrib.auth views under /accounts/) and the provider dashboard.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

# The catalogue search index (tantivy); see microcred_web.catalogue.services.
SEARCH_INDEX_DIR = Path(os.environ.get("MICROCRED_SEARCH_INDEX_DIR") or VAR_DIR / "search-index")

# Bodies larger than this are refused with 413 by the API (see microcred_web.api).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Issuer identity (see microcred_web.issuing and docs/issuing.md).
MICROCRED_HOST = os.environ.get("MICROCRED_HOST", "").strip() or (
    "localhost:8000" if DEBUG else next(iter(ALLOWED_HOSTS), "localhost")
)
MICROCRED_DID_WEB_ALLOW_HTTP = _env_flag("MICROCRED_DID_WEB_ALLOW_HTTP", default=DEBUG)
# Whether issued credentials also carry a suspension entry (docs/issuing.md, "Status"). Off by
# default: Open Badges 3.0 allows one credentialStatus, so a credential with a revocation and a
# suspension entry (valid VC 2.0) fails the OBv3 3.0 JSON Schema that badge wallets apply.
MICROCRED_STATUS_SUSPENSION = _env_flag("MICROCRED_STATUS_SUSPENSION", default=False)
