"""Bring your own: a credential from another issuer (or this one) added by the learner.

The file is parsed within a size limit, recognised by one of the registered
:mod:`~microcred_web.wallet.formats`, and verified with the same pipeline as the public
/verify/ page (did:key, this instance's did:web, foreign did:web through the guarded resolver
when ``MICROCRED_FOREIGN_DID_WEB`` is on). Only a verified credential is stored, with its
verification result; anything else is refused with the reasons and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from microcred.verify import Check
from microcred_web.verification import services as verification
from microcred_web.wallet import formats
from microcred_web.wallet.models import EntrySource, LearnerAccount, WalletEntry

#: Default and ceiling of ``MICROCRED_WALLET_IMPORT_MAX_BYTES``: the verification pipeline
#: refuses anything larger, so a larger setting would only accept files that cannot verify.
DEFAULT_MAX_BYTES = verification.MAX_BYTES


def max_bytes() -> int:
    value = int(getattr(settings, "MICROCRED_WALLET_IMPORT_MAX_BYTES", 0) or DEFAULT_MAX_BYTES)
    return max(1, min(value, DEFAULT_MAX_BYTES))


class ImportRefused(Exception):
    """Nothing was stored: ``code`` (stable), ``message`` (for people), HTTP ``status`` and,
    for a credential that did not verify, the ``checks`` that failed."""

    def __init__(
        self, code: str, message: str, status: int = 422, checks: list[Check] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.checks = checks or []


@dataclass(frozen=True)
class ImportOutcome:
    entry: WalletEntry
    #: False when the credential was already in the wallet (nothing new stored).
    created: bool
    warnings: list[Check] = field(default_factory=list)


def parse(raw: bytes, what: str = "the file") -> Any:
    """The JSON document in ``raw``, or :class:`ImportRefused` (too large, empty, not JSON)."""
    limit = max_bytes()
    if len(raw) > limit:
        raise ImportRefused(
            "too-large",
            f"{what[:1].upper()}{what[1:]} is {len(raw):,} bytes; "
            f"the largest credential accepted is {limit:,} bytes.",
            413,
        )
    try:
        return verification.parse_json(raw, what, limit)
    except verification.InputError as error:
        raise ImportRefused(error.code, error.message, error.status) from None


def _already_here(account: LearnerAccount, credential: Mapping[str, Any]) -> WalletEntry | None:
    """The live entry holding the same credential: same ``id`` or, without one, the same JSON."""
    live = WalletEntry.objects.filter(account=account, removed__isnull=True)
    credential_id = credential.get("id")
    if isinstance(credential_id, str) and credential_id:
        found = live.filter(source=EntrySource.IMPORTED, credential__id=credential_id).first()
        return found or live.filter(issued__credential__id=credential_id).first()
    for entry in live.filter(source=EntrySource.IMPORTED).only("credential", "public_id"):
        if entry.credential == credential:
            return entry
    return None


def import_document(account: LearnerAccount, document: Any) -> ImportOutcome:
    """Verify and keep a parsed document, or raise :class:`ImportRefused`."""
    fmt = formats.detect(document)
    if fmt is None:
        raise ImportRefused(
            "not-a-credential",
            "This file is not a credential that can be imported. Accepted: "
            + "; ".join(formats.names())
            + " (a JSON object with @context, type, issuer, credentialSubject and proof).",
        )
    try:
        credential = dict(fmt.read(document))
    except verification.InputError as error:
        raise ImportRefused(error.code, error.message, error.status) from None
    result = verification.verify(credential)
    if not result.verified:
        raise ImportRefused(
            "not-verified",
            "The credential did not verify, so it was not added to your wallet.",
            checks=result.errors,
        )
    with transaction.atomic():
        existing = _already_here(account, credential)
        if existing is not None:
            return ImportOutcome(existing, created=False)
        entry = WalletEntry.objects.create(
            account=account,
            source=EntrySource.IMPORTED,
            credential=credential,
            verification=result.as_dict(),
            format=fmt.name,
        )
    return ImportOutcome(entry, created=True, warnings=result.warnings)


def import_bytes(account: LearnerAccount, raw: bytes, what: str = "the file") -> ImportOutcome:
    return import_document(account, parse(raw, what))
