"""The audit log of issuing: one append-only row per key rotation, issue and status change."""

from __future__ import annotations

from typing import Any

from microcred_web.issuing.models import AuditEvent


def record_event(user: Any, action: str, target: str, reason: str = "") -> AuditEvent:
    authenticated = getattr(user, "is_authenticated", False)
    name = user.get_username() if hasattr(user, "get_username") else "system"
    return AuditEvent.objects.create(
        actor=user if authenticated else None,
        actor_name=name[:150],
        action=action,
        target=target[:200],
        reason=reason,
    )
