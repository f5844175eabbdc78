"""End to end: issue after the account exists, present from the wallet, verify through
``POST /api/v1/presentations/verify``; wrong challenge, wrong domain, a replay and someone
else's credential are each refused: ``verified`` false with the reason there (that API answers
200 whenever there is a presentation to look at, docs/api.md), a 400 with ``problemDetails``
on the VC-API endpoint ``/api/v1/vc-api/presentations/verify``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.issuing.conftest import HOST, IssuingWorld
from tests.web.wallet.fixtures_present import add_entry, issue_to, make_learner

pytestmark = pytest.mark.django_db
API = "/api/v1/presentations/verify"
VC_API = "/api/v1/vc-api/presentations/verify"


def made(client: Any, entries: list[Any], challenge: str, domain: str = "hr.example") -> Any:
    page = client.post(
        "/wallet/present/",
        {"challenge": challenge, "domain": domain, "entries": [e.public_id for e in entries]},
    )
    assert page.status_code == 200, page.content
    return json.loads(page.context["presentation"])


def verify(client: Any, vp: Any, challenge: str, domain: str = "hr.example", url: str = API) -> Any:
    body = {"verifiablePresentation": vp, "options": {"challenge": challenge, "domain": domain}}
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_HOST=HOST, secure=True
    )


def refused(client: Any, vp: Any, challenge: str, reason: str, **options: Any) -> None:
    """Not verified, naming ``reason``, on the API; a 400 on the VC-API endpoint."""
    answer = verify(client, vp, challenge, **options)
    assert answer.status_code == 200 and answer.json()["verified"] is False
    assert reason in answer.content.decode()
    strict = verify(client, vp, challenge, url=VC_API, **options)
    assert strict.status_code == 400, strict.content
    assert reason in strict.content.decode()


def test_wallet_presentation_verifies_then_refusals(world: IssuingWorld, client: Any) -> None:
    ada = make_learner("ada@example.org")
    entry = add_entry(ada, issue_to(world, "ada@example.org").record)
    client.force_login(ada.user)
    vp = made(client, [entry], "e2e-1")
    first = verify(client, vp, "e2e-1")
    assert first.status_code == 200, first.content
    answer = first.json()
    assert answer["verified"] is True, answer
    checks = {c["code"]: c for c in answer["checks"]}
    assert (
        checks["holder"]["status"] == "ok" and "is the subject of 1" in checks["holder"]["message"]
    )
    refused(client, vp, "e2e-1", "challenge-replayed")
    refused(client, made(client, [entry], "e2e-2"), "e2e-other", "wrong-challenge")
    refused(client, made(client, [entry], "e2e-3"), "e2e-3", "wrong-domain", domain="evil.example")


def test_someone_elses_credential_is_refused(world: IssuingWorld, client: Any) -> None:
    ada = make_learner("ada@example.org")
    bob = make_learner("bob@example.org", username="bob")
    bobs = issue_to(world, "bob@example.org").record
    # Bob's credential (bound to Bob's holder DID) put into Ada's wallet, e.g. by an import
    stolen = add_entry(ada, bobs)
    client.force_login(ada.user)
    vp = made(client, [stolen], "e2e-4")
    refused(client, vp, "e2e-4", "holder-not-subject")
    assert (
        vp["verifiableCredential"][0]["credentialSubject"]["id"]
        == bob.__class__.objects.get(pk=bob.pk).holder_did
    )
