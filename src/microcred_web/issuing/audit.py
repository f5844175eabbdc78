"""The audit log: one append-only row for every write of the register and of issuing.

Who did what to which record, when, through which door (``interface``: ``api``, ``page``,
``cli`` or ``import``), why (``reason``), with machine-readable ``details`` (counts, the
names of the fields that changed). What an auditor needs to reconstruct a change, and nothing
personal: a learner appears only as a credential id, changed register fields by name, never by
value; a sign-in by the account name typed.

Why a context variable for the interface: the services that write (and record) are the same
for every door, and passing "who called me" through every signature would add a parameter to
each of them. The door sets it once: a web request from its path (signals connected in
:mod:`~microcred_web.issuing.apps`), an import for the rows it writes
(:func:`interface`); anything else (management commands, ``microcred`` sub-commands, a shell)
is ``cli``.

The model lives in the issuing app for history's sake (it began with key rotations and status
changes); every app records through :func:`record_event`, whose first four parameters keep
the original signature.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from microcred_web.issuing.models import AuditEvent

#: The doors a write can come through.
INTERFACES = ("api", "page", "cli", "import")
DEFAULT_INTERFACE = "cli"

#: Actions recorded, by the module that records them (``docs/audit.md`` explains each).
ACTIONS = (
    "issue",
    "issue-bulk",
    "revoke",
    "suspend",
    "reinstate",
    "rotate-key",
    "import",
    "provider-created",
    "provider-updated",
    "agency-created",
    "agency-updated",
    "qa-result-created",
    "qa-result-updated",
    "qa-result-withdrawn",
    "specification-created",
    "specification-updated",
    "specification-status",
    "specification-withdrawn",
    "token-created",
    "token-revoked",
    "sign-in",
    "sign-out",
    "sign-in-failed",
    "sign-in-locked",
    "wallet-exchange",
    "claim-mail-failed",
    "member-invited",
    "invitation-revoked",
    "invitation-accepted",
    "member-level-changed",
    "member-removed",
    # the register operator (microcred_web.operator, docs/workspace-operator.md)
    "registration-requested",
    "registration-approved",
    "registration-rejected",
    "account-created",
    "account-deactivated",
    "membership-granted",
    "membership-removed",
    "provider-merged",
    "emergency-revoke",
    "emergency-suspend",
    "emergency-reinstate",
    "job-started",
    "status-lists-published",
)

_interface: ContextVar[str] = ContextVar("microcred_audit_interface", default=DEFAULT_INTERFACE)


def current_interface() -> str:
    return _interface.get()


@contextlib.contextmanager
def interface(name: str) -> Iterator[None]:
    """Record the writes made inside the block as coming through ``name``."""
    if name not in INTERFACES:
        raise ValueError(f"unknown interface {name!r}; known: {', '.join(INTERFACES)}")
    token = _interface.set(name)
    try:
        yield
    finally:
        _interface.reset(token)


def request_interface(path: str) -> str:
    """The interface of a web request: ``api`` under ``/api/``, else ``page``."""
    return "api" if path.startswith("/api/") else "page"


class AuditInterfaceMiddleware:
    """Marks the writes of each web request with its interface, and always resets it.

    A middleware rather than the request_started / request_finished signals: a response that
    is never closed (a WSGI client that drops it) sends no request_finished, and the thread
    would then hand ``api`` on to whatever runs next on it.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with interface(request_interface(request.path_info)):
            return self.get_response(request)


def actor_of(user: Any) -> tuple[Any, str]:
    """(the account to link, or None; the name to keep even if the account is deleted)."""
    if user is None:
        return None, ""
    if hasattr(user, "get_username"):
        name = str(user.get_username())
    else:
        name = str(getattr(user, "username", "") or "system")
    return (user if getattr(user, "is_authenticated", False) else None), name[:150]


def event(
    user: Any,
    action: str,
    target: str,
    reason: str = "",
    *,
    details: dict[str, Any] | None = None,
    interface: str | None = None,
) -> AuditEvent:
    """An unsaved audit row (for ``bulk_create`` inside a batch's transaction)."""
    actor, name = actor_of(user)
    return AuditEvent(
        actor=actor,
        actor_name=name,
        action=action[:32],
        target=target[:200],
        reason=reason,
        interface=interface or current_interface(),
        details=details or {},
    )


def record_event(
    user: Any,
    action: str,
    target: str,
    reason: str = "",
    *,
    details: dict[str, Any] | None = None,
    interface: str | None = None,
) -> AuditEvent:
    """Append one row to the audit log. ``user`` may be None (a failed sign-in: no account).

    Call it inside the transaction of the write it records, so that the row exists exactly
    when the write does (a rolled-back write leaves no row; a committed one always has one).
    """
    row = event(user, action, target, reason, details=details, interface=interface)
    row.save(force_insert=True)
    return row


def record_many(rows: list[AuditEvent]) -> None:
    """Insert rows made by :func:`event` in one statement."""
    if rows:
        AuditEvent.objects.bulk_create(rows)
