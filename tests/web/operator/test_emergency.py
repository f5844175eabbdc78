"""The operator's emergency action: a reasoned, audited status change of a provider's
credential, signing only the changed status list, which the provider sees on its dashboard
and in its history."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.credentials.status_list import StatusList
from microcred_web.issuing import issue
from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord, StatusListRecord

from .conftest import IssuingWorld, signed_in

URL = "/operator/emergency/"


@pytest.fixture
def credential(world: IssuingWorld) -> IssuedCredentialRecord:
    outcome = issue.issue_credential(
        world.users["staff_a"], world.spec_a, issue.Learner("ada@example.org", "Ada Lovelace")
    )
    return outcome.record


def _post(client: Any, record: Any, **changes: str) -> Any:
    data = {
        "credential": str(record.public_id),
        "action": "revoke",
        "reason": "Court order 2026/117 of the district court",
        "confirm": "on",
    }
    return client.post(URL, data | changes)


def test_revoking_on_a_court_order(
    client: Any, world: IssuingWorld, credential: IssuedCredentialRecord
) -> None:
    signed_in(client, world.users["operator"])
    found = client.get(URL, {"q": f"urn:uuid:{credential.public_id}"})
    assert found.status_code == 200 and "Data stewardship basics" in found.content.decode()
    assert "Ada" not in found.content.decode()  # no learner data on the page
    status_list = StatusListRecord.objects.get(purpose="revocation")
    signed_before = status_list.signed

    response = _post(client, credential)
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked
    status_list.refresh_from_db()
    bits = StatusList.decode(status_list.encoded, "revocation")
    assert bits.get(credential.revocation.index)
    assert status_list.signed != signed_before
    assert status_list.signed["proof"]["verificationMethod"].startswith(
        "did:web:issuer.example:providers:north-sea-university"
    )
    row = AuditEvent.objects.get(action="emergency-revoke")
    assert row.actor == world.users["operator"]
    assert row.reason == "Court order 2026/117 of the district court"
    assert row.target == f"credential {credential.public_id}"
    assert row.details["provider"] == world.provider_a.slug
    assert not AuditEvent.objects.filter(action="revoke").exists()


def test_the_provider_sees_the_action(
    client: Any, world: IssuingWorld, credential: IssuedCredentialRecord
) -> None:
    signed_in(client, world.users["operator"])
    assert _post(client, credential).status_code == 302
    signed_in(client, world.users["staff_a"])
    dashboard = client.get(f"/dashboard/providers/{world.provider_a.slug}/").content.decode()
    assert "Emergency actions by the register operator" in dashboard
    assert "Court order 2026/117" in dashboard
    history = client.get(f"/history/providers/{world.provider_a.slug}/").content.decode()
    assert "emergency-" in history and "Court order 2026/117" in history
    # The other provider is not shown it.
    signed_in(client, world.users["staff_b"])
    other = client.get(f"/dashboard/providers/{world.provider_b.slug}/").content.decode()
    assert "Emergency actions" not in other


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"reason": "   "}, "reason"), ({"confirm": ""}, "confirm"), ({"action": "delete"}, "action")],
)
def test_bad_input_is_refused_at_the_field(
    client: Any,
    world: IssuingWorld,
    credential: IssuedCredentialRecord,
    changes: dict[str, str],
    field: str,
) -> None:
    signed_in(client, world.users["operator"])
    response = _post(client, credential, **changes)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.content.decode()
    credential.refresh_from_db()
    assert (
        not credential.revoked
        and not AuditEvent.objects.filter(action__startswith="emergency-").exists()
    )


def test_unknown_ids_and_repeated_revocations_are_clear(
    client: Any, world: IssuingWorld, credential: IssuedCredentialRecord
) -> None:
    signed_in(client, world.users["operator"])
    assert client.get(URL, {"q": "not-a-uuid"}).status_code == 404
    assert client.get(URL, {"q": "0" * 32}).status_code == 404
    missing = client.post(
        URL, {"credential": "x" * 500, "action": "revoke", "reason": "r", "confirm": "on"}
    )
    assert missing.status_code == 404
    assert _post(client, credential).status_code == 302
    again = _post(client, credential)
    assert again.status_code == 409
    assert "revocation is final" in again.content.decode()


def test_the_service_refuses_non_operators(
    world: IssuingWorld, credential: IssuedCredentialRecord
) -> None:
    from microcred_web.operator import emergency
    from microcred_web.register.permissions import PermissionDenied

    for who in ("staff_a", "staff_b", "nobody"):
        with pytest.raises(PermissionDenied):
            emergency.act(world.users[who], credential, "revoke", "because")
