"""Writes made through the dashboard pages are recorded with the interface ``page``."""

from __future__ import annotations

from typing import Any

from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord

from .conftest import IssuingWorld


def test_issue_revoke_and_rotate_on_pages(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    base = f"/dashboard/providers/{world.provider_a.slug}/"
    issued = client.post(
        base + "issue",
        {
            "specification": world.spec_a.public_id,
            "identifier": "ada@example.org",
            "name": "",
            "cryptosuite": "eddsa-rdfc-2022",
        },
    )
    assert issued.status_code == 302, issued.content
    record = IssuedCredentialRecord.objects.get()
    revoked = client.post(
        base + f"credentials/{record.public_id}/status",
        {
            "credential_id": str(record.public_id),
            "action": "revoke",
            "reason": "fraud",
            "confirm": "yes",
        },
    )
    assert revoked.status_code == 302, revoked.content
    rotated = client.post(base + "rotate-key", {"confirm": "rotate", "reason": "yearly"})
    assert rotated.status_code == 302, rotated.content
    rows = AuditEvent.objects.filter(action__in=["issue", "revoke", "rotate-key"]).order_by("pk")
    assert list(rows.values_list("action", "actor_name", "interface")) == [
        ("issue", "staff_a", "page"),
        ("revoke", "staff_a", "page"),
        ("rotate-key", "staff_a", "page"),
    ]
