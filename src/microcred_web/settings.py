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
    The key-encryption key that seals providers' signing keys (see ``docs/issuing.md``). Set
    but unusable, the server refuses to start (``microcred_web.core.checks``).
``MICROCRED_IDENTIFIER_KEY`` / ``MICROCRED_IDENTIFIER_KEY_FILE``
    The key of learner-identifier hashes, never derived from the secret key (read where it is
    used: ``microcred_web.issuing.identifier``; see ``docs/keys-and-backup.md``).
``MICROCRED_FOREIGN_DID_WEB`` and ``MICROCRED_FOREIGN_*``
    Resolve other instances' ``did:web`` issuers and status lists over HTTPS when verifying
    (off by default), with its guard's settings: ``_ALLOWED_NETWORKS``, ``_CA_FILE``,
    ``_CONNECT_TIMEOUT``, ``_READ_TIMEOUT``, ``_DEADLINE``, ``_MAX_BYTES``, ``_CACHE_TTL``,
    ``_NEGATIVE_TTL``, ``_CACHE_SIZE`` (see ``docs/verification.md``).
``MICROCRED_STATIC_MANIFEST``
    Serve static files under hashed, compressed names from ``collectstatic``'s manifest
    (whitenoise). On by default when debug is off; the server refuses to start until
    ``collectstatic`` has run. The test suite turns it off.

Mail to learners (``docs/wallet.md``, ``docs/deploy.md``): ``MICROCRED_EMAIL_HOST``, ``_PORT``,
``_HOST_USER``, ``_HOST_PASSWORD`` / ``_HOST_PASSWORD_FILE``, ``_USE_TLS``, ``_USE_SSL``,
``_TIMEOUT``, ``MICROCRED_EMAIL_FROM``; without a host, debug mode prints mail on the console
and keeps it for the outbox page. Link lifetimes: ``MICROCRED_WALLET_SIGN_IN_MINUTES``,
``MICROCRED_WALLET_VERIFY_HOURS``, ``MICROCRED_WALLET_CLAIM_DAYS``.

Background jobs (``docs/issuing.md``, ``docs/deploy.md``): ``MICROCRED_BULK_UPLOAD_MAX_BYTES``,
``MICROCRED_BULK_UPLOAD_MAX_ROWS`` (bulk issuing from an uploaded CSV, run by ``manage.py
worker``).

Security (``docs/security.md``): ``MICROCRED_HTTPS``, ``MICROCRED_SECURE_SSL_REDIRECT``,
``MICROCRED_HSTS_SECONDS``, ``MICROCRED_HSTS_INCLUDE_SUBDOMAINS``, ``MICROCRED_HSTS_PRELOAD``,
``MICROCRED_SECURE_PROXY_SSL_HEADER``, ``MICROCRED_TRUSTED_PROXIES``,
``MICROCRED_RATE_LIMITS_ENABLED`` and ``MICROCRED_RATE_LIMIT_<SCOPE>``.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from microcred.net.addresses import parse_networks
from microcred_web.core.private_files import private_dir, sqlite_files

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
    "csp",
    "microcred_web.core",
    "microcred_web.security",
    "microcred_web.register",
    "microcred_web.catalogue",
    "microcred_web.issuing",
    "microcred_web.verification",
    "microcred_web.dashboard",
    "microcred_web.agency_workspace",
    "microcred_web.editor",
    "microcred_web.wallet",
    "microcred_web.team",
    "microcred_web.operator",
    "django_tasks",
    "django_tasks_db",
    "microcred_web.tasks",
]

