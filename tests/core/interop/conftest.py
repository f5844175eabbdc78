"""The JavaScript interop peer for the whole session, and what the interop tests share.

``node_peer`` starts ``interop/node/peer.mjs`` once (Digital Bazaar's libraries at the versions
of ``interop/node/package-lock.json``). It never installs anything: when ``node_modules`` is
missing or out of date the tests fail and say to run ``make test``, which runs ``npm ci``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from microcred.credentials import did_key
from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import ContextLoader, default_loader, loader_with
from tests.core.interop.peer import NodePeer, PeerError, installation_problem

FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures"
EXAMPLES_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2"
#: microcred's own contexts: the peer gets microcred's copy, having none of its own.
MICROCRED_CONTEXT_PREFIX = "https://microcred.eu/"

OBV3_ISSUER = "https://example.edu/issuers/565049"
OBV3_KEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
#: The 1EdTech vector's issuer as a controller document naming its key for assertions, so
#: that the peer's ``vc.verifyCredential`` can check issuer, key and purpose offline.
OBV3_CONTROLLER = {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    "id": OBV3_ISSUER,
    "verificationMethod": [
        {
            "id": f"{OBV3_ISSUER}#{OBV3_KEY}",
            "type": "Multikey",
            "controller": OBV3_ISSUER,
            "publicKeyMultibase": OBV3_KEY,
        }
    ],
    "assertionMethod": [f"{OBV3_ISSUER}#{OBV3_KEY}"],
}

SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
W3C_SIGNED = {
    "eddsa-rdfc-2022": ("w3c-eddsa-vectors", "eddsa-rdfc-2022", "signedDataInt.json"),
    "eddsa-jcs-2022": ("w3c-eddsa-vectors", "eddsa-jcs-2022", "signedJCS.json"),
}
W3C_CREATED = "2023-02-24T23:36:38Z"


def fixture_path(*parts: str) -> Path:
    return FIXTURES.joinpath(*parts)


def fixture_text(*parts: str) -> str:
    return fixture_path(*parts).read_text(encoding="utf-8")


def fixture_json(*parts: str) -> Any:
    return json.loads(fixture_text(*parts))


def peer_contexts() -> dict[str, Any]:
    """What the peer's npm packages lack: the W3C examples context (test vectors only) and
    microcred's own extension contexts, as microcred ships them."""
    contexts: dict[str, Any] = {
        EXAMPLES_CONTEXT_URL: fixture_json("contexts", "credentials-examples-v2.jsonld")
    }
    loader = default_loader()
    for url in sorted(loader.urls):
        if url.startswith(MICROCRED_CONTEXT_PREFIX):
            contexts[url] = loader.document(url)
    return contexts


@pytest.fixture(scope="session")
def node_peer() -> Iterator[NodePeer]:
    problem = installation_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    try:
        peer = NodePeer.start(contexts=peer_contexts(), documents={OBV3_ISSUER: OBV3_CONTROLLER})
        peer.versions()  # fails now, with the peer's stderr, if it cannot start
    except PeerError as error:
        pytest.fail(f"the interop peer did not start: {error}", pytrace=False)
    yield peer
    peer.close()


@pytest.fixture(scope="session")
def examples_loader() -> ContextLoader:
    """microcred's shipped contexts plus the W3C examples context of the test vectors."""
    return loader_with({EXAMPLES_CONTEXT_URL: peer_contexts()[EXAMPLES_CONTEXT_URL]})


@pytest.fixture(scope="session")
def w3c_key() -> KeyPair:
    pair = fixture_json("w3c-eddsa-vectors", "keyPair.json")
    return KeyPair.from_multibase(pair["privateKeyMultibase"], pair["publicKeyMultibase"])


@pytest.fixture(scope="session")
def issuer_key() -> KeyPair:
    """A fixed issuer key, so failures reproduce."""
    return KeyPair.from_seed(
        bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    )


@pytest.fixture(scope="session")
def issuer_did(issuer_key: KeyPair) -> str:
    return did_key.did_for(issuer_key.public)


@pytest.fixture(scope="session")
def issuer_method(issuer_key: KeyPair) -> str:
    return did_key.verification_method_id(issuer_key.public)


@pytest.fixture
def signed_obv3() -> dict[str, Any]:
    document: dict[str, Any] = fixture_json(
        "obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json"
    )
    return document
