"""The VC-API exchange that hands a credential issued here to another wallet.

The Digital Credentials Consortium's Learner Credential Wallet (LCW) collects a credential
this way (facts and sources in ``docs/wallet.md``, "Into other wallets"): it opens a deep link
naming ``vc_request_url`` = ``<base>/api/v1/exchanges/<exchange id>/<transaction id>`` and
``challenge`` = the transaction id, and POSTs a DIDAuth presentation there — an empty
``VerifiablePresentation`` whose ``authentication`` proof (``Ed25519Signature2020`` over a
``did:key``) carries the challenge. The exchange checks it and answers with the credential,
``credentialSubject.id`` set to the holder's DID. A POST of ``{}`` first asks for the
presentation request instead (the VC-API exchange form), which names the challenge and this
instance's host as ``domain``.

What is checked, in order (:func:`deliver`): the exchange exists and the transaction id is its
own (else 404, with no hint which), it has not expired (410) nor been used (409); the body is a
presentation; its proof holds and is by a key of the holder, a ``did:key`` (401); the challenge
is the transaction id and the domain this instance's host (400). The domain may be absent only
from a bare presentation, the one-step deep-link form, because LCW signs that one with a
challenge and no domain (``app/lib/credentialRequest.ts`` calls ``createVerifiablePresentation``
with the challenge only); a presentation sent as ``{"verifiablePresentation": ...}`` answers our
presentation request, which named the domain, so it must carry it.

Why the credential record keeps its own copy: it is the provider's record of what was issued
(the wallet page, the PDF and the learner's downloads show it) and the holder-bound copy is one
more signed copy of the same credential — same ``id``, same status entries, so revoking or
suspending the record covers it too. The delivered copy is kept on the exchange row.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from microcred.credentials.data_integrity import add_proof
from microcred.credentials.did_key import DID_KEY_PREFIX
from microcred.credentials.errors import CredentialError
from microcred.credentials.keystore import KeystoreError
from microcred.credentials.status_list import CREDENTIALS_V2_CONTEXT
from microcred.verify import Status
from microcred.verify.presentation import verify_presentation
from microcred_web.issuing import identity
from microcred_web.issuing.audit import record_event
from microcred_web.issuing.keys import ensure_key, signing_pair
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.verification.services import verification_context
from microcred_web.wallet.models import LearnerAccount
from microcred_web.wallet.models_exchange import CredentialExchange, ExchangeState
from microcred_web.wallet.tokens import MAX_TOKEN_LENGTH, new_token, token_hash

#: How long an exchange can be collected. The DCC's transaction service keeps one ten minutes;
#: a learner may read the page first, then find their phone.
LIFETIME: Final = timedelta(minutes=30)
#: Largest body read. A DIDAuth presentation is about 1 kB; room for one carrying a few
#: credentials (LCW sends none), far below the API's limits.
MAX_BODY_BYTES: Final = 256 * 1024
#: The audit action of a delivery.
AUDIT_ACTION: Final = "wallet-exchange"
#: The checks of the presentation that must hold. ``holder`` and ``credentials`` concern
#: credentials the wallet might present, which this exchange does not take.
_REQUIRED_CHECKS: Final = ("format", "proof", "challenge", "domain")
#: HTTP status of a failed check: a presentation that is not one is a bad request, a proof
#: that does not hold failed authentication.
_CHECK_STATUS: Final = {"format": 400, "proof": 401, "challenge": 400, "domain": 400}


class ExchangeError(Exception):
    """A refusal: HTTP ``status``, stable ``code``, ``detail`` for people."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class NewExchange:
    exchange: CredentialExchange
    #: The transaction id in clear: it goes into the URL and the deep link, never the database.
    transaction_id: str

    @property
    def url(self) -> str:
        return exchange_url(self.exchange, self.transaction_id)


