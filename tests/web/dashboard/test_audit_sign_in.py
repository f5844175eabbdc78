"""The audit log records sign-ins and sign-outs through the pages (failed sign-ins and lockouts
are recorded by the sign-in limiter with ``record_event(None, "sign-in-failed", ...)``, see
tests/web/issuing/test_audit_record_event.py)."""

from __future__ import annotations

from typing import Any

from microcred_web.issuing.models import AuditEvent

from .conftest import IssuingWorld


def test_sign_in_and_out_are_recorded(world: IssuingWorld, client: Any) -> None:
    user = world.users["staff_a"]
    user.set_password("correct horse battery")
    user.save()
    client.post("/accounts/login/", {"username": "staff_a", "password": "correct horse battery"})
    client.post("/accounts/logout/")
    rows = AuditEvent.objects.filter(action__startswith="sign-").order_by("pk")
    assert list(rows.values_list("action", "actor", "target", "interface")) == [
        ("sign-in", user.pk, "staff_a", "page"),
        ("sign-out", user.pk, "staff_a", "page"),
    ]
    assert not rows.filter(reason__icontains="horse").exists()
