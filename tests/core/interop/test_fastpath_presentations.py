"""Digital Bazaar-made presentations on microcred's fast path: the canonical N-Quads equal
jsonld.js's (the peer's ``canonize``) and pyld's, byte for byte.

The presentations are signed by ``vc.signPresentation`` over real OBv3 micro-credentials
signed by microcred, as ``bench/wallet.py`` makes them.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pyld import jsonld

from microcred.credentials import did_key, expansion
from microcred.credentials.data_integrity import add_proof
from microcred.credentials.fastpath import document_to_dataset
from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import ContextLoader, default_loader
from microcred.credentials.rdfc import canonicalize
from microcred.verify import StaticDidResolver, VerificationContext
from microcred.verify.presentation import verify_presentation
from tests.core.interop.peer import NodePeer
from tests.core.interop.samples import micro_credential

HOLDER_SEED = bytes(range(32))
HOLDER = KeyPair.from_seed(HOLDER_SEED)
HOLDER_DID = did_key.did_for(HOLDER.public)
ISSUER = KeyPair.from_seed(bytes(range(1, 33)))
CREATED = "2025-06-30T12:00:05Z"
CHALLENGE = "fastpath-interop"
DOMAIN = "verifier.example.org"


@pytest.fixture(scope="module")
def loader() -> ContextLoader:
    return default_loader()


@pytest.fixture(scope="module")
def credentials(loader: ContextLoader) -> list[dict[str, Any]]:
    issuer_did = did_key.did_for(ISSUER.public)
    method = did_key.verification_method_id(ISSUER.public)
    signed = []
    for i in range(3):
        document = micro_credential(issuer_did, i, credentialStatus=None)
        document["credentialSubject"]["id"] = HOLDER_DID
        signed.append(
            add_proof(document, ISSUER, method, "eddsa-rdfc-2022", created=CREATED, loader=loader)
        )
    return signed


def _pyld(document: Any, loader: ContextLoader) -> str:
    options = expansion._options(loader)
    options.update(algorithm="URDNA2015", format="application/n-quads")
    return str(jsonld.normalize(copy.deepcopy(document), options))


@pytest.mark.parametrize("size", [0, 1, 3])
def test_digital_bazaar_presentation_on_the_fast_path(
    node_peer: NodePeer, credentials: list[dict[str, Any]], loader: ContextLoader, size: int
) -> None:
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER_DID,
        "verifiableCredential": credentials[:size],
    }
    signed = node_peer.sign_presentation(
        unsigned,
        "eddsa-rdfc-2022",
        seed=HOLDER_SEED,
        challenge=CHALLENGE,
        domain=DOMAIN,
        created=CREATED,
    )
    document = {key: value for key, value in signed.items() if key != "proof"}
    quads = document_to_dataset(document, loader)
    assert quads is not None, "the fast path fell back on a Digital Bazaar presentation"
    fast = canonicalize(quads)
    assert fast == node_peer.canonize(document)
    assert fast == _pyld(document, loader)
    # and the signed one, proof included (what a verifier of the credentials' graphs sees)
    signed_quads = document_to_dataset(signed, loader)
    assert signed_quads is not None
    assert canonicalize(signed_quads) == node_peer.canonize(signed) == _pyld(signed, loader)
    result = verify_presentation(
        signed,
        VerificationContext(did_resolver=StaticDidResolver(), loader=loader),
        challenge=CHALLENGE,
        domain=DOMAIN,
    )
    assert result.verified, result.as_dict()