def create_exchange(
    record: IssuedCredentialRecord, account: LearnerAccount | None = None
) -> NewExchange:
    """A fresh single-use exchange of ``record`` (for ``account``'s own entry, if given)."""
    transaction_id, digest = new_token()
    exchange = CredentialExchange.objects.create(
        transaction_hash=digest,
        issued=record,
        account=account,
        expires=timezone.now() + LIFETIME,
    )
    return NewExchange(exchange, transaction_id)


def exchange_url(exchange: CredentialExchange, transaction_id: str) -> str:
    """The absolute ``vc_request_url`` (and the presentation request's service endpoint)."""
    path = reverse(
        "api-1:wallet_exchange",
        kwargs={"exchange_id": str(exchange.public_id), "transaction_id": transaction_id},
    )
    return identity.base_url() + path


def find(exchange_id: str, transaction_id: str) -> CredentialExchange:
    """The exchange of the URL, or 404 (unknown id or a transaction id that is not its own:
    the same answer, so the path tells a guesser nothing)."""
    try:
        public_id = uuid.UUID(exchange_id)
    except ValueError:
        raise _not_found() from None
    if not transaction_id or len(transaction_id) > MAX_TOKEN_LENGTH:
        raise _not_found()
    exchange = (
        CredentialExchange.objects.select_related("issued", "issued__provider", "account__user")
        .filter(public_id=public_id, transaction_hash=token_hash(transaction_id))
        .first()
    )
    if exchange is None:
        raise _not_found()
    return exchange


def _not_found() -> ExchangeError:
    return ExchangeError(404, "exchange-not-found", "no such exchange")


def _require_open(exchange: CredentialExchange, now: datetime) -> None:
    if exchange.state == ExchangeState.COMPLETE:
        raise ExchangeError(
            409,
            "exchange-used",
            "this exchange has already delivered its credential; ask for a new link",
        )
    if exchange.expires <= now:
        raise ExchangeError(
            410, "exchange-expired", "this exchange has expired; ask for a new link"
        )


def presentation_request(exchange: CredentialExchange, transaction_id: str) -> dict[str, Any]:
    """The VC-API answer to ``{}``: ask for a DIDAuth presentation over our challenge."""
    _require_open(exchange, timezone.now())
    return {
        "verifiablePresentationRequest": {
            "query": [{"type": "DIDAuthentication"}],
            "challenge": transaction_id,
            "domain": identity.host(),
            "interact": {
                "service": [
                    {
                        "type": "UnmediatedPresentationService2021",
                        "serviceEndpoint": exchange_url(exchange, transaction_id),
                    }
                ]
            },
        }
    }


@dataclass(frozen=True)
class Presented:
    """What the wallet sent: the presentation, and whether it came wrapped (VC-API form)."""

    presentation: Mapping[str, Any]
    wrapped: bool


def read_body(body: Any) -> Presented | None:
    """None for ``{}`` (a request for the presentation request), else the presentation."""
    if not isinstance(body, Mapping):
        raise ExchangeError(
            422,
            "not-an-object",
            'the body must be a JSON object: {} or {"verifiablePresentation": ...}',
        )
    if not body:
        return None
    if "verifiablePresentation" in body:
        presentation = body["verifiablePresentation"]
        if not isinstance(presentation, Mapping):
            raise ExchangeError(
                422, "no-presentation", "verifiablePresentation must be a JSON object"
            )
        return Presented(presentation, wrapped=True)
    if "proof" in body or "type" in body:
        return Presented(body, wrapped=False)
    raise ExchangeError(
        422,
        "no-presentation",
        'expected {} (to get the presentation request) or {"verifiablePresentation": ...}',
    )


