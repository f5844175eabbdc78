"""The JavaScript peer itself: the standard vectors, tampered copies, its offline loader.

These establish that the peer is a trustworthy yardstick before it is used on microcred's
output (``test_cross_verify.py``): it verifies the W3C and 1EdTech vectors, reproduces the W3C
``proofValue``s and canonical forms, rejects every tampered copy, and never fetches a URL.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from microcred.credentials.loader import default_loader
from tests.core.interop.conftest import (
    EXAMPLES_CONTEXT_URL,
    SUITES,
    W3C_CREATED,
    W3C_SIGNED,
    fixture_json,
    fixture_text,
)
from tests.core.interop.peer import PEER_DIR, NodePeer, PeerError, installation_problem
from tests.core.interop.tamper import TAMPERINGS, tampered

OBV3_VECTOR = ("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
VECTORS = {
    "w3c-eddsa-rdfc-2022": W3C_SIGNED["eddsa-rdfc-2022"],
    "w3c-eddsa-jcs-2022": W3C_SIGNED["eddsa-jcs-2022"],
    "1edtech-obv3": OBV3_VECTOR,
}


def test_peer_runs_the_locked_versions(node_peer: NodePeer) -> None:
    lock = json.loads((PEER_DIR / "package-lock.json").read_text(encoding="utf-8"))
    versions = node_peer.versions()["versions"]
    assert versions["node"].startswith("v20.")
    for name, version in versions.items():
        if name != "node":
            assert version == lock["packages"][f"node_modules/{name}"]["version"], name


def test_lock_downloads_only_from_the_npm_registry() -> None:
    lock = json.loads((PEER_DIR / "package-lock.json").read_text(encoding="utf-8"))
    for name, entry in lock["packages"].items():
        if not name:
            continue
        resolved = entry.get("resolved")
        # npm may leave "resolved" out (omit-lockfile-registry-resolved): then it is the
        # registry npm is configured with; when present it must be registry.npmjs.org
        assert resolved is None or resolved.startswith("https://registry.npmjs.org/"), name
        assert entry["integrity"].startswith("sha512-"), name
        assert not entry.get("hasInstallScript"), f"{name} runs an install script"


# --- the standard vectors ----------------------------------------------------------------


@pytest.mark.parametrize("cryptosuite", SUITES)
def test_peer_verifies_w3c_vector(node_peer: NodePeer, cryptosuite: str) -> None:
    signed = fixture_json(*W3C_SIGNED[cryptosuite])
    assert node_peer.verify(signed, check="proof") == (True, "")


@pytest.mark.parametrize("cryptosuite", SUITES)
def test_peer_vc_checks_reject_w3c_vector_issuer(node_peer: NodePeer, cryptosuite: str) -> None:
    """Why the W3C vectors are checked with ``check="proof"``: their issuer
    (https://vc.example/issuers/5678) is not the did:key that signed, which
    ``vc.verifyCredential`` refuses. The proof itself is sound (test above)."""
    verified, error = node_peer.verify(fixture_json(*W3C_SIGNED[cryptosuite]))
    assert not verified
    assert "issuer must match the verification method controller" in error


@pytest.mark.parametrize("cryptosuite", SUITES)
def test_peer_reproduces_w3c_proof_value(node_peer: NodePeer, cryptosuite: str) -> None:
    pair = fixture_json("w3c-eddsa-vectors", "keyPair.json")
    signed = node_peer.sign(
        fixture_json("w3c-eddsa-vectors", "unsigned.json"),
        cryptosuite,
        secret_key_multibase=pair["privateKeyMultibase"],
        created=W3C_CREATED,
    )
    assert signed == fixture_json(*W3C_SIGNED[cryptosuite])


def test_peer_verifies_obv3_vector(node_peer: NodePeer, signed_obv3: dict[str, Any]) -> None:
    """The full ``vc.verifyCredential``: the issuer's controller document (conftest) lists
    the key for assertionMethod, as the issuer's own would."""
    assert node_peer.verify(signed_obv3) == (True, "")


def test_peer_canonizes_obv3_vector(node_peer: NodePeer, signed_obv3: dict[str, Any]) -> None:
    proof = signed_obv3.pop("proof")
    assert node_peer.canonize(signed_obv3) == fixture_text(
        "obv3", "test-vectors", "document-canon.txt"
    )
    del proof["proofValue"]
    proof["@context"] = signed_obv3["@context"]
    assert node_peer.canonize(proof) == fixture_text("obv3", "test-vectors", "proof-canon.txt")


def test_peer_canonizes_w3c_vector(node_peer: NodePeer) -> None:
    folder = ("w3c-eddsa-vectors", "eddsa-rdfc-2022")
    unsigned = fixture_json("w3c-eddsa-vectors", "unsigned.json")
    assert node_peer.canonize(unsigned) == fixture_text(*folder, "canonDocDataInt.txt")
    proof_config = fixture_json(*folder, "proofConfigDataInt.json")
    assert node_peer.canonize(proof_config) == fixture_text(*folder, "proofCanonDataInt.txt")


@pytest.mark.parametrize("how", sorted(TAMPERINGS))
@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_peer_rejects_tampered_vector(node_peer: NodePeer, vector: str, how: str) -> None:
    signed = fixture_json(*VECTORS[vector])
    check = "credential" if vector == "1edtech-obv3" else "proof"
    assert node_peer.verify(signed, check=check)[0]
    verified, error = node_peer.verify(tampered(signed, how), check=check)
    assert not verified
    assert error


# --- the offline loader --------------------------------------------------------------------


def test_loader_refuses_an_unknown_url(node_peer: NodePeer) -> None:
    with pytest.raises(PeerError, match=r"refuses \"https://example.com/ctx\""):
        node_peer.load("https://example.com/ctx")


def test_unknown_context_is_an_error_not_a_fetch(node_peer: NodePeer) -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.com/ctx"],
        "type": ["VerifiableCredential"],
    }
    with pytest.raises(PeerError, match=re.escape("https://example.com/ctx")):
        node_peer.canonize(document)