# Background jobs (microcred_web.tasks, docs/decisions/0017-background-tasks.md): the queue is a
# table of this database, served by `manage.py worker` (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Bulk issuing from an uploaded CSV in the background: the largest file and row count.
MICROCRED_BULK_UPLOAD_MAX_BYTES = int(
    os.environ.get("MICROCRED_BULK_UPLOAD_MAX_BYTES") or 10 * 1024 * 1024
)
MICROCRED_BULK_UPLOAD_MAX_ROWS = int(os.environ.get("MICROCRED_BULK_UPLOAD_MAX_ROWS") or 100_000)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the WSGI process, compressed and cached for ever under
    # hashed names: no separate file server to run (docs/deploy.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "microcred_web.security.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF middleware, which would otherwise fail first on an oversized form.
    "microcred_web.security.middleware.RequestTooLargeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit rows written during a request name its interface (api / page).
    "microcred_web.issuing.audit.AuditInterfaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "microcred_web.security.middleware.RateLimitMiddleware",
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
    # Only the service user may read the database (and var/, which holds it): see
    # microcred_web.core.private_files.
    private_dir(VAR_DIR)
    sqlite_files(VAR_DIR / "microcred.sqlite3")
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
# whitenoise reads this directory when the server starts (it warns when there is none).
# A read-only image: collectstatic made it at build time, or E002 says what is missing.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Without the manifest (development, tests) whitenoise serves the source files directly.
WHITENOISE_USE_FINDERS = not _env_flag("MICROCRED_STATIC_MANIFEST", default=not DEBUG)
MICROCRED_STATIC_MANIFEST = _env_flag("MICROCRED_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if MICROCRED_STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Signing in (django.contrib.auth views under /accounts/) and the provider dashboard.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

# The catalogue search index (tantivy); see microcred_web.catalogue.services.
SEARCH_INDEX_DIR = Path(os.environ.get("MICROCRED_SEARCH_INDEX_DIR") or VAR_DIR / "search-index")

# Bodies larger than this are refused with 413 by the API (see microcred_web.api).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Multipart uploads to a page marked with wallet.uploads.body_limit are refused (413) from
# their declared length, before they are read; MICROCRED_WALLET_IMPORT_MAX_BYTES (default and
# ceiling 2 MB) is the largest credential file a learner can import (docs/wallet.md).
FILE_UPLOAD_HANDLERS = [
    "microcred_web.wallet.uploads.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MICROCRED_WALLET_IMPORT_MAX_BYTES = int(os.environ.get("MICROCRED_WALLET_IMPORT_MAX_BYTES") or 0)

# Issuer identity (see microcred_web.issuing and docs/issuing.md).
MICROCRED_HOST = os.environ.get("MICROCRED_HOST", "").strip() or (
    "localhost:8000" if DEBUG else next(iter(ALLOWED_HOSTS), "localhost")
)
MICROCRED_DID_WEB_ALLOW_HTTP = _env_flag("MICROCRED_DID_WEB_ALLOW_HTTP", default=DEBUG)
# Whether issued credentials also carry a suspension entry (docs/issuing.md, "Status"). Off by
# default: Open Badges 3.0 allows one credentialStatus, so a credential with a revocation and a
# suspension entry (valid VC 2.0) fails the OBv3 3.0 JSON Schema that badge wallets apply.
MICROCRED_STATUS_SUSPENSION = _env_flag("MICROCRED_STATUS_SUSPENSION", default=False)


# ---- Mail: sign-in links and claim messages to learners (docs/wallet.md, docs/deploy.md) ----
def _env_secret(name: str) -> str:
    """``NAME`` or the contents of the file ``NAME_FILE`` (a secret mounted as a file)."""
    path = os.environ.get(name + "_FILE", "").strip()
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error}") from None
    return os.environ.get(name, "").strip()


EMAIL_HOST = os.environ.get("MICROCRED_EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("MICROCRED_EMAIL_PORT", "").strip() or 587)
    EMAIL_HOST_USER = os.environ.get("MICROCRED_EMAIL_HOST_USER", "").strip()
    EMAIL_HOST_PASSWORD = _env_secret("MICROCRED_EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = _env_flag("MICROCRED_EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = _env_flag("MICROCRED_EMAIL_USE_SSL", default=EMAIL_PORT == 465)
elif DEBUG:
    # `make run`: mail is printed on the console and kept for the outbox page (/wallet/outbox/).
    EMAIL_BACKEND = "microcred_web.wallet.outbox.OutboxBackend"
# A mail server that does not answer must not hold issuing up for long (the claim message is
# then recorded as not sent, and sent again when the issuer retries).
EMAIL_TIMEOUT = int(os.environ.get("MICROCRED_EMAIL_TIMEOUT", "").strip() or 10)
#: How long a team invitation link works, in days (docs/workspace-team.md).
MICROCRED_INVITATION_DAYS = int(os.environ.get("MICROCRED_INVITATION_DAYS", "").strip() or 7)
DEFAULT_FROM_EMAIL = os.environ.get("MICROCRED_EMAIL_FROM", "").strip() or (
    f"microcred <no-reply@{MICROCRED_HOST.split(':')[0]}>"
)
# How long one-time links sent to learners stay usable.
MICROCRED_WALLET_SIGN_IN_MINUTES = int(
    os.environ.get("MICROCRED_WALLET_SIGN_IN_MINUTES", "").strip() or 15
)
MICROCRED_WALLET_VERIFY_HOURS = int(
    os.environ.get("MICROCRED_WALLET_VERIFY_HOURS", "").strip() or 24
)
MICROCRED_WALLET_CLAIM_DAYS = int(os.environ.get("MICROCRED_WALLET_CLAIM_DAYS", "").strip() or 30)


# ---- Security: HTTPS, cookies, headers, rate limits (docs/security.md) -----------------------
# Served over https (directly or behind a TLS-terminating proxy): secure cookies, HSTS and the
# http -> https redirect. On by default in production, off in debug mode (plain http locally).
MICROCRED_HTTPS = _env_flag("MICROCRED_HTTPS", default=not DEBUG)
# The redirect alone can be switched off: when the proxy redirects already, or for the tests'
# plain-http test client and live server (tests/conftest.py).
SECURE_SSL_REDIRECT = _env_flag("MICROCRED_SECURE_SSL_REDIRECT", default=MICROCRED_HTTPS)
SESSION_COOKIE_SECURE = MICROCRED_HTTPS
CSRF_COOKIE_SECURE = MICROCRED_HTTPS
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the pages have none, forms carry the token
# HSTS is only sent on https responses; a year, with sub-domains and preload (check --deploy).
SECURE_HSTS_SECONDS = int(
    os.environ.get("MICROCRED_HSTS_SECONDS", "").strip() or (31_536_000 if MICROCRED_HTTPS else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("MICROCRED_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = _env_flag("MICROCRED_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating proxy: the header it sets to "https", e.g. X-Forwarded-Proto. Only
# set it when the proxy always sets (and overwrites) that header.
_PROXY_SSL_HEADER = os.environ.get("MICROCRED_SECURE_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): nothing inline, nothing from elsewhere. The API docs
# page (Swagger UI) gets its own policy in microcred_web.security.csp.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# How many reverse proxies in front of the server append to X-Forwarded-For (0: none; the
# client address is then REMOTE_ADDR). Used for rate limits only, never stored.
MICROCRED_TRUSTED_PROXIES = int(os.environ.get("MICROCRED_TRUSTED_PROXIES", "").strip() or 0)

# Rate limits, "<count>/<period>" per scope (microcred_web.security.limits); each can be set by
# MICROCRED_RATE_LIMIT_<SCOPE> (e.g. MICROCRED_RATE_LIMIT_VERIFY=120/m), "off" disables one.
# A new public endpoint adds its scope here.
_RATE_LIMIT_DEFAULTS = {
    # failed sign-ins from one client network (IPv4 address / IPv6 /64)
    "sign-in-ip": "50/h",
    # failed sign-ins for one user name: past it the account is locked until the window ends
    "sign-in-user": "10/15m",
    # credential verification, page POST and API POST together, per client network
    "verify": "60/m",
    # public share pages and their downloads (GET and HEAD), per client network
    "share-page": "60/m",
    # failed API token authentications per client network
    "api-token": "30/15m",
    # wallets' calls of a credential exchange (Learner Credential Wallet), per client network
    "wallet-exchange": "30/m",
    # learner sign-in and address-verification links asked for, per client network and per
    # address (docs/wallet.md): every request sends a mail, so both are kept low
    "wallet-link-ip": "30/h",
    "wallet-link-address": "5/h",
    # one-time links (sign-in, verify, claim) opened and used, per client network
    "wallet-link-use": "60/h",
    # team invitations sent, per signed-in account (each sends a mail; docs/workspace-team.md)
    "team-invite": "50/h",
    # invitation links used (the accept form posted), per client network
    "team-invitation-use": "30/h",
    # the public "register your organisation" form, requests sent per client network
    "register-organisation": "5/h",
    # specification validation (the editor checks as the provider types), per client network
    "validate": "300/m",
}
MICROCRED_RATE_LIMITS = {
    scope: os.environ.get("MICROCRED_RATE_LIMIT_" + scope.upper().replace("-", "_"), "").strip()
    or rate
    for scope, rate in _RATE_LIMIT_DEFAULTS.items()
}
RATELIMIT_ENABLE = _env_flag("MICROCRED_RATE_LIMITS_ENABLED", default=True)
RATELIMIT_USE_CACHE = "ratelimit"
# Counters shared by every worker process (and host) through the database, on SQLite and
# PostgreSQL alike; the table is created by the security app's migration.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "microcred_web.security.cache.AtomicDatabaseCache",
        "LOCATION": "microcred_rate_limits",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}


# Foreign issuers (docs/verification.md, "Foreign issuers"): resolve other instances' did:web
# DID documents and status lists over HTTPS when verifying. Off by default.
def _env_number(name: str, default: float, *, integer: bool = False) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None
    if number <= 0:
        raise ImproperlyConfigured(f"{name} must be greater than 0, not {value!r}")
    return number


MICROCRED_FOREIGN_DID_WEB = _env_flag("MICROCRED_FOREIGN_DID_WEB", default=False)
# Networks the guard may contact although they are not public (CIDRs; tests, a private
# federation). Empty: public addresses only.
MICROCRED_FOREIGN_ALLOWED_NETWORKS = _env_list("MICROCRED_FOREIGN_ALLOWED_NETWORKS")
try:
    parse_networks(MICROCRED_FOREIGN_ALLOWED_NETWORKS)
except ValueError as _error:
    raise ImproperlyConfigured(f"MICROCRED_FOREIGN_ALLOWED_NETWORKS: {_error}") from None
# A PEM bundle of CA certificates to trust instead of the system's (tests, a private PKI).
MICROCRED_FOREIGN_CA_FILE = os.environ.get("MICROCRED_FOREIGN_CA_FILE", "").strip() or None
if MICROCRED_FOREIGN_CA_FILE is not None and not Path(MICROCRED_FOREIGN_CA_FILE).is_file():
    raise ImproperlyConfigured(
        f"MICROCRED_FOREIGN_CA_FILE: no such file {MICROCRED_FOREIGN_CA_FILE}"
    )
MICROCRED_FOREIGN_CONNECT_TIMEOUT = _env_number("MICROCRED_FOREIGN_CONNECT_TIMEOUT", 3.0)
MICROCRED_FOREIGN_READ_TIMEOUT = _env_number("MICROCRED_FOREIGN_READ_TIMEOUT", 5.0)
MICROCRED_FOREIGN_DEADLINE = _env_number("MICROCRED_FOREIGN_DEADLINE", 10.0)
MICROCRED_FOREIGN_MAX_BYTES = int(
    _env_number("MICROCRED_FOREIGN_MAX_BYTES", 1024 * 1024, integer=True)
)
MICROCRED_FOREIGN_CACHE_TTL = _env_number("MICROCRED_FOREIGN_CACHE_TTL", 300.0)
MICROCRED_FOREIGN_NEGATIVE_TTL = _env_number("MICROCRED_FOREIGN_NEGATIVE_TTL", 30.0)
MICROCRED_FOREIGN_CACHE_SIZE = int(_env_number("MICROCRED_FOREIGN_CACHE_SIZE", 1000, integer=True))
# Test hook, not an environment variable: a callable ``(host, port) -> [address, ...]`` used
# instead of the system resolver, so tests control DNS without touching the system.
MICROCRED_FOREIGN_RESOLVER = None