def check_presentation(presented: Presented, transaction_id: str) -> None:
    """Verify the DIDAuth presentation; :class:`ExchangeError` naming the first failing check."""
    presentation = presented.presentation
    proof = presentation.get("proof")
    domain: str | None = identity.host()
    if not presented.wrapped and isinstance(proof, Mapping) and "domain" not in proof:
        domain = None  # LCW's one-step deep link: signed without a domain (see the docstring)
    result = verify_presentation(
        presentation, verification_context(), challenge=transaction_id, domain=domain
    )
    for code in _REQUIRED_CHECKS:
        check = result.check(code)
        if check.status is Status.ERROR:
            raise ExchangeError(
                _CHECK_STATUS[code], check.reason or f"{code}-failed", f"{code}: {check.message}"
            )
    holder = _holder(presentation)
    if not holder.startswith(DID_KEY_PREFIX):
        raise ExchangeError(
            400,
            "holder-not-did-key",
            f"the holder must be a did:key (the wallet's own key), not {holder[:80]!r}",
        )


def _holder(presentation: Mapping[str, Any]) -> str:
    holder = presentation.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if isinstance(holder, str) else ""


def bind_to_holder(
    record: IssuedCredentialRecord, holder_did: str, now: datetime
) -> dict[str, Any]:
    """A copy of the record's credential about ``holder_did``, signed afresh by the provider's
    active key (same id, same status entries, the record's cryptosuite)."""
    unsigned = copy.deepcopy(record.credential)
    unsigned.pop("proof", None)
    subject = unsigned.get("credentialSubject")
    if not isinstance(subject, dict):
        raise ExchangeError(
            409, "credential-not-bindable", "the credential has no single subject to bind"
        )
    unsigned["credentialSubject"] = {
        "id": holder_did,
        **{k: v for k, v in subject.items() if k != "id"},
    }
    provider = record.provider
    try:
        key = ensure_key(provider)
        pair = signing_pair(key)
        return add_proof(
            unsigned,
            pair,
            identity.verification_method(provider, key.key_id),
            cryptosuite=record.cryptosuite,
            created=max(now.replace(microsecond=0), key.created),
        )
    except KeystoreError:
        raise ExchangeError(
            503, "signing-unavailable", "signing is unavailable on this instance; try later"
        ) from None
    except CredentialError as error:
        raise ExchangeError(
            409, "credential-not-bindable", f"the credential cannot be signed: {error}"
        ) from None


def deliver(exchange: CredentialExchange, transaction_id: str, presented: Presented) -> Any:
    """Check the presentation, bind and sign the credential, mark the exchange complete.

    The answer as LCW reads it: a bare credential for a bare presentation (its one-step
    deep link), ``{"verifiablePresentation": {... "verifiableCredential": [vc]}}`` for the
    VC-API form. Single use: the state changes from pending to complete in one conditional
    UPDATE, so of two wallets racing with the same link only one gets the credential.
    """
    now = timezone.now()
    _require_open(exchange, now)
    check_presentation(presented, transaction_id)
    holder = _holder(presented.presentation)
    proof = presented.presentation.get("proof")
    suite = (proof.get("cryptosuite") or proof.get("type")) if isinstance(proof, Mapping) else None
    with transaction.atomic():
        signed = bind_to_holder(exchange.issued, holder, now)
        claimed = CredentialExchange.objects.filter(
            pk=exchange.pk, state=ExchangeState.PENDING, expires__gt=now
        ).update(state=ExchangeState.COMPLETE, holder_did=holder, completed=now, delivered=signed)
        if claimed != 1:
            raise ExchangeError(
                409,
                "exchange-used",
                "this exchange has already delivered its credential; ask for a new link",
            )
        record_event(
            exchange.account.user if exchange.account is not None else None,
            AUDIT_ACTION,
            f"credential {exchange.issued.public_id}",
            details={"exchange": str(exchange.public_id), "proof": suite},
        )
    if presented.wrapped:
        return {
            "verifiablePresentation": {
                "@context": [CREDENTIALS_V2_CONTEXT],
                "type": ["VerifiablePresentation"],
                "verifiableCredential": [signed],
            }
        }
    return signed
