"""Revocation and suspension: W3C Bitstring Status Lists kept per provider and purpose.

Indexes are drawn at random (:func:`~microcred.credentials.status_list.allocate_index`) and
recorded in :class:`StatusAllocation`, whose unique (list, index) pair guarantees an index is
never handed out twice, even after the credential that held it is revoked. A full list opens
the next one. Revocation is final; suspension can be lifted (reinstate). Every change is audited.

Why every list is signed when it is opened and re-signed in the same transaction as every
change: outside verifiers fetch the list to learn about revocations, so serving it must never
need the key-encryption key. An instance whose KEK is missing or wrong keeps serving the last
signed list (which is then still the truth), and a change it cannot sign is refused
(``kek-unavailable``, 503) with nothing written, instead of leaving a list nobody can fetch.
Allocating indexes changes no bit, so the bulk path never re-signs.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from microcred.credentials.data_integrity import add_proof
from microcred.credentials.keystore import KeystoreError
from microcred.credentials.status_list import (
    DEFAULT_SIZE,
    StatusList,
    status_entry,
    status_list_credential,
)
from microcred.credentials.status_list import allocate_index as pick_index
from microcred_web.issuing import identity
from microcred_web.issuing.audit import record_event
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import (
    IssuedCredentialRecord,
    StatusAllocation,
    StatusListRecord,
    StatusPurpose,
)
from microcred_web.register import permissions
from microcred_web.register.models import Provider

Action = Literal["revoke", "suspend", "reinstate"]
ACTIONS: tuple[str, ...] = ("revoke", "suspend", "reinstate")
#: The cryptosuite that signs status-list credentials.
LIST_CRYPTOSUITE = "eddsa-rdfc-2022"


def _open_list(provider: Provider, purpose: str) -> StatusListRecord:
    """The provider's current list for ``purpose`` with room left, locked; opened if needed."""
    current = (
        StatusListRecord.objects.select_for_update()
        .filter(provider=provider, purpose=purpose)
        .order_by("-number")
        .first()
    )
    if current is not None and current.allocated < current.size:
        return current
    number = current.number + 1 if current is not None else 1
    empty = StatusList(DEFAULT_SIZE, purpose)  # type: ignore[arg-type]
    opened = StatusListRecord(
        provider=provider,
        # A plain str, never the StatusPurpose member callers pass: a str subclass would
        # reach the credentials' status entries and send them off the fast canonical path.
        purpose=str(purpose),
        number=number,
        url=identity.status_list_url(provider, purpose, number),
        size=empty.size,
        encoded=empty.encode(),
    )
    opened.signed = _sign(opened)
    opened.save()
    return opened


def allocate(provider: Provider, purpose: str) -> StatusAllocation:
    """A fresh random index on the provider's list for ``purpose`` (in the caller's transaction)."""
    if purpose not in StatusPurpose.values:
        raise IssuingError("status-purpose-unknown", f"unknown status purpose {purpose!r}")
    with transaction.atomic():
        status_list = _open_list(provider, purpose)

        def is_used(index: int) -> bool:
            return StatusAllocation.objects.filter(status_list=status_list, index=index).exists()

        index = pick_index(is_used, size=status_list.size)
        allocation = StatusAllocation.objects.create(status_list=status_list, index=index)
        StatusListRecord.objects.filter(pk=status_list.pk).update(allocated=F("allocated") + 1)
        allocation.status_list = status_list
        return allocation


