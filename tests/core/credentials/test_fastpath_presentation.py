"""Presentations on the compiled fast path: byte-identical canonical N-Quads to pyld's.

A VC 2.0 presentation embeds its credentials under ``verifiableCredential``, a ``@graph``
container whose scoped context is ``null``: each credential becomes a named graph and is
expanded from the initial context with its own ``@context`` (and its own ``proof``, a
``@graph`` container again, so a graph inside a graph). The known answer is pyld's own
``normalize`` (URDNA2015 = RDFC-1.0) of the same document, not the fast path's round trip.
The presentations are those of ``bench/wallet.py``: real OBv3 micro-credentials signed with
eddsa-rdfc-2022, wrapped by the core's :func:`build_presentation`.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pyld import jsonld

from microcred.credentials import did_key, expansion, rdfc
from microcred.credentials.data_integrity import AUTHENTICATION, add_proof, verify_proof
from microcred.credentials.errors import CredentialError
from microcred.credentials.expansion import to_dataset
from microcred.credentials.fastpath import check_document, document_to_dataset, reuse_embedded
from microcred.credentials.fastpath.to_quads import Walker
from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import ContextLoader, default_loader, loader_with
from microcred.credentials.presentation import build_presentation
from microcred.credentials.rdfc import canonical_nquads, canonicalize
from tests.core.interop.samples import micro_credential

ISSUER = KeyPair.from_seed(
    bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
)
HOLDER = KeyPair.from_seed(bytes(range(32)))
HOLDER_DID = did_key.did_for(HOLDER.public)
HOLDER_METHOD = did_key.verification_method_id(HOLDER.public)
CREATED = "2025-06-30T12:00:05Z"
V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(scope="module")
def loader() -> ContextLoader:
    return default_loader()


@pytest.fixture(scope="module")
def credentials(loader: ContextLoader) -> list[dict[str, Any]]:
    """Ten signed OBv3 credentials of different learners, the holder as subject (as the
    bench makes them)."""
    issuer_did = did_key.did_for(ISSUER.public)
    method = did_key.verification_method_id(ISSUER.public)
    signed = []
    for i in range(10):
        document = micro_credential(issuer_did, i, credentialStatus=None)
        document["credentialSubject"]["id"] = HOLDER_DID
        signed.append(
            add_proof(document, ISSUER, method, "eddsa-rdfc-2022", created=CREATED, loader=loader)
        )
    return signed


def _present(credentials: list[dict[str, Any]], loader: ContextLoader) -> dict[str, Any]:
    return build_presentation(
        credentials,
        HOLDER_DID,
        HOLDER,
        HOLDER_METHOD,
        challenge="fastpath-challenge",
        domain="verifier.example.org",
        cryptosuite="eddsa-rdfc-2022",
        created=CREATED,
        loader=loader,
    )


def _pyld(document: Any, loader: ContextLoader) -> str:
    """pyld's own RDFC-1.0 canonical N-Quads, with the general path's options."""
    options = expansion._options(loader)
    options.update(algorithm="URDNA2015", format="application/n-quads")
    return str(jsonld.normalize(copy.deepcopy(document), options))


def _fast(document: Any, loader: ContextLoader) -> str:
    quads = document_to_dataset(document, loader)
    assert quads is not None, "the fast path fell back on a presentation it should handle"
    # the same quads as pyld's dataset, not only the same text
    assert len(quads) == len(to_dataset(document, loader))
    return canonicalize(quads)


def _without_proof(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "proof"}


@pytest.mark.parametrize("size", [0, 1, 2, 10])
def test_presentation_canonical_nquads_equal_pyld(
    size: int, credentials: list[dict[str, Any]], loader: ContextLoader
) -> None:
    presentation = _present(credentials[:size], loader)
    unsigned = _without_proof(presentation)  # what the holder's proof signs
    expected = _pyld(unsigned, loader)
    assert _fast(unsigned, loader) == expected
    assert canonical_nquads(unsigned, loader) == expected
    # each credential is a named graph, its proof a graph inside it
    graphs = {line.rsplit(" ", 2)[-2] for line in expected.splitlines() if line.count(" ") > 3}
    assert expected.count("<https://www.w3.org/2018/credentials#verifiableCredential>") == size
    assert size == 0 or len(graphs) >= 2 * size
    # the signed presentation too (its own proof is one more @graph container)
    assert _fast(presentation, loader) == _pyld(presentation, loader)
    # the check-only walk decides alike
    assert check_document(unsigned, loader) is not None


def test_presentation_proof_verifies_on_the_fast_path(
    credentials: list[dict[str, Any]], loader: ContextLoader, monkeypatch: pytest.MonkeyPatch
) -> None:
    presentation = _present(credentials[:2], loader)
    calls = _count_general(monkeypatch)
    result = verify_proof(
        presentation,
        lambda _method, _purpose: HOLDER.public,
        loader=loader,
        expected_proof_purpose=AUTHENTICATION,
    )
    assert result.verified, result.message
    assert calls == [], "the presentation went through pyld"


def test_a_credential_inside_matches_the_credential_alone(
    credentials: list[dict[str, Any]], loader: ContextLoader
) -> None:
    """The compiled states of a credential reached inside a presentation (context null, then
    its own @context) give the same quads as the credential at the top."""
    presentation = _without_proof(_present(credentials[:1], loader))
    alone = _without_proof(credentials[0])
    before = _fast(alone, loader)
    _fast(presentation, loader)
    assert _fast(alone, loader) == before == _pyld(alone, loader)


def test_nested_context_outside_a_graph_container(loader: ContextLoader) -> None:
    """A node object with its own @context (URLs) anywhere: handled, pyld's answer."""
    issuer_did = did_key.did_for(ISSUER.public)
    document = micro_credential(issuer_did, 3, credentialStatus=None)
    subject = document["credentialSubject"]
    subject["@context"] = list(document["@context"])
    assert _fast(document, loader) == _pyld(document, loader)


