"""Known defects of the tools we compare against, asserted as they are.

Where microcred's output is right and a peer's is wrong, these tests pin both answers: ours
to the specification, the peer's to its known-wrong value. If a peer release fixes a defect,
the test fails and says so; then move the case into the agreeing tests. Our output is never
bent to match a peer.

* jsonld.js (the JavaScript peer's JSON-LD processor) writes a JSON number such as 1e-7 as
  ``"0"^^xsd:integer``. JSON-LD 1.1 toRDF: a number with a non-zero fractional part is an
  ``xsd:double`` in canonical form, ``"1.0E-7"``. jsonld.js decides "fractional" by looking
  for a ``.`` in JavaScript's ``String(n)``, which is ``"1e-7"`` for every number below 1e-6.
* rdf-canonize (the peer's RDFC-1.0) sorts N-Quads by UTF-16 code units. RDFC-1.0 sorts in
  code point order; the two differ when a character at U+E000-U+FFFF meets one above U+FFFF
  (a surrogate pair in UTF-16).
* pyld (microcred's JSON-LD processor, not its canonicaliser) writes N-Quads escaping only
  tab, newline, return, quote and backslash, where canonical N-Quads escape every control
  character; and it silently drops terms no context defines.
"""

from __future__ import annotations

from typing import Any

import pytest
from pyld import jsonld

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof, verify_proof
from microcred.credentials.errors import UndefinedTerm
from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import default_loader
from microcred.credentials.rdfc import canonical_nquads
from tests.core.interop.peer import NodePeer, PeerError
from tests.core.interop.samples import micro_credential

CREATED = "2025-06-30T12:00:05Z"
VOCAB = {"@vocab": "https://example.org/vocab#"}
SUBJECT = "https://example.org/thing"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: The OBv3 context types creditsAvailable as xsd:float under an https namespace.
OB_XSD = "https://www.w3.org/2001/XMLSchema#"
PREDICATE = "<https://example.org/vocab#v>"


def _document(value: Any) -> dict[str, Any]:
    return {"@context": VOCAB, "@id": SUBJECT, "v": value}


def _python_verifies(credential: dict[str, Any]) -> bool:
    return verify_proof(credential, did_key.resolve_verification_key).verified


# --- jsonld.js: small doubles become "0" -----------------------------------------------------


def test_small_double_ours_is_the_spec_form_jsonld_js_writes_zero(node_peer: NodePeer) -> None:
    document = _document(1e-7)
    assert canonical_nquads(document, default_loader()) == (
        f'<{SUBJECT}> {PREDICATE} "1.0E-7"^^<{XSD}double> .\n'
    )
    # known-wrong: jsonld.js reads 1e-7 as an integer and writes it as 0
    assert node_peer.canonize(document) == f'<{SUBJECT}> {PREDICATE} "0"^^<{XSD}integer> .\n'


def test_doubles_from_1e_minus_6_agree(node_peer: NodePeer) -> None:
    for value, canonical in ((1.5, "1.5E0"), (0.000001, "1.0E-6"), (1e21, "1.0E21")):
        expected = f'<{SUBJECT}> {PREDICATE} "{canonical}"^^<{XSD}double> .\n'
        assert canonical_nquads(_document(value), default_loader()) == expected
        assert node_peer.canonize(_document(value)) == expected


def test_small_credit_value_breaks_rdfc_in_the_peer_only(
    node_peer: NodePeer, issuer_key: KeyPair, issuer_did: str, issuer_method: str
) -> None:
    """An eddsa-rdfc-2022 credential holding 1e-7 (``creditsAvailable``, xsd:float): we sign
    the spec's canonical form, so the peer, which canonicalises 1e-7 as 0, rejects it. The
    same credential under eddsa-jcs-2022 (JSON, no RDF) verifies on both sides."""
    credential = micro_credential(issuer_did, 11)
    credential["credentialSubject"]["achievement"]["creditsAvailable"] = 1e-7
    ours = canonical_nquads(credential, default_loader())
    assert f'"1.0E-7"^^<{OB_XSD}float>' in ours
    assert f'"0"^^<{OB_XSD}float>' in node_peer.canonize(credential)  # known-wrong

    rdfc = add_proof(credential, issuer_key, issuer_method, "eddsa-rdfc-2022", created=CREATED)
    assert _python_verifies(rdfc)
    verified, error = node_peer.verify(rdfc)
    assert (verified, error) == (False, "Invalid signature.")  # the peer's defect

    jcs = add_proof(credential, issuer_key, issuer_method, "eddsa-jcs-2022", created=CREATED)
    assert _python_verifies(jcs)
    assert node_peer.verify(jcs) == (True, "")