def allocate_many(
    provider: Provider, purpose: str, count: int, used: dict[int, set[int]]
) -> list[StatusAllocation]:
    """``count`` fresh random indexes for ``purpose``, in the caller's transaction.

    The bulk path's :func:`allocate`: a few statements per batch instead of several per
    index. ``used`` caches, per status list, the indexes known to be taken; it is reloaded
    whenever the list's ``allocated`` counter (read under the row lock) disagrees with it, so
    another process's allocations are seen, and the unique (list, index) constraint stays
    the last word. Fills the current list, then opens the next.
    """
    if purpose not in StatusPurpose.values:
        raise IssuingError("status-purpose-unknown", f"unknown status purpose {purpose!r}")
    allocations: list[StatusAllocation] = []
    while len(allocations) < count:
        status_list = _open_list(provider, purpose)
        taken = used.get(status_list.pk)
        if taken is None or len(taken) != status_list.allocated:
            taken = used[status_list.pk] = set(
                StatusAllocation.objects.filter(status_list=status_list).values_list(
                    "index", flat=True
                )
            )
        take = min(status_list.size - status_list.allocated, count - len(allocations))
        picked = []
        for _ in range(take):
            index = pick_index(taken.__contains__, size=status_list.size)
            taken.add(index)
            picked.append(StatusAllocation(status_list=status_list, index=index))
        created = StatusAllocation.objects.bulk_create(picked)
        StatusListRecord.objects.filter(pk=status_list.pk).update(allocated=F("allocated") + take)
        for allocation in created:
            allocation.status_list = status_list
        allocations.extend(created)
    return allocations


def entry_for(allocation: StatusAllocation) -> dict[str, str]:
    """The ``credentialStatus`` entry (``BitstringStatusListEntry``) for an allocation."""
    status_list = allocation.status_list
    return status_entry(status_list.url, allocation.index, status_list.purpose)  # type: ignore[arg-type]


def _flip(allocation: StatusAllocation | None, value: bool) -> None:
    if allocation is None:
        raise IssuingError(
            "status-entry-missing",
            "this credential was issued without a suspension entry, so it can be revoked but "
            "not suspended (suspension entries are issued when MICROCRED_STATUS_SUSPENSION is "
            "on; see docs/issuing.md)",
            409,
        )
    status_list = StatusListRecord.objects.select_for_update().get(pk=allocation.status_list_id)
    bits = StatusList.decode(status_list.encoded, status_list.purpose)  # type: ignore[arg-type]
    bits.set(allocation.index, value)
    status_list.encoded = bits.encode()
    # Signed before anything is saved: without a usable KEK this raises and the caller's
    # transaction rolls back, so the served list never goes unsigned.
    status_list.signed = _sign(status_list)
    status_list.save(update_fields=["encoded", "signed", "updated"])


def set_status(
    user: Any, record: IssuedCredentialRecord, action: str, reason: str = ""
) -> IssuedCredentialRecord:
    """Revoke (final), suspend, or reinstate (lift a suspension) one issued credential.

    Raises :class:`PermissionDenied` (not staff of the issuing provider nor operator) or
    :class:`IssuingError` (unknown action, revoking twice, changing a revoked credential,
    reinstating one that is not suspended). The reason is kept in the audit log.
    """
    permissions.require(
        permissions.can_issue(user, record.provider),
        f"change the status of credentials of {record.provider.slug} (its issuers and admins only)",
    )
    return apply_status(user, record, action, reason)


def apply_status(
    user: Any,
    record: IssuedCredentialRecord,
    action: str,
    reason: str = "",
    *,
    audit_action: str | None = None,
) -> IssuedCredentialRecord:
    """:func:`set_status` once the caller has checked the right to do it.

    The operator's emergency action (:mod:`microcred_web.operator.emergency`) comes through
    here with its own permission check and ``audit_action``; the provider's key signs the
    changed status list and nothing else.
    """
    if action not in ACTIONS:
        raise IssuingError("status-action-unknown", f"unknown action {action!r}; use {ACTIONS}")
    with transaction.atomic():
        record = (
            IssuedCredentialRecord.objects.select_for_update(of=("self",))
            .select_related("provider", "revocation", "suspension")
            .get(pk=record.pk)
        )
        if record.revoked:
            raise IssuingError(
                "credential-revoked", "the credential is revoked; revocation is final", 409
            )
        if action == "revoke":
            _flip(record.revocation, True)
            record.revoked = True
        elif action == "suspend":
            if record.suspended:
                raise IssuingError(
                    "credential-suspended", "the credential is already suspended", 409
                )
            _flip(record.suspension, True)
            record.suspended = True
        else:
            if not record.suspended:
                raise IssuingError(
                    "credential-not-suspended", "the credential is not suspended", 409
                )
            _flip(record.suspension, False)
            record.suspended = False
        record.save(update_fields=["revoked", "suspended"])
        record_event(
            user,
            audit_action or action,
            f"credential {record.public_id}",
            reason,
            details={"provider": record.provider.slug, "status": action},
        )
    return record


