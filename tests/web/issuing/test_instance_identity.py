"""The instance's public identity (host, http/https) is recorded at the first key and kept.

Before, DIDs and status-list URLs were built from the settings of the moment: switching
debug off turned new status URLs to https while the lists were http, and a new
``MICROCRED_HOST`` orphaned every credential. Now the recorded identity is what
issuing/identity.py uses, settings that disagree fail the system check, and each status list
keeps the address it was opened under.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.core import checks

from microcred_web.issuing import identity, issue, keys
from microcred_web.issuing.checks import recorded_identity_kept
from microcred_web.issuing.models import InstanceIdentity, StatusListRecord
from microcred_web.verification.resolvers import InstanceStatusLists

from .conftest import HOST, IssuingWorld

VERIFY = "/api/v1/credentials/verify"


def identity_errors() -> list[checks.CheckMessage]:
    return recorded_identity_kept()


def issued(world: IssuingWorld, learner: str = "ada@example.org") -> dict[str, Any]:
    outcome = issue.issue_credential(world.users["staff_a"], world.spec_a, issue.Learner(learner))
    return outcome.credential


def status_url(credential: dict[str, Any]) -> str:
    entry = credential["credentialStatus"]
    return str((entry[0] if isinstance(entry, list) else entry)["statusListCredential"])


def verify(client: Any, credential: dict[str, Any]) -> dict[str, str]:
    response = client.post(
        VERIFY,
        data=json.dumps({"verifiableCredential": credential}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return {check["code"]: check["status"] for check in response.json()["checks"]}


def debug_identity(settings: Any) -> None:
    """What ``make run`` gives: loopback host over http."""
    settings.MICROCRED_HOST = "localhost:8000"
    settings.MICROCRED_DID_WEB_ALLOW_HTTP = True
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]


def test_the_first_key_records_the_configured_identity(world: IssuingWorld) -> None:
    assert identity.recorded() is None
    keys.ensure_key(world.provider_a)
    assert identity.recorded() == identity.PublicIdentity(HOST, "https")
    assert InstanceIdentity.objects.count() == 1
    keys.ensure_key(world.provider_b)  # a second provider's key records nothing new
    assert InstanceIdentity.objects.count() == 1


def test_before_the_first_key_the_settings_may_change(world: IssuingWorld, settings: Any) -> None:
    settings.MICROCRED_HOST = "elsewhere.example"
    assert identity_errors() == []
    assert identity.did_for_provider(world.provider_a).startswith("did:web:elsewhere.example:")


@pytest.mark.parametrize(
    ("host", "allow_http", "hint"),
    [
        ("registry.example", False, "MICROCRED_HOST=issuer.example"),
        ("ISSUER.example", False, None),  # the same host name
    ],
)
def test_a_changed_host_fails_the_system_check(
    world: IssuingWorld, settings: Any, host: str, allow_http: bool, hint: str | None
) -> None:
    issued(world)
    settings.MICROCRED_HOST = host
    settings.MICROCRED_DID_WEB_ALLOW_HTTP = allow_http
    errors = identity_errors()
    if hint is None:
        assert errors == []
        return
    [error] = errors
    assert error.id == "issuing.E001"
    assert error.is_serious()
    assert "https://issuer.example (recorded in the database)" in error.msg
    assert hint in error.msg and "MICROCRED_DID_WEB_ALLOW_HTTP=0" in error.msg
    assert "docs/issuing.md" in error.msg


def test_debug_off_after_issuing_under_http_fails_unless_http_is_kept(
    world: IssuingWorld, settings: Any, client: Any
) -> None:
    debug_identity(settings)
    old = issued(world)
    assert status_url(old).startswith("http://localhost:8000/status/north-sea-university/")

    settings.MICROCRED_DID_WEB_ALLOW_HTTP = False  # debug off: https by default
    [error] = identity_errors()
    assert "http://localhost:8000 (recorded" in error.msg
    assert "MICROCRED_DID_WEB_ALLOW_HTTP=1" in error.msg

    # Even so, nothing uses the new settings: what is issued and verified keeps the record.
    assert identity.base_url() == "http://localhost:8000"
    new = issued(world, "grace@example.org")
    assert status_url(new) == status_url(old)
    assert new["issuer"]["id"] == old["issuer"]["id"]
    for credential in (old, new):
        assert verify(client, credential)["status"] == "ok"

    settings.MICROCRED_DID_WEB_ALLOW_HTTP = True  # the recorded identity kept
    assert identity_errors() == []


def test_a_status_list_is_found_and_served_at_its_own_address(
    world: IssuingWorld, settings: Any, client: Any
) -> None:
    credential = issued(world)
    url = status_url(credential)
    record = StatusListRecord.objects.get(purpose="revocation")
    assert record.url == url
    served = client.get(
        "/status/north-sea-university/revocation/1", HTTP_HOST=HOST, secure=True
    ).json()
    assert served["id"] == url
    assert InstanceStatusLists().fetch(url) == served
    assert InstanceStatusLists().fetch(url.replace("https://", "http://")) is None


def test_upgrading_a_database_that_issued_takes_the_identity_from_its_credentials(
    world: IssuingWorld, settings: Any, client: Any
) -> None:
    """The migration that adds the record: an instance that issued under http, upgraded with
    debug off, keeps http (what its credentials say), not what the settings say now."""
    debug_identity(settings)
    old = issued(world)
    InstanceIdentity.objects.all().delete()
    StatusListRecord.objects.update(url="")
    settings.MICROCRED_DID_WEB_ALLOW_HTTP = False

    migration = importlib.import_module(
        "microcred_web.issuing.migrations.0003_instance_identity_status_list_url"
    )
    migration.forwards(apps, None)

    assert identity.recorded() == identity.PublicIdentity("localhost:8000", "http")
    assert StatusListRecord.objects.get(purpose="revocation").url == status_url(old)
    assert verify(client, old)["status"] == "ok"
    assert identity_errors() != []  # and the https settings are refused
