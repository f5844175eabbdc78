"""Revoke / suspend / reinstate flip the bit in the served, signed status list; audited."""

from __future__ import annotations

import io
import json
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from microcred.credentials.obv3 import obv3_schema_view
from microcred.credentials.status_list import MIN_ENTRIES, check_status
from microcred_web.issuing.models import AuditEvent, StatusAllocation, StatusListRecord
from tests.core.samples import FIXTURES

from .conftest import IssuingWorld, fetch_json, verify_with_instance


def issue(client: Any, world: IssuingWorld, identifier: str = "ada@example.org") -> Any:
    response = client.post(
        "/api/v1/credentials/issue",
        data=json.dumps(
            {"specification": world.spec_a.public_id, "learner": {"identifier": identifier}}
        ),
        content_type="application/json",
        **world.auth("staff_a"),
    )
    assert response.status_code == 201, response.content
    return response.json()["verifiableCredential"]


def change(client: Any, world: IssuingWorld, credential: Any, action: str, who: str = "staff_a"):
    return client.post(
        f"/api/v1/credentials/{credential['id']}/status",
        data=json.dumps({"action": action, "reason": f"{action} for testing"}),
        content_type="application/json",
        **world.auth(who),
    )


def statuses(client: Any, credential: Any) -> dict[str, bool]:
    """Fetch each status list the credential names, verify its proof, read the bit."""
    found = {}
    for entry in credential["credentialStatus"]:
        list_credential = fetch_json(client, entry["statusListCredential"])
        result = verify_with_instance(client, list_credential)
        assert result.verified, (result.code, result.message)
        found[entry["statusPurpose"]] = check_status(entry, list_credential).set
    return found


def test_revoke_flips_the_revocation_bit(
    world: IssuingWorld, client: Any, suspension: None
) -> None:
    credential = issue(client, world)
    other = issue(client, world, "bob@example.org")
    assert statuses(client, credential) == {"revocation": False, "suspension": False}
    response = change(client, world, credential, "revoke")
    assert response.status_code == 200, response.content
    assert response.json() == {"id": credential["id"], "revoked": True, "suspended": False}
    assert statuses(client, credential) == {"revocation": True, "suspension": False}
    assert statuses(client, other) == {"revocation": False, "suspension": False}
    event = AuditEvent.objects.get(action="revoke")
    assert (event.actor_name, event.reason) == ("staff_a", "revoke for testing")
    # Revocation is final.
    assert change(client, world, credential, "reinstate").status_code == 409
    assert change(client, world, credential, "revoke").status_code == 409


def test_suspend_then_reinstate(world: IssuingWorld, client: Any, suspension: None) -> None:
    credential = issue(client, world)
    assert change(client, world, credential, "reinstate").status_code == 409
    assert change(client, world, credential, "suspend").status_code == 200
    assert statuses(client, credential) == {"revocation": False, "suspension": True}
    assert change(client, world, credential, "suspend").status_code == 409
    assert change(client, world, credential, "reinstate").status_code == 200
    assert statuses(client, credential) == {"revocation": False, "suspension": False}
    status_events = AuditEvent.objects.filter(action__in=["revoke", "suspend", "reinstate"])
    assert list(status_events.order_by("pk").values_list("action", flat=True)) == [
        "suspend",
        "reinstate",
    ]
    assert set(status_events.values_list("interface", flat=True)) == {"api"}


def test_other_provider_cannot_change_status(world: IssuingWorld, client: Any) -> None:
    credential = issue(client, world)
    assert change(client, world, credential, "revoke", who="staff_b").status_code == 403
    assert change(client, world, credential, "revoke", who="nobody").status_code == 403
    # The register operator governs but does not act as the provider (issue 11).
    refused = change(client, world, credential, "revoke", who="operator")
    assert refused.status_code == 403
    assert "issuers and admins" in refused.json()["detail"]
    assert change(client, world, credential, "revoke", who="staff_a").status_code == 200


