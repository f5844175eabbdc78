"""The operator's emergency action on a provider's credential (e.g. a court order).

The operator governs and does not act as a provider: issuing and key rotation are the
provider's staff's. The one exception is this separate action: revoke, suspend or reinstate
one credential, with a reason that is required and kept in the audit log as
``emergency-<action>``. Nothing is signed with the provider's key but the status list the
change needs (:func:`microcred_web.issuing.status.apply_status` re-signs it, as for any status
change). The provider sees every such action: a notice on its dashboard
(:func:`notices_for`) and the row in its audit history.
"""

from __future__ import annotations

import uuid
from typing import Any

from microcred_web.issuing import status
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord
from microcred_web.operator.guard import require_operator
from microcred_web.register.models import Provider

ACTIONS = tuple(f"emergency-{action}" for action in status.ACTIONS)
#: How many of the newest emergency actions a provider's dashboard shows.
NOTICE_LIMIT = 10


def find_credential(user: Any, credential_id: str) -> IssuedCredentialRecord | None:
    """The credential with this id (``urn:uuid:`` prefix allowed), for the operator only."""
    require_operator(user, "take emergency actions")
    text = credential_id.strip().removeprefix("urn:uuid:")
    try:
        wanted = uuid.UUID(text)
    except ValueError:
        return None
    return (
        IssuedCredentialRecord.objects.select_related("provider", "specification")
        .filter(public_id=wanted)
        .first()
    )


def act(user: Any, record: IssuedCredentialRecord, action: str, reason: str) -> Any:
    """Revoke, suspend or reinstate ``record`` as the operator, with a required reason.

    Raises PermissionDenied (not the operator) or IssuingError (no reason, unknown action, a
    change the credential's state does not allow: the same rules as the provider's own).
    """
    require_operator(user, "take emergency actions")
    reason = reason.strip()
    if not reason:
        raise IssuingError(
            "reason-required",
            "an emergency action needs its reason (e.g. the court order's reference)",
            422,
            field="reason",
        )
    return status.apply_status(user, record, action, reason, audit_action=f"emergency-{action}")


def notices_for(provider: Provider, limit: int = NOTICE_LIMIT) -> list[AuditEvent]:
    """The operator's emergency actions on ``provider``'s credentials, newest first."""
    return list(
        AuditEvent.objects.filter(action__in=ACTIONS, details__provider=provider.slug)[:limit]
    )
