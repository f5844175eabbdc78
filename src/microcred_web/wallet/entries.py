"""The entries of one wallet: listing them with what a learner wants to see at a glance
(title, provider, date, ECTS, EQF, status), one entry, its live verification, its removal.

Every function takes the signed-in :class:`LearnerAccount` and filters on it: an entry of
another learner is "not found", never shown or touched.

Status on the list (checked when shown, without a signature check per row so that a wallet of
1,000 entries stays fast):
- issued here: the issuer's record is the truth, read live (``revoked`` / ``suspended``) and
  ``validUntil`` of the signed credential against the clock;
- imported: the verification result kept on import, with its date, and ``validUntil`` against
  the clock. The entry's own page runs the whole verification pipeline live for both kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from microcred.credentials.obv3_read import read_credential
from microcred.standard.model import IssuedCredential
from microcred_web.verification import services as verification
from microcred_web.wallet.models import EntrySource, LearnerAccount, WalletEntry

VALID, REVOKED, SUSPENDED, EXPIRED, NOT_VERIFIED = (
    "valid",
    "revoked",
    "suspended",
    "expired",
    "not-verified",
)


def entries_of(account: LearnerAccount, collection: Any = None) -> QuerySet[WalletEntry]:
    """The account's entries (not removed), newest first, with their issuer's record joined
    in one query (no query per row)."""
    entries = (
        WalletEntry.objects.filter(account=account, removed__isnull=True)
        .select_related("issued")
        .prefetch_related("collections")
    )
    if collection is not None:
        entries = entries.filter(collections=collection)
    return entries


def find_entry(account: LearnerAccount, public_id: Any) -> WalletEntry | None:
    """The account's own entry ``public_id`` (None for another learner's, a removed or an
    unknown one: the page answers 404 without saying which)."""
    return entries_of(account).filter(public_id=public_id).first()


def credential_of(entry: WalletEntry) -> Mapping[str, Any]:
    """The signed credential exactly as stored (the issuer's copy for entries issued here)."""
    if entry.source == EntrySource.ISSUED_HERE and entry.issued is not None:
        return entry.issued.credential  # type: ignore[no-any-return]
    return entry.credential or {}


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else timezone.make_aware(moment)


def _issuer_name(document: Mapping[str, Any]) -> str:
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        name = issuer.get("name")
        if isinstance(name, str):
            return name
        if isinstance(name, Mapping):  # a language map
            return str(name.get("en") or next(iter(name.values()), ""))
        return str(issuer.get("id") or "")
    return issuer if isinstance(issuer, str) else ""


@dataclass(frozen=True)
class EntryStatus:
    """``code`` (valid / revoked / suspended / expired / not-verified), when it was checked,
    and whether that was now (issued here) or on import."""

    code: str
    checked: datetime
    live: bool

    @property
    def ok(self) -> bool:
        return self.code == VALID


def status_of(entry: WalletEntry, now: datetime | None = None) -> EntryStatus:
    now = now or timezone.now()
    document = credential_of(entry)
    until = _parse_time(document.get("validUntil"))
    if entry.source == EntrySource.ISSUED_HERE and entry.issued is not None:
        if entry.issued.revoked:
            code = REVOKED
        elif entry.issued.suspended:
            code = SUSPENDED
        elif until is not None and until < now:
            code = EXPIRED
        else:
            code = VALID
        return EntryStatus(code, now, live=True)
    verified = bool((entry.verification or {}).get("verified"))
    if not verified:
        code = NOT_VERIFIED
    elif until is not None and until < now:
        code = EXPIRED
    else:
        code = VALID
    return EntryStatus(code, entry.added, live=False)


@dataclass(frozen=True)
class EntrySummary:
    """One row of the wallet list."""

    entry: WalletEntry
    title: Mapping[str, str]
    provider: str
    issued_on: date | None
    ects: float | None
    eqf: int | None
    status: EntryStatus


def _read(document: Mapping[str, Any]) -> IssuedCredential | None:
    try:
        return read_credential(document)
    except Exception:  # an odd imported file: the row shows what can be read
        return None


def summary(entry: WalletEntry, now: datetime | None = None) -> EntrySummary:
    document = credential_of(entry)
    credential = _read(document)
    spec = credential.specification if credential is not None else None
    issued = credential.issued_on if credential is not None else None
    if issued is None:
        issued = _parse_time(document.get("validFrom") or document.get("issuanceDate"))
    workload = spec.workload if spec is not None else None
    level = spec.level if spec is not None else None
    title: Mapping[str, str] = dict(spec.title) if spec is not None and spec.title else {}
    if not title and isinstance(document.get("name"), str):
        title = {"en": document["name"]}
    return EntrySummary(
        entry=entry,
        title=title,
        provider=_issuer_name(document),
        issued_on=issued.date() if issued is not None else None,
        ects=workload.ects if workload is not None else None,
        eqf=level.eqf if level is not None else None,
        status=status_of(entry, now),
    )


def summaries(entries: Any) -> list[EntrySummary]:
    now = timezone.now()
    return [summary(entry, now) for entry in entries]


def live_report(entry: WalletEntry) -> verification.Report:
    """The whole verification pipeline, now, on the stored credential (the entry's page)."""
    return verification.report(verification.verify(credential_of(entry)))


def remove_entry(account: LearnerAccount, entry: WalletEntry) -> None:
    """Remove an entry: a tombstone stays (so matching by address does not bring an issued
    credential back), the imported copy and its verification result are erased, and it
    leaves its collections; its share links die with it."""
    if entry.account_id != account.pk:
        raise PermissionError("not this learner's entry")
    with transaction.atomic():
        entry.collections.clear()
        entry.shares.all().delete()
        entry.removed = timezone.now()
        if entry.source == EntrySource.IMPORTED:
            entry.credential = None
            entry.verification = None
        entry.save(update_fields=["removed", "credential", "verification"])
