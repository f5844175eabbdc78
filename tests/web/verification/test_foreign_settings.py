"""The ``MICROCRED_FOREIGN_*`` settings: read from the environment, checked at start-up, and
turned into the guard's configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcred.verify.foreign import DidWebResolver
from microcred_web.verification import foreign, resolvers, services
from tests.web.test_settings import load_settings

BASE = {"MICROCRED_SECRET_KEY": "tests-only"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MICROCRED_FOREIGN_DEADLINE", "soon", "MICROCRED_FOREIGN_DEADLINE must be a number"),
        ("MICROCRED_FOREIGN_MAX_BYTES", "-5", "MICROCRED_FOREIGN_MAX_BYTES must be greater than 0"),
        ("MICROCRED_FOREIGN_MAX_BYTES", "1.5", "MICROCRED_FOREIGN_MAX_BYTES must be a number"),
        ("MICROCRED_FOREIGN_ALLOWED_NETWORKS", "10.0.0.0/8,lan", "'lan' is not an IP network"),
        ("MICROCRED_FOREIGN_CA_FILE", "/no/such/ca.pem", "no such file /no/such/ca.pem"),
    ],
)
def test_a_bad_value_stops_start_up_naming_it(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = load_settings(**BASE, MICROCRED_VAR_DIR=str(tmp_path), **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_settings_become_the_guard_s_configuration(settings: Any, tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("")
    settings.MICROCRED_FOREIGN_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.MICROCRED_FOREIGN_CA_FILE = str(ca)
    settings.MICROCRED_FOREIGN_DEADLINE = 4.0
    settings.MICROCRED_FOREIGN_MAX_BYTES = 1234
    settings.MICROCRED_FOREIGN_CACHE_TTL = 60.0
    config = foreign.fetch_config()
    assert [str(n) for n in config.policy.allowed] == ["10.0.0.0/8"]
    assert (config.ca_file, config.deadline, config.max_bytes, config.cache_ttl) == (
        str(ca),
        4.0,
        1234,
        60.0,
    )


@pytest.mark.django_db
def test_off_by_default_and_shared_when_on(settings: Any) -> None:
    assert settings.MICROCRED_FOREIGN_DID_WEB is False
    assert foreign.remote_documents() is None
    assert services.verification_context().did_resolver._foreign is None  # type: ignore[attr-defined]
    settings.MICROCRED_FOREIGN_DID_WEB = True
    first, second = foreign.remote_documents(), foreign.remote_documents()
    assert first is not None and first is second  # one cache for every request
    resolver = services.verification_context().did_resolver
    assert isinstance(resolver, resolvers.InstanceDidResolver)
    assert isinstance(resolver._foreign, DidWebResolver)