def test_unknown_context_fails_verification(
    node_peer: NodePeer, signed_obv3: dict[str, Any]
) -> None:
    signed_obv3["@context"] = [*signed_obv3["@context"], "https://example.com/ctx"]
    verified, error = node_peer.verify(signed_obv3)
    assert not verified
    assert "https://example.com/ctx" in error


def test_loader_resolves_did_key_offline(node_peer: NodePeer) -> None:
    did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    document = node_peer.load(did)
    assert document["id"] == did
    method = node_peer.load(f"{did}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
    assert method["type"] == "Multikey"


def test_peer_context_copies_equal_microcreds(node_peer: NodePeer) -> None:
    """Both sides read every shared context URL as the same JSON, so a verdict that differs
    is a difference in the implementations, never in their context copies."""
    peer_urls = set(node_peer.versions()["contexts"])
    loader = default_loader()
    shared = sorted(peer_urls & loader.urls)
    assert "https://www.w3.org/ns/credentials/v2" in shared
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in shared
    for url in shared:
        assert node_peer.load(url) == loader.document(url), url


def test_peer_keeps_its_own_context_copies() -> None:
    """``--contexts`` adds contexts; it cannot replace one the npm packages provide."""
    replaced = {"https://www.w3.org/ns/credentials/v2": {"@context": {}}}
    with (
        NodePeer.start(contexts=replaced) as peer,
        pytest.raises(PeerError, match="already provided by @digitalbazaar/credentials-context"),
    ):
        peer.versions()


def test_examples_context_is_a_test_only_addition(node_peer: NodePeer) -> None:
    assert EXAMPLES_CONTEXT_URL in node_peer.versions()["contexts"]
    assert EXAMPLES_CONTEXT_URL not in default_loader().urls
    assert node_peer.load(EXAMPLES_CONTEXT_URL) == copy.deepcopy(
        fixture_json("contexts", "credentials-examples-v2.jsonld")
    )


def test_missing_node_modules_says_run_make_test(tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text(
        (PEER_DIR / "package-lock.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    problem = installation_problem(tmp_path)
    assert problem is not None
    assert "run make test (it runs npm ci" in problem


def test_stale_node_modules_says_run_make_test(tmp_path: Path) -> None:
    lock = json.loads((PEER_DIR / "package-lock.json").read_text(encoding="utf-8"))
    (tmp_path / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    lock["packages"]["node_modules/jsonld"]["version"] = "0.0.1"
    (tmp_path / "node_modules" / ".package-lock.json").write_text(json.dumps(lock))
    problem = installation_problem(tmp_path)
    assert problem is not None
    assert "run make test" in problem
    assert "node_modules/jsonld differs" in problem
    assert installation_problem(PEER_DIR) is None
