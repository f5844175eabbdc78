"""Foreign did:web issuers on the instance (``MICROCRED_FOREIGN_DID_WEB``), end to end.

A local HTTPS server stands for another instance: it serves the issuer's DID document and
status list; the settings let the guard reach 127.0.0.1 for ``foreign.test`` (a resolver
hook) and trust the test CA. Hostile servers each end in a clear issuer error with a
stable reason — never a hang, never a 500.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.core.net.conftest import NAME
from tests.core.verify.conftest import DID_PATH, LIST_PATH, Foreign
from tests.https_servers import Authority, huge, json_answer, redirect, resolver_for, trickle

API = "/api/v1/credentials/verify"
DEADLINE = 1.5
pytestmark = pytest.mark.django_db


@pytest.fixture
def lookups() -> list[str]:
    return []


@pytest.fixture
def foreign_on(settings: Any, authority: Authority, lookups: list[str]) -> Iterator[None]:
    table = resolver_for(
        {NAME: ["127.0.0.1"], "ten.test": ["10.0.0.7"], "meta.test": ["169.254.169.254"]}
    )

    def resolve(host: str, port: int) -> list[str]:
        lookups.append(host)
        return table(host, port)

    settings.MICROCRED_FOREIGN_DID_WEB = True
    settings.MICROCRED_FOREIGN_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.MICROCRED_FOREIGN_CA_FILE = authority.ca_file
    settings.MICROCRED_FOREIGN_RESOLVER = resolve
    settings.MICROCRED_FOREIGN_CONNECT_TIMEOUT = 1.0
    settings.MICROCRED_FOREIGN_READ_TIMEOUT = 1.0
    settings.MICROCRED_FOREIGN_DEADLINE = DEADLINE
    settings.MICROCRED_FOREIGN_MAX_BYTES = 256 * 1024
    yield


def verify(client: Any, credential: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        API, data=json.dumps({"verifiableCredential": credential}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def checks(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["code"]: check for check in body["checks"]}


def test_a_foreign_credential_verifies_on_the_api(
    client: Any,
    foreign: Foreign,
    foreign_on: None,
) -> None:
    body = verify(client, foreign.signed(8))
    found = checks(body)
    assert (body["verified"], body["outcome"]) == (True, "verified"), found
    assert found["issuer"]["status"] == "ok"
    assert found["status"]["message"] == "not revoked"
    # not in this register: a graded finding, not an error
    assert found["qa"]["status"] == "warning"
    assert found["qa"]["details"]["reason"] == "unknown-issuer"
    assert found["qa"]["message"].startswith("issuer not in this register")
    assert foreign.server.hits == [DID_PATH, LIST_PATH]  # the DID document fetched once


def test_a_revoked_foreign_credential_is_revoked_on_the_page(
    client: Any,
    foreign: Foreign,
    foreign_on: None,
) -> None:
    response = client.post("/verify/", {"credential": json.dumps(foreign.signed(9))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Result: not verified</h2>" in html
    assert "the issuer has revoked this credential" in html


def test_off_by_default_nothing_is_fetched(
    client: Any,
    foreign: Foreign,
) -> None:
    found = checks(verify(client, foreign.signed(8)))
    assert found["issuer"]["details"]["reason"] == "did-resolution-failed"
    assert foreign.server.hits == []


def claimed_by(credential: dict[str, Any], did: str) -> dict[str, Any]:
    """The credential as if issued by ``did`` (its proof no longer holds, but the issuer's
    DID is what gets resolved first)."""
    credential["issuer"]["id"] = did
    credential["proof"]["verificationMethod"] = f"{did}#key-1"
    return credential


def test_this_instance_s_own_host_is_never_fetched(
    client: Any, settings: Any, foreign_on: None, lookups: list[str], signed: Any
) -> None:
    did = f"did:web:{settings.MICROCRED_HOST}:providers:nobody"
    found = checks(verify(client, claimed_by(signed, did)))
    assert found["issuer"]["status"] == "error"
    assert "not a provider of this instance" in found["issuer"]["message"]
    assert lookups == []


def _wrong_id(site: Foreign) -> None:
    assert site.issuer.document is not None
    site.server.routes[DID_PATH] = json_answer(dict(site.issuer.document, id="did:web:evil.test"))


HOSTILE: dict[str, tuple[Callable[[Foreign], Any], str, str]] = {
    "slow": (
        lambda s: s.server.routes.__setitem__(DID_PATH, trickle(0.1, 20)),
        "fetch-timeout",
        "could-not-check",
    ),
    "huge": (
        lambda s: s.server.routes.__setitem__(DID_PATH, huge(20 * 1024 * 1024, False)),
        "fetch-too-large",
        "not-verified",
    ),
    "redirect to a private address": (
        lambda s: s.server.routes.__setitem__(DID_PATH, redirect("https://10.0.0.1/did.json")),
        "fetch-redirect-refused",
        "not-verified",
    ),
    "wrong id": (_wrong_id, "did-document-mismatch", "not-verified"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_servers_are_clear_issuer_errors(
    client: Any,
    foreign: Foreign,
    foreign_on: None,
    case: str,
) -> None:
    spoil, reason, outcome = HOSTILE[case]
    spoil(foreign)
    started = time.monotonic()
    body = verify(client, foreign.signed(8))
    assert time.monotonic() - started < DEADLINE + 2
    found = checks(body)
    assert found["issuer"]["status"] == "error"
    assert found["issuer"]["details"]["reason"] == reason, found["issuer"]
    assert (body["verified"], body["outcome"]) == (False, outcome)


def test_an_invalid_certificate_is_a_clear_issuer_error(
    client: Any,
    foreign: Foreign,
    foreign_on: None,
    settings: Any,
    tmp_path: Any,
) -> None:
    from tests.https_servers import make_authority

    settings.MICROCRED_FOREIGN_CA_FILE = make_authority(tmp_path / "other").ca_file
    found = checks(verify(client, foreign.signed(8)))
    assert found["issuer"]["details"]["reason"] == "fetch-tls-failed"
    assert foreign.server.hits == []


@pytest.mark.parametrize("name", ["ten.test", "meta.test", NAME])
def test_names_resolving_to_non_public_addresses_are_refused(
    client: Any,
    foreign: Foreign,
    foreign_on: None,
    settings: Any,
    name: str,
) -> None:
    settings.MICROCRED_FOREIGN_ALLOWED_NETWORKS = []  # 127.0.0.1 is not allowed now either
    credential = claimed_by(foreign.signed(8), foreign.issuer.did.replace(NAME, name))
    body = verify(client, credential)
    issuer = checks(body)["issuer"]
    assert issuer["status"] == "error"
    assert issuer["details"]["reason"] == "fetch-address-blocked"
    assert "it is not contacted" in issuer["message"]
    assert (body["verified"], body["outcome"]) == (False, "not-verified")
    assert foreign.server.hits == []


def test_many_slow_status_lists_do_not_hold_the_request(
    client: Any, foreign: Foreign, foreign_on: None
) -> None:
    from microcred.credentials.status_list import status_entry
    from tests.core.verify.conftest import credential

    base = f"https://{NAME}:{foreign.server.port}"
    entries = []
    for n in range(6):
        foreign.server.routes[f"/slow/{n}"] = trickle(0.1, 20)
        entries.append(status_entry(f"{base}/slow/{n}", 8, "revocation"))
    signed = foreign.issuer.sign(credential(foreign.issuer.did, credentialStatus=entries))
    started = time.monotonic()
    body = verify(client, signed)
    assert time.monotonic() - started < 2 * DEADLINE + 1.5  # the budget, not six deadlines
    status = checks(body)["status"]
    assert status["details"]["reason"] == "status-list-unavailable"
    assert {e["cause"] for e in status["details"]["entries"]} == {"fetch-timeout"}
    assert body["outcome"] == "could-not-check"