# --- rdf-canonize: UTF-16 code unit order ----------------------------------------------------

BMP_HIGH = "\ufb01nance"  # U+FB01 LATIN SMALL LIGATURE FI
ASTRAL = "\U0001f393 graduate"  # U+1F393 GRADUATION CAP: a surrogate pair in UTF-16


def test_code_point_order_ours_utf16_order_rdf_canonize(node_peer: NodePeer) -> None:
    document = _document([ASTRAL, BMP_HIGH])
    in_code_point_order = (
        f'<{SUBJECT}> {PREDICATE} "{BMP_HIGH}" .\n<{SUBJECT}> {PREDICATE} "{ASTRAL}" .\n'
    )
    assert canonical_nquads(document, default_loader()) == in_code_point_order
    # known-wrong: U+1F393 is D83C DF93 in UTF-16, which sorts before U+FB01
    assert node_peer.canonize(document) == (
        f'<{SUBJECT}> {PREDICATE} "{ASTRAL}" .\n<{SUBJECT}> {PREDICATE} "{BMP_HIGH}" .\n'
    )


def test_utf16_order_breaks_rdfc_across_the_two(
    node_peer: NodePeer, issuer_key: KeyPair, issuer_did: str, issuer_method: str
) -> None:
    """Tags mixing U+E000-U+FFFF and astral characters: each side's eddsa-rdfc-2022
    signature verifies only on the side that made it. Ours is the RDFC-1.0 one; the peer
    signs its UTF-16-ordered form. eddsa-jcs-2022 sorts JSON keys, not text values, so it
    is unaffected."""
    credential = micro_credential(issuer_did, 12)
    credential["credentialSubject"]["achievement"]["tag"] = [ASTRAL, BMP_HIGH]

    ours = add_proof(credential, issuer_key, issuer_method, "eddsa-rdfc-2022", created=CREATED)
    assert _python_verifies(ours)
    assert node_peer.verify(ours) == (False, "Invalid signature.")  # the peer's defect

    theirs = node_peer.sign(
        credential,
        "eddsa-rdfc-2022",
        secret_key_multibase=issuer_key.secret_multibase,
        created=CREATED,
    )
    assert node_peer.verify(theirs) == (True, "")
    # we rightly reject a signature over N-Quads that are not in RDFC-1.0 order
    assert not _python_verifies(theirs)

    jcs = add_proof(credential, issuer_key, issuer_method, "eddsa-jcs-2022", created=CREATED)
    assert node_peer.verify(jcs) == (True, "")


# --- pyld: N-Quads escaping and dropped terms -----------------------------------------------

CONTROL = "tab\tbell\x07back\x08form\x0cdel\x7fend"


def test_control_characters_ours_and_peer_agree_pyld_does_not(node_peer: NodePeer) -> None:
    document = _document(CONTROL)
    canonical = f'<{SUBJECT}> {PREDICATE} "tab\\tbell\\u0007back\\bform\\fdel\\u007Fend" .\n'
    assert canonical_nquads(document, default_loader()) == canonical
    assert node_peer.canonize(document) == canonical
    # known-wrong: pyld's own N-Quads writer leaves BEL, BS, FF and DEL raw
    pyld_nquads = jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads"}
    )
    assert pyld_nquads == f'<{SUBJECT}> {PREDICATE} "{CONTROL.replace(chr(9), chr(92) + "t")}" .\n'


def test_control_characters_in_a_credential_cross_verify(
    node_peer: NodePeer, issuer_key: KeyPair, issuer_did: str, issuer_method: str
) -> None:
    credential = micro_credential(issuer_did, 13)
    credential["credentialSubject"]["achievement"]["criteria"]["narrative"] = CONTROL
    signed = add_proof(credential, issuer_key, issuer_method, "eddsa-rdfc-2022", created=CREATED)
    assert node_peer.verify(signed) == (True, "")


def test_undefined_term_pyld_drops_it_ours_and_peer_refuse(node_peer: NodePeer) -> None:
    document = {
        "@context": {"name": "https://schema.org/name"},
        "@id": SUBJECT,
        "name": "kept",
        "undefinedTerm": "silently lost by pyld",
    }
    pyld_nquads = jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads"}
    )
    assert pyld_nquads == f'<{SUBJECT}> <https://schema.org/name> "kept" .\n'  # known-wrong
    with pytest.raises(UndefinedTerm, match="undefinedTerm"):
        canonical_nquads(document, default_loader())
    # jsonld.js in safe mode (what the eddsa-rdfc-2022 suite uses) refuses too
    with pytest.raises(PeerError, match=r'Safe mode validation error.*"undefinedTerm"'):
        node_peer.canonize(document)
