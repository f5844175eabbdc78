"""eddsa-jcs-2022 against the W3C vc-di-eddsa test vectors, step by step."""

from __future__ import annotations

from typing import Any

from microcred.credentials import eddsa_jcs_2022 as suite
from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import ContextLoader
from tests.core.credentials.conftest import fixture_json, fixture_text

VECTORS = ("w3c-eddsa-vectors", "eddsa-jcs-2022")


def _options() -> dict[str, Any]:
    config: dict[str, Any] = fixture_json(*VECTORS, "proofConfigJCS.json")
    del config["@context"]
    return config


def test_transformation(unsigned_w3c: dict[str, Any], examples_loader: ContextLoader) -> None:
    canonical = suite.transformation(unsigned_w3c, _options(), examples_loader)
    assert canonical == fixture_text(*VECTORS, "canonDocJCS.txt").encode()


def test_proof_configuration(unsigned_w3c: dict[str, Any], examples_loader: ContextLoader) -> None:
    options = _options() | {"@context": unsigned_w3c["@context"]}
    canonical = suite.proof_configuration(options, examples_loader)
    assert canonical == fixture_text(*VECTORS, "proofCanonJCS.txt").encode()


def test_hashing() -> None:
    hash_data = suite.hashing(
        fixture_text(*VECTORS, "canonDocJCS.txt").encode(),
        fixture_text(*VECTORS, "proofCanonJCS.txt").encode(),
    )
    assert hash_data[32:].hex() == fixture_text(*VECTORS, "docHashJCS.txt").strip()
    assert hash_data[:32].hex() == fixture_text(*VECTORS, "proofHashJCS.txt").strip()
    assert hash_data.hex() == fixture_text(*VECTORS, "combinedHashJCS.txt").strip()


def test_proof_serialization_and_verification(w3c_key: KeyPair) -> None:
    hash_data = bytes.fromhex(fixture_text(*VECTORS, "combinedHashJCS.txt").strip())
    signature = suite.proof_serialization(hash_data, w3c_key)
    assert signature.hex() == fixture_text(*VECTORS, "sigHexJCS.txt").strip()
    assert suite.proof_verification(hash_data, signature, w3c_key.public)


def test_create_proof_reproduces_proof_value(
    unsigned_w3c: dict[str, Any], w3c_key: KeyPair, examples_loader: ContextLoader
) -> None:
    proof = suite.create_proof(unsigned_w3c, _options(), w3c_key, examples_loader)
    assert proof["proofValue"] == fixture_text(*VECTORS, "sigBTC58JCS.txt").strip()
    assert proof == fixture_json(*VECTORS, "signedJCS.json")["proof"]


def test_verify_proof(w3c_key: KeyPair, examples_loader: ContextLoader) -> None:
    signed = fixture_json(*VECTORS, "signedJCS.json")
    result = suite.verify_proof(signed, w3c_key.public, examples_loader)
    assert result.verified, result
    assert result.verified_document is not None
    assert "proof" not in result.verified_document
