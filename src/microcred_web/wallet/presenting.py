"""Presenting from the wallet: a signed ``VerifiablePresentation`` of credentials the learner
chose, for the challenge and domain a verifier gave.

Why the wallet signs and not the learner's browser: the holder key lives sealed on this
instance (:mod:`~microcred_web.wallet.holder`), so a learner with no wallet app can still prove,
to a verifier that asked *now*, that they are the subject of their credentials. Only the
account's own entries, never removed ones, can be put in. The proof is ``eddsa-rdfc-2022``
Data Integrity with ``proofPurpose`` ``authentication`` (see
:func:`microcred.credentials.presentation.build_presentation`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from microcred.credentials.errors import ProofGenerationError
from microcred.credentials.presentation import build_presentation
from microcred_web.issuing.errors import IssuingError
from microcred_web.wallet import holder
from microcred_web.wallet.models import LearnerAccount, WalletEntry

#: Longest challenge and domain accepted (a verifier's nonce and host name are short).
MAX_OPTION_LENGTH = 512


def presentable(account: LearnerAccount) -> list[WalletEntry]:
    """The account's entries that can be presented (not removed), newest first."""
    return list(
        WalletEntry.objects.filter(account=account, removed__isnull=True).select_related("issued")
    )


def credential_of(entry: WalletEntry) -> dict[str, Any] | None:
    if entry.issued is not None:
        return dict(entry.issued.credential)
    return dict(entry.credential) if isinstance(entry.credential, dict) else None


def _option(value: str | None, name: str, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise IssuingError(
                f"missing-{name}", f"Give the {name} the verifier asked for.", 400, field=name
            )
        return None
    if len(text) > MAX_OPTION_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise IssuingError(
            f"invalid-{name}",
            f"The {name} must be at most {MAX_OPTION_LENGTH} printable characters.",
            400,
            field=name,
        )
    return text


def present(
    account: LearnerAccount,
    entry_ids: Sequence[str],
    challenge: str | None,
    domain: str | None,
) -> dict[str, Any]:
    """The signed presentation of the chosen entries (public ids) of ``account``.

    Raises :class:`IssuingError` naming the field: no challenge, a malformed one, no entry
    chosen, an entry that is not the account's (or removed), and ``kek-unavailable`` (503)
    when the holder key cannot be made or opened.
    """
    checked_challenge = _option(challenge, "challenge", required=True)
    checked_domain = _option(domain, "domain", required=False)
    wanted: list[uuid.UUID] = []
    for value in entry_ids:
        try:
            wanted.append(uuid.UUID(str(value)))
        except ValueError:
            raise IssuingError(
                "unknown-entry", "A chosen credential is not in your wallet.", 400, field="entries"
            ) from None
    if not wanted:
        raise IssuingError(
            "no-entries", "Choose at least one credential to present.", 400, field="entries"
        )
    entries = {
        entry.public_id: entry
        for entry in WalletEntry.objects.filter(
            account=account, removed__isnull=True, public_id__in=wanted
        ).select_related("issued")
    }
    if len(entries) != len(set(wanted)):
        raise IssuingError(
            "unknown-entry", "A chosen credential is not in your wallet.", 400, field="entries"
        )
    credentials = [c for c in (credential_of(entries[i]) for i in dict.fromkeys(wanted)) if c]
    pair = holder.holder_pair(account)
    assert checked_challenge is not None
    try:
        return build_presentation(
            credentials,
            account.holder_did,
            pair,
            holder.verification_method(account),
            challenge=checked_challenge,
            domain=checked_domain,
            presentation_id=f"urn:uuid:{uuid.uuid4()}",
        )
    except ProofGenerationError as error:
        raise IssuingError(
            "signing-failed", f"The presentation cannot be signed: {error}"
        ) from None