def test_unknown_action_and_credential(world: IssuingWorld, client: Any) -> None:
    credential = issue(client, world)
    assert change(client, world, credential, "delete").status_code == 422
    assert (
        change(
            client, world, {"id": "urn:uuid:00000000-0000-4000-8000-000000000000"}, "revoke"
        ).status_code
        == 404
    )


def test_status_lists_are_large_random_and_never_reuse_an_index(
    world: IssuingWorld, client: Any, suspension: None
) -> None:
    credentials = [issue(client, world, f"learner-{n}@example.org") for n in range(6)]
    status_list = StatusListRecord.objects.get(purpose="revocation")
    assert status_list.size >= MIN_ENTRIES
    assert status_list.allocated == 6
    indexes = [
        int(entry["statusListIndex"])
        for credential in credentials
        for entry in credential["credentialStatus"]
        if entry["statusPurpose"] == "revocation"
    ]
    assert len(set(indexes)) == 6
    assert indexes != sorted(indexes) or max(indexes) > 100  # random, not 0, 1, 2, ...
    assert StatusAllocation.objects.count() == 12


def test_unknown_status_list_is_404(world: IssuingWorld, client: Any) -> None:
    issue(client, world)
    assert client.get("/status/north-sea-university/revocation/9").status_code == 404
    assert client.get("/status/north-sea-university/other/1").status_code == 404
    assert client.get("/status/north-sea-university/revocation/1").status_code == 200


def test_revoke_command(world: IssuingWorld, client: Any, suspension: None) -> None:
    credential = issue(client, world)
    out = io.StringIO()
    call_command("revoke", credential["id"], "--suspend", "--reason", "check", stdout=out)
    assert "suspended=True" in out.getvalue()
    call_command("revoke", credential["id"], "--reason", "fraud", stdout=out)
    assert statuses(client, credential) == {"revocation": True, "suspension": True}
    with pytest.raises(CommandError, match="final"):
        call_command("revoke", credential["id"], "--reinstate", "--reason", "oops")
    shell = AuditEvent.objects.filter(actor_name="shell")
    assert sorted(shell.values_list("action", "interface")) == [
        ("revoke", "cli"),
        ("suspend", "cli"),
    ]


# -- the default: one status entry, as Open Badges 3.0 allows --------------------------------


def obv3_schema_errors(credential: dict[str, Any]) -> list[str]:
    schema = json.loads(
        (FIXTURES / "obv3" / "ob_v3p0_achievementcredential_schema.json").read_text()
    )
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    view = obv3_schema_view(credential)  # the schema's proof-as-array quirk only
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(view)]


def test_issued_credentials_carry_one_status_entry_and_pass_the_obv3_schema(
    world: IssuingWorld, client: Any
) -> None:
    credential = issue(client, world)
    status = credential["credentialStatus"]
    assert isinstance(status, dict)
    assert status["statusPurpose"] == "revocation"
    assert obv3_schema_errors(credential) == []
    assert StatusAllocation.objects.count() == 1
    assert verify_with_instance(client, credential).verified


def test_without_a_suspension_entry_suspending_is_refused_and_revoking_works(
    world: IssuingWorld, client: Any
) -> None:
    credential = issue(client, world)
    refused = change(client, world, credential, "suspend")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("status-entry-missing: ")
    assert "MICROCRED_STATUS_SUSPENSION" in refused.json()["detail"]
    assert not AuditEvent.objects.filter(action__in=["suspend", "revoke"]).exists()
    assert change(client, world, credential, "revoke").status_code == 200
    entry = credential["credentialStatus"]
    list_credential = fetch_json(client, entry["statusListCredential"])
    assert check_status(entry, list_credential).set


def test_with_suspension_on_two_entries_are_issued(
    world: IssuingWorld, client: Any, suspension: None
) -> None:
    credential = issue(client, world)
    purposes = [entry["statusPurpose"] for entry in credential["credentialStatus"]]
    assert purposes == ["revocation", "suspension"]
    # valid VC 2.0, but outside the OBv3 3.0 schema's one-object rule: why it is opt-in
    assert any("credentialStatus" in error for error in obv3_schema_errors(credential))
