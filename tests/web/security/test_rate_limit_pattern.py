"""The reusable pattern: ``@rate_limit("<scope>")`` on a page view and on a ninja operation.

Later public endpoints (sign-in links, presentations, OpenID4VCI) add a scope to
``MICROCRED_RATE_LIMITS`` and put the decorator on their view; these tests hold the pattern to
what docs/security.md promises.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from microcred_web.security.limits import rate_limit

from .conftest import tighten

pytestmark = pytest.mark.urls("tests.web.security.probe_urls")


@pytest.fixture(autouse=True)
def _probe_scope(settings: Any) -> None:
    tighten(settings, probe="2/m")


def test_a_page_view(db: Any, client: Client) -> None:
    assert [client.post("/probe/limited").status_code for _ in range(2)] == [200, 200]
    assert client.get("/probe/limited").status_code == 200  # GET is not counted here
    refused = client.post("/probe/limited")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused["Content-Type"].startswith("text/html")
    assert "Too many requests" in refused.content.decode()


def test_a_ninja_operation_keeps_its_parameters(db: Any, client: Client) -> None:
    ok = client.post("/probe/api/items?name=kept")
    assert ok.status_code == 200 and ok.json() == {"name": "kept"}
    client.post("/probe/api/items")
    refused = client.post("/probe/api/items")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate-limited"
    assert int(refused["Retry-After"]) >= 1


def test_an_unknown_scope_fails_when_the_view_is_defined() -> None:
    with pytest.raises(ImproperlyConfigured, match="MICROCRED_RATE_LIMITS"):
        rate_limit("no-such-scope")


def test_all_limits_can_be_switched_off_for_a_run(db: Any, client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    assert {client.post("/probe/limited").status_code for _ in range(5)} == {200}


def test_each_rate_can_be_set_by_the_environment() -> None:
    env = {
        **os.environ,
        "MICROCRED_RATE_LIMIT_VERIFY": "7/h",
        "MICROCRED_RATE_LIMIT_SIGN_IN_USER": "3/30m",
        "MICROCRED_RATE_LIMITS_ENABLED": "0",
    }
    probe = (
        "import django; from django.conf import settings; django.setup(); "
        "r = settings.MICROCRED_RATE_LIMITS; "
        "print(r['verify'], r['sign-in-user'], r['api-token'], settings.RATELIMIT_ENABLE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["7/h", "3/30m", "30/15m", "False"]
