"""Hostile or malformed presentations get a coded format or proof failure, never an exception."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.verify.presentation import MAX_PRESENTED_CREDENTIALS, verify_presentation
from tests.core.verify.conftest import Issuer, context_for
from tests.core.verify.presentations import CHALLENGE, Holder, issued_to

HOLDER = Holder()
V2 = "https://www.w3.org/ns/credentials/v2"


def base(**members: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.did,
    }
    document.update(members)
    return document


def deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"a": value}
    return base(extra=value)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not json", "not-json"),
        (b"[1, 2]", "not-an-object"),
        (json.dumps({"@context": [V2], "type": ["VerifiableCredential"]}), "not-a-presentation"),
        (base(holder=None), "missing-holder"),
        (base(**{"@context": ["https://evil.example/ctx"]}), "not-vc2"),
        (base(**{"@context": [V2, "https://evil.example/ctx"]}), "context-not-allowed"),
        (base(**{"@context": [V2, {"@vocab": "https://evil.example/"}]}), "context-not-allowed"),
        (base(verifiableCredential=["a string"]), "malformed-credential-list"),
        (
            base(verifiableCredential={"type": ["EnvelopedVerifiableCredential"], "id": "data:,x"}),
            "unsupported-enveloped-credential",
        ),
        (base(verifiableCredential=[{}] * (MAX_PRESENTED_CREDENTIALS + 1)), "too-many-credentials"),
        (deep(200), "document-too-deep"),
        (b'{"a": "' + b"x" * (9 * 1024 * 1024) + b'"}', "document-too-large"),
    ],
)
def test_bad_input_fails_format(key_issuer: Issuer, data: Any, reason: str) -> None:
    result = verify_presentation(data, context_for(key_issuer), challenge=CHALLENGE)
    assert not result.verified
    assert result.check("format").reason == reason
    assert all(check.status == "skipped" for check in result.checks[1:])
    assert result.as_dict()["credentials"] == []


@pytest.mark.parametrize(
    ("proof", "reason"),
    [
        (None, "missing-proof"),
        ([{}], "unsupported-proof-set"),
        ("proof", "malformed-proof"),
        ({"verificationMethod": ""}, "malformed-proof"),
        ({"type": "RsaSignature2018"}, "wrong-proof-type"),
        ({"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023"}, "unknown-cryptosuite"),
        ({"created": "yesterday"}, "malformed-proof"),
        ({"proofValue": "not-multibase!"}, "malformed-proof"),
    ],
)
def test_bad_proof_fails_proof_check(key_issuer: Issuer, proof: Any, reason: str) -> None:
    signed = HOLDER.present([issued_to(key_issuer, HOLDER.did)])
    if isinstance(proof, dict):
        signed["proof"].update(proof)
    elif proof is None:
        del signed["proof"]
    else:
        signed["proof"] = proof
    result = verify_presentation(signed, context_for(key_issuer), challenge=CHALLENGE)
    assert not result.verified
    assert result.check("proof").reason == reason


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
_MEMBERS = st.fixed_dictionaries(
    {},
    optional={
        "@context": st.just([V2]) | _JSON,
        "type": st.just(["VerifiablePresentation"]) | _JSON,
        "holder": st.just(HOLDER.did) | _JSON,
        "verifiableCredential": _JSON,
        "proof": _JSON,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=_MEMBERS)
def test_arbitrary_members_never_raise_nor_verify(document: dict[str, Any]) -> None:
    result = verify_presentation(document, challenge=CHALLENGE)
    assert not result.verified
    assert result.checks[0].code == "format"
    assert all(c.reason != "internal-error" for c in result.checks), result.as_dict()