# --- what the fast path leaves to pyld ---------------------------------------------------------


def _count_general(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record each call of the general path (pyld) made through rdfc."""
    calls: list[int] = []
    general = rdfc.to_dataset

    def counting(document: Any, loader: ContextLoader) -> Any:
        calls.append(1)
        return general(document, loader)

    monkeypatch.setattr(rdfc, "to_dataset", counting)
    return calls


def test_inline_context_in_a_credential_falls_back_and_is_right(
    credentials: list[dict[str, Any]], loader: ContextLoader, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = copy.deepcopy(credentials[1])
    embedded["@context"] = [*embedded["@context"], {"extraNote": "https://example.org/ns#note"}]
    embedded["extraNote"] = "kept by pyld"
    unsigned = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER_DID,
        "verifiableCredential": [credentials[0], embedded],
    }
    assert document_to_dataset(unsigned, loader) is None
    assert check_document(unsigned, loader) is None
    calls = _count_general(monkeypatch)
    expected = _pyld(unsigned, loader)
    assert "kept by pyld" in expected
    assert canonical_nquads(unsigned, loader) == expected
    assert calls == [1]
    # signed and verified through the fallback as well
    signed = add_proof(
        unsigned,
        HOLDER,
        HOLDER_METHOD,
        "eddsa-rdfc-2022",
        proof_purpose=AUTHENTICATION,
        challenge="c",
        created=CREATED,
        loader=loader,
    )
    result = verify_proof(
        signed,
        lambda _method, _purpose: HOLDER.public,
        loader=loader,
        expected_proof_purpose=AUTHENTICATION,
    )
    assert result.verified, result.message
    assert len(calls) >= 3  # signing and verifying both canonicalised it through pyld


def test_unknown_context_in_a_credential_is_refused_by_both(
    credentials: list[dict[str, Any]], loader: ContextLoader
) -> None:
    embedded = copy.deepcopy(credentials[0])
    embedded["@context"] = [*embedded["@context"], "https://example.org/not-shipped/v1"]
    unsigned = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER_DID,
        "verifiableCredential": embedded,
    }
    assert document_to_dataset(unsigned, loader) is None
    with pytest.raises(CredentialError):
        canonical_nquads(unsigned, loader)


def test_non_object_in_verifiable_credential_falls_back(loader: ContextLoader) -> None:
    unsigned = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER_DID,
        "verifiableCredential": ["urn:uuid:0b0b6c6e-8b8e-4a43-9a43-3e1c3f1f6c1d"],
    }
    assert document_to_dataset(unsigned, loader) is None
    try:
        general = canonical_nquads(unsigned, loader)
    except CredentialError:
        return  # refused by the general path: the fast path gave no answer either
    assert general == _pyld(unsigned, loader)


# --- the credentials' datasets reused within one presentation's verification ---------------


def test_embedded_datasets_reused_are_the_credentials_own(
    credentials: list[dict[str, Any]], loader: ContextLoader, monkeypatch: pytest.MonkeyPatch
) -> None:
    presentation = _without_proof(_present(credentials[:3], loader))
    embedded = presentation["verifiableCredential"]  # the objects verification meets
    expected = [_pyld(_without_proof(c), loader) for c in embedded]
    walks: list[int] = []
    walk = Walker.document

    def counting(self: Walker, root: Any, document: dict[str, Any]) -> Any:
        walks.append(1)
        return walk(self, root, document)

    monkeypatch.setattr(Walker, "document", counting)
    with reuse_embedded():
        assert _fast(presentation, loader) == _pyld(presentation, loader)
        walks.clear()
        for credential, answer in zip(embedded, expected, strict=True):
            quads = document_to_dataset(_without_proof(credential), loader)
            assert quads is not None
            assert canonicalize(quads) == answer
        assert walks == [], "a credential of the presentation was walked again"
        # a member replaced by another object (equal or not) is not recognised
        changed = _without_proof(embedded[0])
        changed["credentialSubject"] = copy.deepcopy(changed["credentialSubject"])
        changed["credentialSubject"]["name"] = "Someone Else"
        quads = document_to_dataset(changed, loader)
        assert quads is not None and walks == [1]
        assert canonicalize(quads) == _pyld(changed, loader)
        # another loader: not recognised either
        other = loader_with({})
        assert other is not loader
        assert document_to_dataset(_without_proof(embedded[1]), other) is not None
        assert walks == [1, 1]
    # outside the block nothing is remembered
    assert document_to_dataset(_without_proof(embedded[1]), loader) is not None
    assert walks == [1, 1, 1]


def test_the_credentials_rows_are_the_presentations_own(
    credentials: list[dict[str, Any]], loader: ContextLoader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within one verification a credential's serialised rows come from the presentation's,
    canonicalised just before: the same rows _rows writes for the credential alone, and the
    same canonical N-Quads as pyld's."""
    presentation = _without_proof(_present(credentials[:4], loader))
    embedded = presentation["verifiableCredential"]
    expected = [_pyld(_without_proof(c), loader) for c in embedded]
    serialised: list[int] = []
    rows = rdfc._rows

    def counting(quads: Any) -> Any:
        serialised.append(len(quads))
        return rows(quads)

    monkeypatch.setattr(rdfc, "_rows", counting)
    with reuse_embedded():
        assert _fast(presentation, loader) == _pyld(presentation, loader)
        assert len(serialised) == 1  # the presentation's dataset
        for credential, answer in zip(embedded, expected, strict=True):
            quads = document_to_dataset(_without_proof(credential), loader)
            assert quads is not None
            assert rdfc._rows_of(quads) == rows(list(quads))
            assert canonicalize(quads) == answer
        assert len(serialised) == 1, "a credential's rows were written again"
    # without the presentation canonicalised first, a credential's rows are written afresh
    with reuse_embedded():
        document_to_dataset(presentation, loader)
        quads = document_to_dataset(_without_proof(embedded[0]), loader)
        assert quads is not None
        serialised.clear()
        assert canonicalize(quads) == expected[0]
        assert serialised == [len(quads)]
