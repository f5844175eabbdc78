"""The exchange endpoint as Learner Credential Wallet calls it: presentation request, DIDAuth
(Ed25519Signature2020 and eddsa-rdfc-2022), the credential bound to the holder's DID, and
every refusal as a Problem (code, detail) with a 4xx."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from microcred.verify.presentation import verify_presentation
from microcred_web.issuing.models import AuditEvent
from microcred_web.verification import services
from microcred_web.wallet import exchange
from microcred_web.wallet.models import CredentialExchange
from tests.web.issuing.conftest import HOST
from tests.web.wallet import fixtures_lcw
from tests.web.wallet.fixtures_lcw import V1, Holder, post

# The fixtures this module uses (pytest finds them by name here).
issuing_settings = fixtures_lcw.issuing_settings
world = fixtures_lcw.world
record = fixtures_lcw.record
offered = fixtures_lcw.offered
holder = fixtures_lcw.holder

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    """A client that enforces CSRF like a browser would: the exchange must not need it."""
    return Client(enforce_csrf_checks=True)


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_empty_body_answers_the_didauth_presentation_request(
    client: Client, offered: exchange.NewExchange
) -> None:
    response = post(client, offered.url, {})
    assert response.status_code == 200
    request = response.json()["verifiablePresentationRequest"]
    assert request["query"] == [{"type": "DIDAuthentication"}]
    assert request["challenge"] == offered.transaction_id
    assert request["domain"] == HOST
    assert request["interact"]["service"] == [
        {"type": "UnmediatedPresentationService2021", "serviceEndpoint": offered.url}
    ]
    assert offered.url == (
        f"https://{HOST}/api/v1/exchanges/{offered.exchange.public_id}/{offered.transaction_id}"
    )


@pytest.mark.parametrize("suite", ["Ed25519Signature2020", "eddsa-rdfc-2022"])
def test_vc_api_form_delivers_the_credential_bound_to_the_holder(
    client: Client, offered: exchange.NewExchange, record: Any, holder: Holder, suite: str
) -> None:
    vp = holder.didauth(offered.transaction_id, suite=suite)
    response = post(client, offered.url, {"verifiablePresentation": vp})
    assert response.status_code == 200, response.content
    presentation = response.json()["verifiablePresentation"]
    assert "VerifiablePresentation" in presentation["type"]
    [credential] = presentation["verifiableCredential"]
    original = record.credential
    assert credential["credentialSubject"]["id"] == holder.did
    assert credential["id"] == original["id"]
    assert credential["credentialStatus"] == original["credentialStatus"]
    assert credential["proof"]["proofValue"] != original["proof"]["proofValue"]
    # it verifies with this instance's resolvers (the provider's did:web, status lists)
    result = services.verify(credential)
    assert result.verified, result.as_dict()
    # the record keeps its own copy; the exchange row keeps the delivered one
    record.refresh_from_db()
    assert record.credential == original
    row = CredentialExchange.objects.get(pk=offered.exchange.pk)
    assert (row.state, row.holder_did, row.delivered) == ("complete", holder.did, credential)
    event = AuditEvent.objects.get(action="wallet-exchange")
    assert event.target == f"credential {record.public_id}"
    assert event.details == {"exchange": str(row.public_id), "proof": suite}
    assert holder.did not in str(event.details)


def test_bare_presentation_without_domain_gets_the_bare_credential(
    client: Client, offered: exchange.NewExchange, holder: Holder
) -> None:
    """LCW's one-step deep link: it POSTs the VP itself, signed over the challenge only,
    under VC 1.1, and reads a bare credential (or a presentation) back."""
    vp = holder.didauth(offered.transaction_id, domain=None, context=V1)
    assert "domain" not in vp["proof"]
    response = post(client, offered.url, vp)
    assert response.status_code == 200, response.content
    credential = response.json()
    assert "VerifiableCredential" in credential["type"]
    assert credential["credentialSubject"]["id"] == holder.did


def test_used_exchange_refuses_a_second_delivery_and_the_request(
    client: Client, offered: exchange.NewExchange, holder: Holder
) -> None:
    vp = holder.didauth(offered.transaction_id)
    assert post(client, offered.url, {"verifiablePresentation": vp}).status_code == 200
    assert_problem(post(client, offered.url, {"verifiablePresentation": vp}), 409, "exchange-used")
    other = Holder(holder.pair.__class__.generate())
    again = other.didauth(offered.transaction_id)
    assert_problem(
        post(client, offered.url, {"verifiablePresentation": again}), 409, "exchange-used"
    )
    assert_problem(post(client, offered.url, {}), 409, "exchange-used")
    assert CredentialExchange.objects.get().holder_did == holder.did


def test_expired_exchange_is_refused(
    client: Client, offered: exchange.NewExchange, holder: Holder
) -> None:
    CredentialExchange.objects.filter(pk=offered.exchange.pk).update(
        expires=offered.exchange.created - timedelta(seconds=1)
    )
    vp = holder.didauth(offered.transaction_id)
    assert_problem(
        post(client, offered.url, {"verifiablePresentation": vp}), 410, "exchange-expired"
    )
    assert_problem(post(client, offered.url, {}), 410, "exchange-expired")
    assert CredentialExchange.objects.get().state == "pending"


def test_unknown_exchange_or_wrong_transaction_id_is_one_404(
    client: Client, offered: exchange.NewExchange
) -> None:
    good = offered.url
    wrong_tx = good.rsplit("/", 1)[0] + "/" + "A" * 43
    wrong_id = good.replace(
        str(offered.exchange.public_id), "0" * 8 + "-0000-4000-8000-" + "0" * 12
    )
    not_uuid = good.replace(str(offered.exchange.public_id), "not-a-uuid")
    bodies = [
        assert_problem(post(client, url, {}), 404, "exchange-not-found")
        for url in (wrong_tx, wrong_id, not_uuid)
    ]
    assert len({b["detail"] for b in bodies}) == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"challenge": "another-challenge"}, 400, "wrong-challenge"),
        ({"domain": "evil.example"}, 400, "wrong-domain"),
        ({"domain": None}, 400, "missing-domain"),
    ],
)
def test_wrong_challenge_or_domain_is_refused(
    client: Client,
    offered: exchange.NewExchange,
    holder: Holder,
    change: dict[str, Any],
    status: int,
    code: str,
) -> None:
    options = {"challenge": offered.transaction_id, "domain": HOST, **change}
    vp = holder.didauth(options["challenge"], domain=options["domain"])
    assert_problem(post(client, offered.url, {"verifiablePresentation": vp}), status, code)
    assert CredentialExchange.objects.get().state == "pending"


def test_bare_presentation_with_a_wrong_domain_is_refused(
    client: Client, offered: exchange.NewExchange, holder: Holder
) -> None:
    vp = holder.didauth(offered.transaction_id, domain="evil.example")
    assert_problem(post(client, offered.url, vp), 400, "wrong-domain")


def test_bad_signature_is_refused(
    client: Client, offered: exchange.NewExchange, holder: Holder
) -> None:
    vp = holder.didauth(offered.transaction_id)
    tampered = copy.deepcopy(vp)
    tampered["holder"] = Holder(holder.pair.__class__.generate()).did
    tampered["proof"]["verificationMethod"] = tampered["holder"] + "#" + tampered["holder"][8:]
    body = assert_problem(
        post(client, offered.url, {"verifiablePresentation": tampered}), 401, "bad-signature"
    )
    assert body["detail"].startswith("proof:")
    forged = copy.deepcopy(vp)
    value = forged["proof"]["proofValue"]
    forged["proof"]["proofValue"] = value[:-4] + ("1111" if value[-4:] != "1111" else "2222")
    response = post(client, offered.url, {"verifiablePresentation": forged})
    assert response.status_code == 401
    assert CredentialExchange.objects.get().state == "pending"


def test_wrong_proof_purpose_is_refused(
    client: Client, offered: exchange.NewExchange, holder: Holder
) -> None:
    from microcred.credentials.data_integrity import add_proof

    vp = holder.didauth(offered.transaction_id)
    unsigned = {k: v for k, v in vp.items() if k != "proof"}
    signed = add_proof(
        unsigned,
        holder.pair,
        holder.method,
        cryptosuite="Ed25519Signature2020",
        challenge=offered.transaction_id,
        domain=HOST,
    )  # assertionMethod, the default
    assert_problem(
        post(client, offered.url, {"verifiablePresentation": signed}), 401, "wrong-proof-purpose"
    )


def test_holder_must_be_a_did_key(
    client: Client, offered: exchange.NewExchange, record: Any
) -> None:
    """A valid DIDAuth by another kind of DID (here the provider's own did:web key) is not a
    wallet's key: refused after the proof holds."""
    from microcred.credentials.presentation import build_presentation
    from microcred_web.issuing import identity, keys

    key = keys.ensure_key(record.provider)
    did = identity.did_for_provider(record.provider)
    vp = build_presentation(
        [],
        did,
        keys.signing_pair(key),
        identity.verification_method(record.provider, key.key_id),
        challenge=offered.transaction_id,
        domain=HOST,
    )
    response = post(client, offered.url, {"verifiablePresentation": vp})
    assert_problem(response, 400, "holder-not-did-key")


def test_unsigned_presentation_is_refused(client: Client, offered: exchange.NewExchange) -> None:
    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    }
    assert_problem(post(client, offered.url, {"verifiablePresentation": vp}), 401, "missing-proof")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "not-json"),
        (b"[1, 2]", 422, "not-an-object"),
        (b'{"verifiablePresentation": "text"}', 422, "no-presentation"),
        (b'{"hello": "world"}', 422, "no-presentation"),
        (b'{"verifiablePresentation": {"type": ["VerifiablePresentation"]}}', 400, "not-vc2"),
    ],
)
def test_malformed_bodies_are_named(
    client: Client, offered: exchange.NewExchange, body: bytes, status: int, code: str
) -> None:
    assert_problem(post(client, offered.url, body), status, code)


