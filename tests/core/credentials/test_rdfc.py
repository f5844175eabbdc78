"""RDFC-1.0 canonical N-Quads: W3C and 1EdTech canonical forms, escaping, strictness, limits."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld

from microcred.credentials.errors import (
    CanonicalizationLimit,
    ContextNotAllowed,
    DocumentTooComplex,
    InvalidJsonLd,
    UndefinedTerm,
)
from microcred.credentials.loader import ContextLoader, default_loader
from microcred.credentials.nquads import BLANK, IRI, LITERAL, Quad, Term, escape_literal
from microcred.credentials.rdfc import canonical_nquads, canonicalize
from tests.core.credentials.conftest import fixture_json, fixture_text

OBV3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def test_w3c_document_canonical_form(examples_loader: ContextLoader) -> None:
    document = fixture_json("w3c-eddsa-vectors", "unsigned.json")
    expected = fixture_text("w3c-eddsa-vectors", "eddsa-rdfc-2022", "canonDocDataInt.txt")
    assert canonical_nquads(document, examples_loader) == expected


def test_w3c_proof_configuration_canonical_form(examples_loader: ContextLoader) -> None:
    config = fixture_json("w3c-eddsa-vectors", "eddsa-rdfc-2022", "proofConfigDataInt.json")
    expected = fixture_text("w3c-eddsa-vectors", "eddsa-rdfc-2022", "proofCanonDataInt.txt")
    assert canonical_nquads(config, examples_loader) == expected


def test_obv3_canonical_forms(signed_obv3: dict[str, Any]) -> None:
    proof = signed_obv3.pop("proof")
    expected = fixture_text("obv3", "test-vectors", "document-canon.txt")
    assert canonical_nquads(signed_obv3, default_loader()) == expected
    del proof["proofValue"]
    proof["@context"] = signed_obv3["@context"]
    expected_proof = fixture_text("obv3", "test-vectors", "proof-canon.txt")
    assert canonical_nquads(proof, default_loader()) == expected_proof


def test_every_control_character_is_escaped_canonically() -> None:
    text = "".join(chr(c) for c in range(0x20)) + '\x7f"\\é€'
    expected = (
        "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
        "\\b\\t\\n\\u000B\\f\\r\\u000E\\u000F"
        "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
        "\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F"
        '\\u007F\\"\\\\é€'
    )
    assert escape_literal(text) == expected


def test_control_characters_in_a_credential() -> None:
    document = {
        "@context": OBV3_CONTEXT,
        "id": "urn:uuid:0b6d0a2e-3c1b-4d43-8f2e-2f0c1c1f3a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "bell\x07 backspace\x08 tab\t del\x7f",
    }
    canonical = canonical_nquads(document, default_loader())
    assert '"bell\\u0007 backspace\\b tab\\t del\\u007F" .' in canonical
    # pyld's own writer leaves U+0007 and U+007F raw: the reason for our serialiser
    assert "\x07" not in canonical and "\x7f" not in canonical


def test_escaping_feeds_blank_node_hashes() -> None:
    """Two literals differing only in a control char must label blank nodes differently."""
    p = Term(IRI, "http://example.org/p")
    quads = [
        Quad(Term(BLANK, "_:x"), p, Term(LITERAL, "a\x01", "http://example.org/t")),
        Quad(Term(BLANK, "_:y"), p, Term(LITERAL, "a\x02", "http://example.org/t")),
    ]
    assert canonicalize(quads) == (
        '_:c14n0 <http://example.org/p> "a\\u0001"^^<http://example.org/t> .\n'
        '_:c14n1 <http://example.org/p> "a\\u0002"^^<http://example.org/t> .\n'
    )


def _obv3_subject(**extra: Any) -> dict[str, Any]:
    return {
        "@context": OBV3_CONTEXT,
        "id": "urn:uuid:0b6d0a2e-3c1b-4d43-8f2e-2f0c1c1f3a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuers/1", "type": "Profile", "name": "X"},
        **extra,
    }


def test_undefined_property_is_named() -> None:
    with pytest.raises(UndefinedTerm) as caught:
        canonical_nquads(_obv3_subject(favouriteColour="blue"), default_loader())
    assert caught.value.term == "favouriteColour"
    assert caught.value.code == "undefined-term"


def test_undefined_nested_property_is_named() -> None:
    document = _obv3_subject()
    document["issuer"]["shoeSize"] = 44
    with pytest.raises(UndefinedTerm, match="shoeSize"):
        canonical_nquads(document, default_loader())


def test_undefined_type_is_named() -> None:
    document = _obv3_subject()
    document["type"] = ["VerifiableCredential", "MysteryCredential"]
    with pytest.raises(UndefinedTerm, match="MysteryCredential"):
        canonical_nquads(document, default_loader())


def test_relative_id_is_refused() -> None:
    document = _obv3_subject()
    document["id"] = "credential-1"
    with pytest.raises(InvalidJsonLd, match="relative IRI"):
        canonical_nquads(document, default_loader())


def test_iri_that_would_forge_quads_is_refused() -> None:
    document = _obv3_subject()
    document["id"] = 'urn:x> <http://evil.example/p> "v" .\n<urn:y'
    with pytest.raises(InvalidJsonLd):
        canonical_nquads(document, default_loader())


def test_unknown_context_is_refused() -> None:
    document = _obv3_subject()
    document["@context"] = [*OBV3_CONTEXT, "https://evil.example/ctx.jsonld"]
    with pytest.raises(ContextNotAllowed, match=r"evil\.example"):
        canonical_nquads(document, default_loader())


def test_inline_context_cannot_smuggle_a_remote_one() -> None:
    document = _obv3_subject()
    document["@context"] = [*OBV3_CONTEXT, {"@import": "https://evil.example/ctx.jsonld"}]
    with pytest.raises(ContextNotAllowed):
        canonical_nquads(document, default_loader())


def test_processor_crash_becomes_invalid_jsonld() -> None:
    """pyld raises KeyError on this context; callers must get a CredentialError instead."""
    document = _obv3_subject()
    document["@context"] = {"@language": None}
    with pytest.raises(InvalidJsonLd, match="cannot handle"):
        canonical_nquads(document, default_loader())


def test_deep_nesting_is_refused_before_pyld() -> None:
    document = _obv3_subject()
    node: dict[str, Any] = document["issuer"]
    for _ in range(200):
        node["parentOrg"] = {"type": "Profile"}
        node = node["parentOrg"]
    with pytest.raises(DocumentTooComplex):
        canonical_nquads(document, default_loader())


def _clique(size: int) -> list[Quad]:
    p = Term(IRI, "http://example.org/knows")
    nodes = [Term(BLANK, f"_:n{i}") for i in range(size)]
    return [Quad(a, p, b) for a in nodes for b in nodes if a != b]


def test_poisoned_graph_hits_the_work_limit() -> None:
    with pytest.raises(CanonicalizationLimit):
        canonicalize(_clique(8))


def test_small_symmetric_graph_is_labelled() -> None:
    p = Term(IRI, "http://example.org/p")
    a, b = Term(BLANK, "_:a"), Term(BLANK, "_:b")
    expected = (
        "_:c14n0 <http://example.org/p> _:c14n1 .\n_:c14n1 <http://example.org/p> _:c14n0 .\n"
    )
    assert canonicalize([Quad(a, p, b), Quad(b, p, a)]) == expected


def test_labels_do_not_depend_on_input_labels_or_order() -> None:
    name = Quad(Term(BLANK, "_:n0"), Term(IRI, "http://example.org/name"), Term(LITERAL, "x"))
    quads = [*_clique(3), name]

    def rename(term: Term) -> Term:
        return Term(term.kind, term.value.replace("_:n", "_:other"), term.datatype)

    renamed = [
        Quad(rename(q.subject), q.predicate, rename(q.object), q.graph) for q in reversed(quads)
    ]
    assert canonicalize(quads) == canonicalize(renamed)


# Oracle: on datasets without control characters our RDFC-1.0 must agree with pyld's URDNA2015.
_node = st.sampled_from(["_:a", "_:b", "_:c", "_:d", "_:e", "<http://example.org/s>"])
_predicate = st.sampled_from(["<http://example.org/p>", "<http://example.org/q>"])
_object = st.one_of(_node, st.sampled_from(['"x"', '"y"', '"z"@en']))
_graph = st.sampled_from(["", " _:g", " <http://example.org/g>"])


def _term(text: str) -> Term:
    if text.startswith("<"):
        return Term(IRI, text[1:-1])
    if text.startswith("_:"):
        return Term(BLANK, text)
    if text.endswith("@en"):
        return Term(
            LITERAL, text[1:-4], "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "en"
        )
    return Term(LITERAL, text[1:-1], "http://www.w3.org/2001/XMLSchema#string")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_node, _predicate, _object, _graph), min_size=1, max_size=10))
def test_agrees_with_pyld_urdna2015(rows: list[tuple[str, str, str, str]]) -> None:
    lines = sorted({f"{s} {p} {o}{g} .\n" for s, p, o, g in rows})
    expected = jsonld.normalize(
        "".join(lines),
        {
            "algorithm": "URDNA2015",
            "inputFormat": "application/n-quads",
            "format": "application/n-quads",
        },
    )
    quads = [
        Quad(_term(s), _term(p), _term(o), _term(g.strip()) if g else None)
        for s, p, o, g in {(s, p, o, g) for s, p, o, g in rows}
    ]
    assert canonicalize(quads) == expected


def test_canonicalisation_does_not_mutate_input(signed_obv3: dict[str, Any]) -> None:
    before = copy.deepcopy(signed_obv3)
    canonical_nquads(signed_obv3, default_loader())
    assert signed_obv3 == before
