"""Hostile or broken input: always a ProofResult, never an exception, never the network."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof, verify_proof
from microcred.credentials.keys import KeyPair, PublicKey
from tests.core.credentials.conftest import fixture_json

_KEYWORDS = ["@id", "@type", "@context", "@graph", "@list", "@value", "@language", "@set"]
_KEYWORDS += ["@reverse", "@vocab", "@base", "@import", "@protected", "@container"]
_KEYWORDS += ["@index", "@nest", "@included", "@json", "@direction"]
_KEYS = st.sampled_from([*_KEYWORDS, "id", "type", "name", "achievement", "x"])
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.sampled_from([*_KEYWORDS, "_:b0", "https://x.example/", "id", "type"])
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=15,
)


def _obv3_key(method: str, purpose: str) -> PublicKey:
    return did_key.public_key_of("did:key:" + method.partition("#")[2])


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["credentialSubject", "@context", "issuer", "name", "proof", "type"]),
    _JSON,
)
def test_mangled_obv3_vector_never_raises(key: str, value: Any) -> None:
    document = fixture_json("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
    document[key] = json.loads(json.dumps(value))
    result = verify_proof(document, _obv3_key)
    assert isinstance(result.verified, bool)
    assert result.code


def test_no_network_while_signing_and_verifying(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    document = fixture_json("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
    assert verify_proof(document, _obv3_key).verified
    del document["proof"]
    key = KeyPair.generate()
    method = did_key.verification_method_id(key.public)
    for cryptosuite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        signed = add_proof(document, key, method, cryptosuite=cryptosuite)
        assert verify_proof(signed, did_key.resolve_verification_key).verified
    document["@context"].append("https://evil.example/ctx.jsonld")
    signed["@context"] = document["@context"]
    assert verify_proof(signed, did_key.resolve_verification_key).code == "context-not-allowed"


@pytest.mark.parametrize("space", ["\u00a0", "\u2028", "\u3000", "\ufeff"])
@pytest.mark.parametrize("fast", [True, False])
def test_unicode_space_in_an_id_is_refused_not_signed_empty(
    space: str, fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyld drops a node whose IRI holds Unicode white space; signing it would sign nothing."""
    from microcred.credentials import rdfc
    from microcred.credentials.errors import CredentialError

    monkeypatch.setattr(rdfc, "USE_FAST_PATH", fast)
    document = fixture_json("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
    del document["proof"]
    document["id"] = f"urn:uuid:1234{space}5678"
    key = KeyPair.generate()
    method = f"did:key:{key.public.multibase}#{key.public.multibase}"
    with pytest.raises(CredentialError):
        add_proof(document, key, method, created="2026-01-01T00:00:00Z")


def test_huge_integer_is_a_result_not_a_crash() -> None:
    document = fixture_json("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
    document["credentialSubject"]["achievement"]["creditsAvailable"] = 10**400
    result = verify_proof(document, _obv3_key)
    assert result.verified is False and result.code
