"""Multibase base58btc, Ed25519 Multikeys and did:key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from microcred.credentials import did_key
from microcred.credentials.errors import DidResolutionError, InvalidKey, InvalidMultibase
from microcred.credentials.keys import KeyPair, PublicKey
from microcred.credentials.multibase import (
    b58decode,
    b58encode,
    decode_base58btc,
    encode_base58btc,
)
from tests.core.credentials.conftest import W3C_VERIFICATION_METHOD, fixture_json

W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


@given(st.binary(max_size=80))
def test_base58btc_round_trip(data: bytes) -> None:
    encoded = encode_base58btc(data)
    assert encoded.startswith("z")
    assert decode_base58btc(encoded) == data


def test_base58_known_values_and_leading_zeros() -> None:
    assert b58encode(b"") == ""
    assert b58encode(b"\0\0\x01") == "112"
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert b58decode("112") == b"\0\0\x01"


@pytest.mark.parametrize("value", ["z0OIl", "mSGVsbG8", "", "z" + "2" * 600])
def test_bad_multibase_is_refused(value: str) -> None:
    with pytest.raises(InvalidMultibase):
        decode_base58btc(value)


def test_w3c_key_pair_parses_and_matches() -> None:
    pair = fixture_json("w3c-eddsa-vectors", "keyPair.json")
    key = KeyPair.from_multibase(pair["privateKeyMultibase"], pair["publicKeyMultibase"])
    assert key.public.multibase == pair["publicKeyMultibase"]
    assert key.secret_multibase == pair["privateKeyMultibase"]
    assert key.secret_multibase.startswith("z3u2")


def test_secret_never_in_repr() -> None:
    key = KeyPair.generate()
    assert key.secret_multibase not in repr(key)
    assert key.public.multibase in repr(key)


def test_secret_must_match_public() -> None:
    other = KeyPair.generate()
    with pytest.raises(InvalidKey):
        KeyPair.from_multibase(other.secret_multibase, W3C_PUBLIC)


def test_public_key_header_is_checked() -> None:
    secret_as_public = KeyPair.generate().secret_multibase
    with pytest.raises(InvalidKey, match="0x8026"):
        PublicKey.from_multibase(secret_as_public)
    with pytest.raises(InvalidKey):
        PublicKey.from_multibase(encode_base58btc(b"\xed\x01" + b"\1" * 31))


def test_sign_and_verify() -> None:
    key = KeyPair.generate()
    signature = key.sign(b"data")
    assert len(signature) == 64
    assert key.public.verify(signature, b"data")
    assert not key.public.verify(signature, b"date")
    assert not key.public.verify(signature[:-1], b"data")
    assert not KeyPair.generate().public.verify(signature, b"data")


@given(st.binary(min_size=32, max_size=32), st.binary(max_size=200))
def test_libsodium_signs_the_bytes_openssl_signs(seed: bytes, message: bytes) -> None:
    """Ed25519 is deterministic: moving signing to libsodium must not change one byte."""
    key = KeyPair.from_seed(seed)
    assert key.sign(message) == Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def test_rfc8032_test_vector_1() -> None:
    key = KeyPair.from_seed(
        bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    )
    assert key.sign(b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


def test_did_key_document() -> None:
    did = "did:key:" + W3C_PUBLIC
    document = did_key.resolve(did)
    assert document["id"] == did
    (method,) = document["verificationMethod"]
    assert method == {
        "id": W3C_VERIFICATION_METHOD,
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": W3C_PUBLIC,
    }
    assert document["assertionMethod"] == [W3C_VERIFICATION_METHOD]
    assert document["authentication"] == [W3C_VERIFICATION_METHOD]


def test_did_key_round_trip() -> None:
    key = KeyPair.generate().public
    assert did_key.public_key_of(did_key.did_for(key)) == key
    method = did_key.verification_method_id(key)
    assert did_key.resolve_verification_key(method, "assertionMethod") == key


def test_did_key_refuses_other_key_types_by_name() -> None:
    p256 = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
    with pytest.raises(DidResolutionError, match="P-256"):
        did_key.resolve(p256)
    with pytest.raises(DidResolutionError, match="not a did:key"):
        did_key.resolve("did:web:example.org")


def test_did_key_fragment_and_purpose_are_checked() -> None:
    other = KeyPair.generate().public.multibase
    with pytest.raises(DidResolutionError, match="fragment"):
        did_key.resolve_verification_key(f"did:key:{W3C_PUBLIC}#{other}", "assertionMethod")
    with pytest.raises(DidResolutionError, match="keyAgreement"):
        did_key.resolve_verification_key(W3C_VERIFICATION_METHOD, "keyAgreement")