def test_oversized_body_is_413(client: Client, offered: exchange.NewExchange) -> None:
    body = b'{"verifiablePresentation": {"pad": "' + b"x" * (exchange.MAX_BODY_BYTES + 1) + b'"}}'
    assert_problem(post(client, offered.url, body), 413, "too-large")


def test_only_post(client: Client, offered: exchange.NewExchange) -> None:
    from tests.web.wallet.fixtures_lcw import path_of

    response = client.get(path_of(offered.url), HTTP_HOST=HOST, secure=True)
    assert response.status_code == 405  # as every API operation answers an unknown method
    assert response["Allow"] == "POST"


def test_rate_limited_as_json(client: Client, offered: exchange.NewExchange, settings: Any) -> None:
    settings.MICROCRED_RATE_LIMITS = {**settings.MICROCRED_RATE_LIMITS, "wallet-exchange": "2/m"}
    for _ in range(2):
        assert post(client, offered.url, {}).status_code == 200
    response = post(client, offered.url, {})
    assert_problem(response, 429, "rate-limited")
    assert int(response["Retry-After"]) >= 1


def test_delivered_credential_verifies_as_the_holders_in_a_presentation(
    client: Client, offered: exchange.NewExchange, holder: Holder
) -> None:
    """What the holder can do with it next: present it, and be its subject."""
    from microcred.credentials.presentation import build_presentation

    vp = holder.didauth(offered.transaction_id)
    credential = post(client, offered.url, vp).json()
    shown = build_presentation(
        [credential], holder.did, holder.pair, holder.method, challenge="c", domain="d"
    )
    result = verify_presentation(shown, services.verification_context(), challenge="c", domain="d")
    assert result.check("holder").status.value == "ok", result.as_dict()
    assert result.verified, result.as_dict()
