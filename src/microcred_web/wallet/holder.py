"""The learner's holder key: an Ed25519 ``did:key`` the wallet keeps and signs presentations with.

Why the wallet keeps it (and not the learner's device): a learner of this instance may have no
wallet app at all, and a presentation must still be signed by the subject of the credentials
it carries. So each :class:`LearnerAccount` gets one key, made the first time it is needed
(the first credential bound to the learner, or the first presentation), sealed at rest under
the KEK exactly like providers' signing keys (:mod:`microcred.credentials.keystore`), bound to
the account by :func:`holder_owner_ad` so that a sealed blob copied onto another account's row
does not open. Its DID is written into credentials issued to the learner's verified addresses
as ``credentialSubject.id`` (:func:`subject_ids`), which is what lets a verifier check that the
holder of a presentation is the subject of the credentials in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from microcred.credentials import did_key, keystore
from microcred.credentials.identifier_key import IdentifierKey
from microcred.credentials.keys import KeyPair, PublicKey
from microcred_web.issuing.errors import IssuingError
from microcred_web.wallet.models import LearnerAccount, LearnerAddress

_UNAVAILABLE = {
    "kek-missing": "this instance has no key-encryption key configured",
    "kek-malformed": "this instance's key-encryption key is malformed",
    "kek-ambiguous": "this instance's key-encryption key is configured twice",
}


def holder_owner_ad(account_public_id: object) -> bytes:
    """Associated data binding a sealed holder key to its account (never a provider's key:
    the prefix differs from :func:`keystore.key_owner_ad`'s)."""
    text = str(account_public_id)
    if not text or "\0" in text:
        raise ValueError("account_public_id must be non-empty and contain no NUL")
    return b"microcred-holder-key\0" + text.encode("utf-8")


def unavailable(error: keystore.KeystoreError) -> IssuingError:
    """``kek-unavailable`` (503), worded for the holder key; never the keystore's message (it
    may name a server path)."""
    why = _UNAVAILABLE.get(
        error.code, "the configured key-encryption key does not open this learner's holder key"
    )
    return IssuingError(
        "kek-unavailable",
        f"the wallet's holder key is unavailable: {why}; nothing was changed. An operator "
        "must set MICROCRED_KEK or MICROCRED_KEK_FILE (see docs/keys-and-backup.md)",
        503,
    )


def _kek() -> keystore.KeyEncryptionKey:
    try:
        return keystore.KeyEncryptionKey.from_env()
    except keystore.KeystoreError as error:
        raise unavailable(error) from None


def ensure_holder_key(account: LearnerAccount) -> LearnerAccount:
    """``account`` with its holder key, made (and saved) on first use.

    Locks the account row, so two requests cannot each make a key. The KEK is read before
    anything is generated: without one nothing is made and :class:`IssuingError`
    ``kek-unavailable`` (503) is raised.
    """
    if account.holder_did and account.holder_sealed_private:
        return account
    kek = _kek()
    with transaction.atomic():
        locked = LearnerAccount.objects.select_for_update().get(pk=account.pk)
        if not (locked.holder_did and locked.holder_sealed_private):
            pair = KeyPair.generate()
            locked.holder_sealed_private = keystore.seal(
                pair.secret_multibase.encode("ascii"), kek, holder_owner_ad(locked.public_id)
            )
            locked.holder_public_multibase = pair.public.multibase
            locked.holder_did = did_key.did_for(pair.public)
            locked.save(
                update_fields=["holder_sealed_private", "holder_public_multibase", "holder_did"]
            )
    for name in ("holder_did", "holder_public_multibase", "holder_sealed_private"):
        setattr(account, name, getattr(locked, name))
    return account


def holder_pair(account: LearnerAccount) -> KeyPair:
    """The holder key unsealed (in memory only); ``kek-unavailable`` when it cannot be."""
    account = ensure_holder_key(account)
    try:
        secret = keystore.unseal(
            account.holder_sealed_private, _kek(), holder_owner_ad(account.public_id)
        )
    except keystore.KeystoreError as error:
        raise unavailable(error) from None
    return KeyPair.from_multibase(secret.decode("ascii"), account.holder_public_multibase)


def verification_method(account: LearnerAccount) -> str:
    """The ``did:key`` verification method id of the holder key (``did:key:z..#z..``)."""
    return did_key.verification_method_id(PublicKey.from_multibase(account.holder_public_multibase))


def rewrap_holder_keys(
    old: keystore.KeyEncryptionKey, new: keystore.KeyEncryptionKey
) -> tuple[int, int]:
    """Re-seal every holder key from ``old`` (or already ``new``) to ``new`` (KEK rotation).

    One row per transaction, idempotent, like the providers' keys
    (:func:`microcred_web.issuing.keys.rewrap_all`, which calls this). Returns (re-sealed,
    already current).
    """
    changed = current = 0
    accounts = LearnerAccount.objects.exclude(holder_sealed_private="").order_by("pk")
    for pk in accounts.values_list("pk", flat=True):
        with transaction.atomic():
            account = LearnerAccount.objects.select_for_update().get(pk=pk)
            ad = holder_owner_ad(account.public_id)
            sealed = keystore.rewrap(account.holder_sealed_private, old, new, ad)
            if sealed == account.holder_sealed_private:
                current += 1
                continue
            account.holder_sealed_private = sealed
            account.save(update_fields=["holder_sealed_private"])
            changed += 1
    return changed, current


# --- binding at issue time -------------------------------------------------------------------


def _candidate_hashes(key: IdentifierKey, identifier: str, scheme: str | None) -> list[str]:
    """The keyed hashes an address of this identifier may be stored under: as given and, for an
    e-mail address, lower-cased (addresses are stored lower-cased, see ``LearnerAddress``)."""
    hashes = [key.hash(identifier)]
    if scheme == "email" and identifier.lower() != identifier:
        hashes.append(key.hash(identifier.lower()))
    return hashes


def subject_ids(key: IdentifierKey, learners: Sequence[Any]) -> list[str | None]:
    """The ``credentialSubject.id`` of each (checked) learner, in order, or None.

    A learner identified by a DID is its own subject. A learner whose identifier is a
    *verified* address of a wallet gets the wallet's holder DID (the key is made when it does
    not exist yet). One query for the whole list, whatever its length (bulk issuing).
    """
    wanted: dict[str, list[int]] = {}
    found: list[str | None] = [None] * len(learners)
    for index, learner in enumerate(learners):
        if learner.scheme == "did":
            found[index] = learner.identifier
            continue
        for hashed in _candidate_hashes(key, learner.identifier, learner.scheme):
            wanted.setdefault(hashed, []).append(index)
    if not wanted:
        return found
    addresses = LearnerAddress.objects.filter(
        verified__isnull=False, identifier_hash__in=list(wanted)
    ).select_related("account")
    for address in addresses:
        account = ensure_holder_key(address.account)
        for index in wanted[address.identifier_hash]:
            found[index] = found[index] or account.holder_did
    return found
