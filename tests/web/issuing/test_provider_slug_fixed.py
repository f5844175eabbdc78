"""A provider's slug is part of its DID and status-list URLs: fixed once it has a key or issued.

Before, ``PUT /api/v1/providers/<slug> {"slug": ...}`` answered 200 and every credential the
provider had issued then failed with "not a provider of this instance". The rule is in the
register service (``records.save_provider``), so the API, the import and the command line
all refuse; before the first key the slug may still change, and the change is audited.
"""

from __future__ import annotations

import json
from typing import Any

from microcred_web.issuing import keys
from microcred_web.issuing.models import AuditEvent
from microcred_web.register import records
from microcred_web.register.models import Provider

from .conftest import HOST, IssuingWorld, fetch_json, verify_with_instance
from .test_api_issue import body, post

VERIFY = "/api/v1/credentials/verify"


def rename(client: Any, world: IssuingWorld, slug: str, new: str, who: str = "staff_a") -> Any:
    return client.put(
        f"/api/v1/providers/{slug}",
        data=json.dumps({"slug": new}),
        content_type="application/json",
        **world.auth(who),
    )


def verified(client: Any, credential: dict[str, Any]) -> dict[str, str]:
    response = client.post(
        VERIFY,
        data=json.dumps({"verifiableCredential": credential}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True, response.json()
    return {check["code"]: check["status"] for check in response.json()["checks"]}


def test_a_provider_that_issued_cannot_change_its_slug(world: IssuingWorld, client: Any) -> None:
    issued = post(client, world, "staff_a", body(world.spec_a))
    assert issued.status_code == 201, issued.content
    credential = issued.json()["verifiableCredential"]

    response = rename(client, world, "north-sea-university", "nsu")

    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["outcome"] == "rejected"
    [problem] = answer["findings"]
    assert (problem["code"], problem["path"]) == ("identity-fixed", "slug")
    assert "has issued credentials" in problem["message"]
    assert "DID" in problem["message"]
    assert Provider.objects.filter(slug="north-sea-university").exists()
    # the old credential still verifies, its DID document is where it was
    checks = verified(client, credential)
    assert checks["issuer"] == checks["proof"] == checks["status"] == "ok"
    assert verify_with_instance(client, credential).verified
    document = fetch_json(client, f"https://{HOST}/providers/north-sea-university/did.json")
    assert document["id"] == credential["issuer"]["id"]


def test_the_operator_cannot_either(world: IssuingWorld, client: Any) -> None:
    assert post(client, world, "staff_a", body(world.spec_a)).status_code == 201
    assert rename(client, world, "north-sea-university", "nsu", "operator").status_code == 422


def test_a_signing_key_alone_fixes_the_slug(world: IssuingWorld, client: Any) -> None:
    keys.ensure_key(world.provider_b)  # its DID document is published from now on

    response = rename(client, world, "codecraft", "code-craft", "staff_b")

    assert response.status_code == 422
    [problem] = response.json()["findings"]
    assert problem["path"] == "slug"
    assert "has a signing key" in problem["message"]


def test_every_path_goes_through_the_rule(world: IssuingWorld, client: Any) -> None:
    """The service refuses, so the import and the command line (which call it) do too."""
    keys.ensure_key(world.provider_a)
    outcome = records.save_provider(
        world.users["operator"], {"slug": "nsu"}, instance=world.provider_a
    )
    assert outcome.outcome == "rejected"
    assert [f["path"] for f in outcome.findings] == ["slug"]
    # other fields still change; the same slug sent again is no change
    outcome = records.save_provider(
        world.users["staff_a"],
        {"slug": "north-sea-university", "city": "Groningen"},
        instance=world.provider_a,
    )
    assert outcome.outcome == "updated", outcome.findings
    assert not AuditEvent.objects.filter(action="change-provider-identity").exists()


def test_before_any_key_the_slug_changes_and_the_change_is_audited(
    world: IssuingWorld, client: Any
) -> None:
    response = rename(client, world, "codecraft", "code-craft", "staff_b")

    assert response.status_code == 200, response.content
    assert Provider.objects.filter(slug="code-craft").exists()
    event = AuditEvent.objects.get(action="change-provider-identity")
    assert event.actor == world.users["staff_b"]
    assert event.target == f"provider {world.provider_b.public_id}"
    assert event.reason == "slug: codecraft -> code-craft"
    # and the renamed provider issues under its new DID
    keys.ensure_key(Provider.objects.get(slug="code-craft"))
    assert rename(client, world, "code-craft", "codecraft", "staff_b").status_code == 422
