"""Test configuration shared by the whole suite.

The web tests use pytest-django, which needs ``DJANGO_SETTINGS_MODULE``; it is set here (before
pytest-django's ``pytest_configure`` runs ``django.setup()``). Django then lives in the test
process, which is fine: what must never import Django is the ``microcred`` package itself, and
``tests/test_architecture.py`` checks that on the source, not on the process.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred_web.settings")
# The settings refuse to start without a secret key outside debug mode; tests run with
# DEBUG off (as production does) and a key that is obviously not a secret.
os.environ.setdefault("MICROCRED_SECRET_KEY", "tests-only-not-a-secret")
# The test client and the live server speak plain http: no redirect to https (cookies stay
# Secure and HSTS stays on, as in production; docs/security.md).
os.environ.setdefault("MICROCRED_SECURE_SSL_REDIRECT", "0")
# The learner-identifier key is a secret of its own (never derived from SECRET_KEY).
os.environ.setdefault("MICROCRED_IDENTIFIER_KEY", "tests-only-identifier-key-not-a-secret")
# Playwright's sync API runs an event loop in the main thread; Django's async-safety guard would
# then refuse the database work that pytest-django's live_server does around browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
# The suite does not run collectstatic: plain static storage (production's hashed manifest
# is tested by tests/web/test_serve.py against a real `make serve`-style server).
os.environ.setdefault("MICROCRED_STATIC_MANIFEST", "0")


def pytest_configure(config: pytest.Config) -> None:
    """Load the settings, so that pytest-django's own (later) ``pytest_configure`` sets Django up.

    pytest-django only does that for settings already loaded, and it reads
    ``DJANGO_SETTINGS_MODULE`` before this file is imported.
    """
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018
