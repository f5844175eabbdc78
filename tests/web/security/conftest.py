"""Security tests reuse the issuing fixtures (providers, staff, tokens, a KEK) and start every
test with empty rate-limit counters: the counters live in a database table that transactional
tests (the live server's) do not flush."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.issuing.conftest import (  # noqa: F401 (fixtures)
    HOST,
    IssuingWorld,
    issuing_settings,
    world,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: pytest.FixtureRequest) -> None:
    wanted = [name for name in ("transactional_db", "db") if name in request.fixturenames]
    if not wanted:
        return
    request.getfixturevalue(wanted[0])
    from django.core.cache import caches

    caches["ratelimit"].clear()


def tighten(settings: Any, **rates: str) -> None:
    """Set some scopes' rates for one test: ``tighten(settings, verify="3/m")``."""
    settings.MICROCRED_RATE_LIMITS = {
        **settings.MICROCRED_RATE_LIMITS,
        **{scope.replace("_", "-"): rate for scope, rate in rates.items()},
    }


@pytest.fixture(autouse=True)
def _probe_rate(settings: Any) -> None:
    """The probe views' scope (tests/web/security/probe_urls.py), generous unless tightened."""
    tighten(settings, probe="1000/m")
