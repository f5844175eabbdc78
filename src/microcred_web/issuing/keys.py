"""Providers' signing keys: create, rotate, unseal, and the DID document listing them all.

Private keys are sealed with the key-encryption key (KEK) from the environment
(:class:`~microcred.credentials.keystore.KeyEncryptionKey`), bound to (provider, key id) as
associated data. Rotation retires the active key (with the date) and never deletes it: the DID
document keeps every key ever used so old credentials still verify.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from microcred.credentials import keystore
from microcred.credentials.did_web import KeyRecord, build_did_document
from microcred.credentials.keys import KeyPair
from microcred_web.issuing import identity
from microcred_web.issuing.audit import record_event
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.identity import did_for_provider
from microcred_web.issuing.models import ProviderKey
from microcred_web.register import permissions
from microcred_web.register.models import Provider

KEY_PREFIX = "key-"


def _kek() -> keystore.KeyEncryptionKey:
    return keystore.KeyEncryptionKey.from_env()


#: What a provider is told when signing is not possible, by keystore error code. Never the
#: keystore's own message: it may name a server path (``MICROCRED_KEK_FILE``).
_UNAVAILABLE = {
    "kek-missing": "this instance has no key-encryption key configured",
    "kek-malformed": "this instance's key-encryption key is malformed",
    "kek-ambiguous": "this instance's key-encryption key is configured twice",
}


def unavailable(error: keystore.KeystoreError) -> IssuingError:
    """The refusal (``kek-unavailable``, 503) of a write that needs a signature and cannot
    have one; the operator's fix is in the message, the details in the health check."""
    why = _UNAVAILABLE.get(
        error.code, "the configured key-encryption key does not open this provider's signing key"
    )
    return IssuingError(
        "kek-unavailable",
        f"signing is unavailable: {why}; nothing was changed. An operator must set "
        "MICROCRED_KEK or MICROCRED_KEK_FILE (see docs/keys-and-backup.md and GET "
        "/api/v1/health)",
        503,
    )


def _owner(provider: Provider, key_id: str) -> bytes:
    return keystore.key_owner_ad(provider.public_id, key_id)


def _next_key_id(provider: Provider) -> str:
    numbers = [
        int(key_id[len(KEY_PREFIX) :])
        for key_id in ProviderKey.objects.filter(provider=provider).values_list("key_id", flat=True)
        if key_id.startswith(KEY_PREFIX) and key_id[len(KEY_PREFIX) :].isdigit()
    ]
    return f"{KEY_PREFIX}{max(numbers, default=0) + 1}"


def _create_key(provider: Provider, created: datetime | None = None) -> ProviderKey:
    kek = _kek()  # fail before generating anything when no KEK is configured
    # A key is what makes DIDs and status lists exist: from here on the instance's host
    # and scheme are fixed (see identity.py).
    identity.record()
    pair = KeyPair.generate()
    key_id = _next_key_id(provider)
    sealed = keystore.seal(pair.secret_multibase.encode("ascii"), kek, _owner(provider, key_id))
    return ProviderKey.objects.create(
        provider=provider,
        key_id=key_id,
        public_key_multibase=pair.public.multibase,
        sealed_private=sealed,
        created=created or timezone.now().replace(microsecond=0),
    )


def ensure_key(provider: Provider) -> ProviderKey:
    """The provider's active key, created on first use.

    Locks the provider row: called inside the issuing transaction, it keeps a rotation from
    retiring the key while a credential is being signed with it.
    """
    with transaction.atomic():
        Provider.objects.select_for_update().filter(pk=provider.pk).first()
        active = ProviderKey.objects.filter(provider=provider, retired__isnull=True).first()
        return active or _create_key(provider)


def rotate_key(user: Any, provider: Provider, reason: str = "") -> ProviderKey:
    """Retire the active key (kept, dated) and make a new one active. Audited."""
    permissions.require(
        permissions.can_rotate_key(user, provider),
        f"rotate the keys of {provider.slug} (its issuers and admins only)",
    )
    with transaction.atomic():
        Provider.objects.select_for_update().filter(pk=provider.pk).first()
        # Proofs carry whole seconds, and issuing holds the provider lock while it signs, so
        # every proof made with the old key is dated before the next second: retiring then
        # keeps them all valid. The new key starts at the same instant (proofs made with it
        # are dated no earlier than its creation, see issue.py).
        switch = timezone.now().replace(microsecond=0) + timedelta(seconds=1)
        old = ProviderKey.objects.filter(provider=provider, retired__isnull=True).first()
        if old is not None:
            old.retired = switch
            old.save(update_fields=["retired"])
        new = _create_key(provider, switch)
        record_event(user, "rotate-key", f"{provider.slug}#{new.key_id}", reason)
    return new


def signing_pair(key: ProviderKey) -> KeyPair:
    """Unseal ``key`` with the KEK; the clear key lives only in memory."""
    secret = keystore.unseal(key.sealed_private, _kek(), _owner(key.provider, key.key_id))
    return KeyPair.from_multibase(secret.decode("ascii"), key.public_key_multibase)


def key_records(provider: Provider) -> list[KeyRecord]:
    return [
        KeyRecord(key.key_id, key.public_key_multibase, key.created, key.retired)
        for key in ProviderKey.objects.filter(provider=provider).order_by("created", "pk")
    ]


def did_document(provider: Provider) -> dict[str, Any]:
    """The provider's DID document: every key ever used, retired ones marked ``revoked``."""
    return build_did_document(did_for_provider(provider), key_records(provider))


def rewrap_all() -> tuple[int, int]:
    """Re-seal every provider key and learner holder key under the KEK in ``MICROCRED_KEK``
    (KEK rotation).

    The outgoing KEK comes from ``MICROCRED_KEK_OLD`` (or ``_FILE``). One row per transaction,
    idempotent: an interrupted run is started again. Returns (re-sealed, already current).
    """
    new = _kek()
    old = keystore.KeyEncryptionKey.from_env(name="MICROCRED_KEK_OLD")
    changed = current = 0
    for pk in ProviderKey.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            key = (
                ProviderKey.objects.select_for_update(of=("self",))
                .select_related("provider")
                .get(pk=pk)
            )
            ad = _owner(key.provider, key.key_id)
            sealed = keystore.rewrap(key.sealed_private, old, new, ad)
            if sealed == key.sealed_private:
                current += 1
                continue
            key.sealed_private = sealed
            key.save(update_fields=["sealed_private"])
            changed += 1
    # The learners' holder keys are sealed under the same KEK.
    from microcred_web.wallet.holder import rewrap_holder_keys

    holders_changed, holders_current = rewrap_holder_keys(old, new)
    return changed + holders_changed, current + holders_current
