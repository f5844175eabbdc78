"""Interop: Digital Bazaar's libraries (interop/node, the versions of its lock file) play
Learner Credential Wallet's part against the exchange.

Python asks the exchange for its presentation request and posts what the wallet sends;
Node makes the DIDAuth presentation with ``vc.signPresentation`` and
``@digitalbazaar/ed25519-signature-2020`` over a fresh ``did:key``
(``Ed25519VerificationKey2020``), exactly as LCW's ``app/lib/present.ts`` does, then verifies
the credential it got back with ``vc.verifyCredential`` (proof, issuer = the key's controller,
dates), resolving the provider's did:web from the DID document this instance serves.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from microcred.credentials.did_web import did_to_url
from microcred_web.wallet import lcw
from microcred_web.wallet.models import CredentialExchange
from tests.core.interop import conftest as interop
from tests.core.interop.peer import NodePeer
from tests.web.issuing.conftest import HOST, fetch_json
from tests.web.wallet import fixtures_lcw
from tests.web.wallet.fixtures_lcw import post

issuing_settings = fixtures_lcw.issuing_settings
world = fixtures_lcw.world
record = fixtures_lcw.record
node_peer = interop.node_peer

pytestmark = pytest.mark.django_db
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"


def wallet_didauth(
    peer: NodePeer, seed: bytes, holder: str, context: str, challenge: str, domain: str | None
) -> dict[str, Any]:
    unsigned = {"@context": [context], "type": ["VerifiablePresentation"], "holder": holder}
    signed = peer.sign_presentation(
        unsigned, "Ed25519Signature2020", seed=seed, challenge=challenge, domain=domain
    )
    # the DID is the one Digital Bazaar's key library derives from the seed
    assert signed["proof"]["verificationMethod"].partition("#")[0] == holder
    assert signed["proof"]["type"] == "Ed25519Signature2020"
    return signed


def node_did(peer: NodePeer, seed: bytes) -> str:
    """The did:key of ``seed`` as Node makes it (a throw-away signature tells it)."""
    probe = peer.sign_presentation(
        {"@context": [V2], "type": ["VerifiablePresentation"]},
        "Ed25519Signature2020",
        seed=seed,
        challenge="probe",
    )
    return str(probe["proof"]["verificationMethod"].partition("#")[0])


def check_with_node(peer: NodePeer, client: Any, credential: dict[str, Any], did: str) -> None:
    issuer = credential["issuer"]["id"]
    documents = {issuer: fetch_json(client, did_to_url(issuer))}
    verified, error = peer.verify(credential, documents=documents)
    assert verified, error
    assert credential["credentialSubject"]["id"] == did
    # the same check refuses the credential made out to anyone else
    other = {
        **credential,
        "credentialSubject": {**credential["credentialSubject"], "id": "did:key:z6Mkother"},
    }
    assert not peer.verify(other, documents=documents)[0]


def test_lcw_vc_api_exchange_with_digital_bazaar(
    node_peer: NodePeer, record: Any, client: Any
) -> None:
    seed = os.urandom(32)
    did = node_did(node_peer, seed)
    offer = lcw.offer_for(record)
    request = post(client, offer.exchange_url, {}).json()["verifiablePresentationRequest"]
    endpoint = request["interact"]["service"][0]["serviceEndpoint"]
    vp = wallet_didauth(node_peer, seed, did, V2, request["challenge"], request["domain"])
    response = post(client, endpoint, {"verifiablePresentation": vp})
    assert response.status_code == 200, response.content
    [credential] = response.json()["verifiablePresentation"]["verifiableCredential"]
    check_with_node(node_peer, client, credential, did)
    assert CredentialExchange.objects.get().holder_did == did


def test_lcw_direct_deep_link_with_digital_bazaar(
    node_peer: NodePeer, record: Any, client: Any
) -> None:
    """The one-step link: the wallet reads challenge and vc_request_url from the link and
    POSTs the VP itself, VC 1.1 and no domain (LCW's requestCredential)."""
    seed = os.urandom(32)
    did = node_did(node_peer, seed)
    query = parse_qs(urlsplit(lcw.offer_for(record).deep_link).query)
    vp = wallet_didauth(node_peer, seed, did, V1, query["challenge"][0], None)
    response = post(client, query["vc_request_url"][0], vp)
    assert response.status_code == 200, response.content
    check_with_node(node_peer, client, response.json(), did)
    # and Node's presentation replayed: refused
    again = post(client, query["vc_request_url"][0], vp)
    assert (again.status_code, again.json()["code"]) == (409, "exchange-used")


def test_node_presentation_for_another_domain_is_refused(
    node_peer: NodePeer, record: Any, client: Any
) -> None:
    seed = os.urandom(32)
    did = node_did(node_peer, seed)
    offer = lcw.offer_for(record)
    request = post(client, offer.exchange_url, {}).json()["verifiablePresentationRequest"]
    vp = wallet_didauth(node_peer, seed, did, V2, request["challenge"], "evil.example")
    response = post(client, offer.exchange_url, {"verifiablePresentation": vp})
    assert (response.status_code, response.json()["code"]) == (400, "wrong-domain")
    assert HOST != "evil.example"
