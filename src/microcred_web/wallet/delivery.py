"""Claim messages: a learner issued a credential at an e-mail address is told, with a link.

The issuing code calls :func:`issued` inside its transaction, with the new records and the
learners as the issuer gave them. For every learner identified by an e-mail address it writes
a :class:`~.models_delivery.ClaimDelivery` row in that transaction (so the duty to deliver
commits with the credential, or not at all) and, once the transaction has committed, sends
the claim message with the address still in memory, then adds the credential to the wallet
of a learner who verified that address already (:mod:`~.matching`). The address is never
written anywhere: the claim link's ``email`` is empty, the delivery keeps only the hash.

A mail server that is down never fails issuing: the delivery is recorded ``failed`` with
the error's kind (no address) and an audit event ``claim-mail-failed``. :func:`found` is
called for credentials the issuer issues again (a resumed bulk run, the same API call
repeated): a delivery that did not go out (``pending`` after a crash, ``failed``) is sent
then, one that did is never sent again. A row is taken for sending by a conditional UPDATE,
so two runs resuming at once send it once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from microcred.credentials.identifier_key import IdentifierKey
from microcred_web.issuing import audit, identity
from microcred_web.issuing.audit import record_event
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.wallet import links, mail, matching
from microcred_web.wallet.accounts import address_hash
from microcred_web.wallet.models import ClaimDelivery, DeliveryState, LinkPurpose, OneTimeLink

logger = logging.getLogger(__name__)

#: A delivery left ``sending`` this long (its process died mid-send) may be taken again.
STALE_SENDING = timedelta(minutes=10)
EMAIL_SCHEME = "email"


def _addressed(pairs: Iterable[tuple[IssuedCredentialRecord, Any]]) -> list[tuple[Any, str]]:
    """The (record, address) pairs of learners identified by an e-mail address."""
    return [
        (record, learner.identifier.strip())
        for record, learner in pairs
        if getattr(learner, "scheme", None) == EMAIL_SCHEME
    ]


def issued(
    pairs: Sequence[tuple[IssuedCredentialRecord, Any]],
    *,
    notify: bool = True,
    key: IdentifierKey | None = None,
) -> None:
    """In the issuing transaction: record the deliveries of new credentials, and send their
    claim messages once it commits. ``notify=False`` records them as not to be sent (the
    credential still joins the wallet of a learner who has the address)."""
    addressed = _addressed(pairs)
    if not addressed:
        return
    hashed = [(record, address, address_hash(address, key)) for record, address in addressed]
    ClaimDelivery.objects.bulk_create(
        [
            ClaimDelivery(
                issued=record,
                address_hash=digest,
                state=DeliveryState.PENDING if notify else DeliveryState.OFF,
            )
            for record, _, digest in hashed
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(lambda: _after_commit(hashed, notify))


def found(
    pairs: Sequence[tuple[IssuedCredentialRecord, Any]], *, key: IdentifierKey | None = None
) -> None:
    """Credentials issued before and issued again: send the claim messages that did not go
    out (outside any transaction of the caller's, or after it commits)."""
    addressed = _addressed(pairs)
    if not addressed:
        return
    waiting = set(
        ClaimDelivery.objects.filter(
            issued__in=[record for record, _ in addressed],
            state__in=[DeliveryState.PENDING, DeliveryState.FAILED, DeliveryState.SENDING],
        ).values_list("issued_id", flat=True)
    )
    again = [(r, a, address_hash(a, key)) for r, a in addressed if r.pk in waiting]
    if again:
        transaction.on_commit(lambda: _send_all(again))


def _after_commit(hashed: list[tuple[IssuedCredentialRecord, str, str]], notify: bool) -> None:
    if notify:
        _send_all(hashed)
    try:
        matching.sync_accounts_of({digest for _, _, digest in hashed})
    except Exception:  # the learner still finds it at the next sign-in
        logger.exception("matching new credentials to wallets failed")


def _take(record: IssuedCredentialRecord) -> bool:
    """Take the delivery of ``record`` for sending; False when another run has it or it went."""
    now = timezone.now()
    return bool(
        ClaimDelivery.objects.filter(issued=record)
        .filter(
            Q(state__in=[DeliveryState.PENDING, DeliveryState.FAILED])
            | Q(state=DeliveryState.SENDING, last_attempt__lt=now - STALE_SENDING)
        )
        .update(state=DeliveryState.SENDING, attempts=F("attempts") + 1, last_attempt=now)
    )


def _send_all(hashed: list[tuple[IssuedCredentialRecord, str, str]]) -> None:
    connection = None
    try:
        connection = mail.connection()
        connection.open()
    except Exception as error:  # the server is down: the whole batch waits, in two statements
        _all_failed([record for record, _, _ in hashed], error)
        return
    try:
        for record, address, digest in hashed:
            if _take(record):
                _send_one(record, address, digest, connection)
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("closing the mail connection failed", exc_info=True)


def claim_lifetime() -> timedelta:
    return timedelta(days=int(getattr(settings, "MICROCRED_WALLET_CLAIM_DAYS", 30)))


def _send_one(record: IssuedCredentialRecord, address: str, digest: str, connection: Any) -> None:
    # A claim link made by an attempt that failed was never received: replace it.
    OneTimeLink.objects.filter(purpose=LinkPurpose.CLAIM, issued=record, used__isnull=True).delete()
    _link, token = links.make(LinkPurpose.CLAIM, digest, claim_lifetime(), issued=record)
    context = claim_context(record, token)
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("A credential for you: %(title)s") % {"title": context["title"]}
        message = mail.message(address, "claim", context, subject)
    message.connection = connection
    try:
        message.send(fail_silently=False)
    except Exception as error:
        _failed(record, error)
        return
    ClaimDelivery.objects.filter(issued=record).update(
        state=DeliveryState.SENT, sent=timezone.now(), error=""
    )


def _all_failed(records: list[IssuedCredentialRecord], error: BaseException) -> None:
    """Record a batch that could not reach the mail server (rows another run holds, or that
    went out already, are left alone)."""
    reason = mail.error_text(error)
    now = timezone.now()
    waiting = ClaimDelivery.objects.filter(issued__in=records).filter(
        Q(state__in=[DeliveryState.PENDING, DeliveryState.FAILED])
        | Q(state=DeliveryState.SENDING, last_attempt__lt=now - STALE_SENDING)
    )
    ids = set(waiting.values_list("issued_id", flat=True))
    ClaimDelivery.objects.filter(issued_id__in=ids).filter(
        Q(state__in=[DeliveryState.PENDING, DeliveryState.FAILED])
        | Q(state=DeliveryState.SENDING, last_attempt__lt=now - STALE_SENDING)
    ).update(state=DeliveryState.FAILED, error=reason, attempts=F("attempts") + 1, last_attempt=now)
    logger.warning("%d claim messages not sent: %s", len(ids), reason)
    audit.record_many(
        [
            audit.event(
                None,
                "claim-mail-failed",
                f"credential {record.public_id}",
                details={"error": reason, "provider": record.provider.slug},
            )
            for record in records
            if record.pk in ids
        ]
    )


def _failed(record: IssuedCredentialRecord, error: BaseException) -> None:
    reason = mail.error_text(error)
    ClaimDelivery.objects.filter(issued=record).update(state=DeliveryState.FAILED, error=reason)
    logger.warning("claim message for credential %s not sent: %s", record.public_id, reason)
    try:
        record_event(
            None,
            "claim-mail-failed",
            f"credential {record.public_id}",
            details={"error": reason, "provider": record.provider.slug},
        )
    except IntegrityError:  # pragma: no cover - the audit log must not fail delivery
        logger.exception("audit of a failed claim message failed")


def claim_url(token: str) -> str:
    return identity.base_url() + reverse("wallet:claim", args=[token])


def claim_context(record: IssuedCredentialRecord, token: str) -> dict[str, Any]:
    return {
        "title": record.specification.title_en or record.specification.public_id,
        "provider": record.provider.name(),
        "issued_at": record.issued_at,
        "url": claim_url(token),
        "days": claim_lifetime().days,
    }


def state_of(record: IssuedCredentialRecord) -> ClaimDelivery | None:
    """The delivery of ``record`` (None: not issued to an e-mail address, or before)."""
    return ClaimDelivery.objects.filter(issued=record).first()
