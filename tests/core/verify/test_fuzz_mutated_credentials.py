"""Mutated real credentials never crash the pipeline and never verify.

Real signed credentials (did:key with both cryptosuites; did:web with a revocation status
entry) are mutated by :mod:`tests.mutations`: members deleted, replaced, duplicated, retyped,
buried 80 arrays deep, made huge or exotic strings, added, or only reordered. Whatever the
mutation, ``verify_credential`` answers (never raises) for the object and for its JSON bytes;
and it is ``verified`` only when the mutation is semantically a no-op:

- the document is *equal* to the signed one (a reordering: key order means nothing to JSON
  objects, nor to JCS), or
- for ``eddsa-rdfc-2022``, what was signed is the RDF dataset, so a mutation that leaves the
  canonical N-Quads of the document and of the proof options unchanged (and the proof value
  itself) signs the same statements: a duplicated ``@context`` entry is one;
- for ``eddsa-jcs-2022``, ``@context`` entries after those the proof names are set aside by
  the verification algorithm itself (contexts added after signing), so a duplicated entry at
  the end verifies there too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from microcred.credentials.loader import default_loader
from microcred.credentials.rdfc import canonical_nquads
from microcred.credentials.status_list import StatusPurpose
from microcred.verify import verify_credential
from tests.core.verify.conftest import context_for, credential, did_key_issuer, did_web_issuer
from tests.core.verify.conftest import with_status as credential_with_status
from tests.mutations import mutated

REVOCATION: StatusPurpose = "revocation"  # type: ignore[assignment]


def _bases() -> dict[str, tuple[dict[str, Any], Any]]:
    key = did_key_issuer(3)
    web = did_web_issuer()
    web.publish_list(REVOCATION)
    return {
        "did:key rdfc": (key.sign(credential(key.did)), context_for(key)),
        "did:key jcs": (
            key.sign(credential(key.did), cryptosuite="eddsa-jcs-2022"),
            context_for(key),
        ),
        "did:web with status": (
            web.sign(credential_with_status(web, (REVOCATION, 7))),
            context_for(web),
        ),
    }


BASES = _bases()


def _statements(document: dict[str, Any]) -> tuple[str, str, Any]:
    proof = dict(document["proof"])
    value = proof.pop("proofValue")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {"@context": document["@context"], **proof}
    loader = default_loader()
    return canonical_nquads(unsecured, loader), canonical_nquads(options, loader), value


def same_statements(mutated: dict[str, Any], original: dict[str, Any]) -> bool:
    """For RDFC: do both sign the same RDF statements? For JCS: is the mutation only
    ``@context`` entries after the proof's own (which eddsa-jcs-2022 verification sets aside,
    VC DI EdDSA §3.3.2: "set unsecuredDocument.@context equal to proofOptions.@context")?
    Anything unreadable is not the same."""
    if original["proof"].get("cryptosuite") == "eddsa-jcs-2022":
        return _contexts_added_after_signing(mutated, original)
    if original["proof"].get("cryptosuite") != "eddsa-rdfc-2022":
        return False
    try:
        return _statements(mutated) == _statements(original)
    except Exception:
        return False


def _contexts_added_after_signing(mutated: dict[str, Any], original: dict[str, Any]) -> bool:
    proof = original["proof"]
    signed = proof.get("@context")
    context = mutated.get("@context")
    if mutated.get("proof") != proof or not isinstance(context, list) or signed is None:
        return False
    signed_list = signed if isinstance(signed, list) else [signed]
    rest = {k: v for k, v in mutated.items() if k != "@context"}
    return context[: len(signed_list)] == signed_list and rest == {
        k: v for k, v in original.items() if k != "@context"
    }


def test_a_context_added_after_signing_verifies_under_jcs_only_as_the_spec_says() -> None:
    """The case the fuzzing found (a duplicated entry): verified, as the spec says, and with
    a context that does not start with the proof's, refused."""
    original, ctx = BASES["did:key jcs"]
    added = {**original, "@context": [*original["@context"], original["@context"][1]]}
    assert verify_credential(added, ctx).verified
    assert same_statements(added, original)
    reordered = {**original, "@context": list(reversed(original["@context"]))}
    assert not verify_credential(reordered, ctx).verified
    assert not same_statements(reordered, original)


@pytest.mark.parametrize("name", list(BASES))
def test_the_unmutated_credentials_verify(name: str) -> None:
    document, ctx = BASES[name]
    result = verify_credential(document, ctx)
    assert result.verified, [(c.code, c.status, c.message) for c in result.checks]


@pytest.mark.parametrize("name", list(BASES))
def test_a_mutated_credential_never_crashes_and_never_verifies(name: str) -> None:
    original, ctx = BASES[name]

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutation=mutated(original))
    def run(mutation: tuple[str, Any]) -> None:
        what, document = mutation
        as_object = verify_credential(document, ctx)
        as_bytes = verify_credential(json.dumps(document).encode(), ctx)
        if document == original:
            assert as_object.verified and as_bytes.verified, what
        elif as_object.verified or as_bytes.verified:
            assert same_statements(document, original), what
        else:
            assert not as_object.verified, what
            assert not as_bytes.verified, what

    run()


def test_the_shared_obv3_vector_mutated_never_keeps_its_proof() -> None:
    """The OBv3 test vector of ../shared/fixtures (an https issuer: no register entry, so the
    proof is checked alone, with the key its verification method names)."""
    from microcred.credentials.data_integrity import verify_proof
    from microcred.credentials.keys import PublicKey
    from tests.core.credentials.conftest import fixture_json

    original = fixture_json("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
    key = PublicKey.from_multibase(original["proof"]["verificationMethod"].split("#")[1])
    assert verify_proof(original, lambda method, purpose: key).verified

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutation=mutated(original))
    def run(mutation: tuple[str, Any]) -> None:
        what, document = mutation
        result = verify_proof(document, lambda method, purpose: key)
        verify_credential(document)  # answers, whatever the document
        if result.verified and document != original:
            assert same_statements(document, original), what

    run()