def find_list(provider_slug: str, purpose: str, number: int) -> StatusListRecord | None:
    return (
        StatusListRecord.objects.select_related("provider")
        .filter(provider__slug=provider_slug, purpose=purpose, number=number)
        .first()
    )


def find_list_at(url: str) -> StatusListRecord | None:
    """The list whose address (as its credentials name it) is ``url``, if this instance has it."""
    if not isinstance(url, str) or not url:
        return None
    return StatusListRecord.objects.select_related("provider").filter(url=url).first()


def _sign(status_list: StatusListRecord) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of ``status_list`` as it is now, at the
    address the list was opened under.

    Raises :class:`IssuingError` ``kek-unavailable`` (503) when the provider's key cannot be
    unsealed (or created) with the configured KEK.
    """
    from microcred_web.issuing.keys import ensure_key, signing_pair, unavailable  # import cycle

    provider = status_list.provider
    try:
        key = ensure_key(provider)
        pair = signing_pair(key)
    except KeystoreError as error:
        raise unavailable(error) from None
    now = max(timezone.now().replace(microsecond=0), key.created)
    unsigned = status_list_credential(
        status_list.url,
        identity.did_for_provider(provider),
        status_list.purpose,  # type: ignore[arg-type]
        status_list.encoded,
        now,
    )
    return add_proof(
        unsigned,
        pair,
        identity.verification_method(provider, key.key_id),
        cryptosuite=LIST_CRYPTOSUITE,
        created=now,
    )


def unsigned_count() -> int:
    """Lists without a signed copy: only rows changed before lists were signed on change."""
    return StatusListRecord.objects.filter(signed__isnull=True).count()


def signed_list(status_list: StatusListRecord) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential``, as stored with the list.

    Every list is signed when opened and at each change, so this reads the database only.
    A row left unsigned by an earlier version (see :func:`unsigned_count`) is signed now and
    kept; without a usable KEK that raises :class:`IssuingError` ``kek-unavailable``.
    """
    if status_list.signed is not None:
        return dict(status_list.signed)
    with transaction.atomic():
        locked = (
            StatusListRecord.objects.select_for_update(of=("self",))
            .select_related("provider")
            .get(pk=status_list.pk)
        )
        if locked.signed is None:
            locked.signed = _sign(locked)
            locked.save(update_fields=["signed"])
    return dict(locked.signed)


def lists_of(provider: Provider | None) -> list[StatusListRecord]:
    """Every status list of ``provider`` (None: of every provider), in a stable order."""
    lists = StatusListRecord.objects.select_related("provider").order_by(
        "provider__slug", "purpose", "number"
    )
    return list(lists if provider is None else lists.filter(provider=provider))


def republish(status_list: StatusListRecord) -> StatusListRecord:
    """Sign ``status_list`` again, as it is now, with its provider's active key, and keep it.

    For the lists of a provider whose key was rotated (their copies still name the retired
    key), and for rows left unsigned; the bits are not changed. Run as a background job
    (:mod:`microcred_web.tasks`). Raises :class:`IssuingError` ``kek-unavailable`` without a
    usable KEK, with nothing written.
    """
    with transaction.atomic():
        locked = (
            StatusListRecord.objects.select_for_update(of=("self",))
            .select_related("provider")
            .get(pk=status_list.pk)
        )
        locked.signed = _sign(locked)
        locked.save(update_fields=["signed"])
    return locked
