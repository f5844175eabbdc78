"""The compiled fast path gives byte-identical canonical N-Quads to the general (pyld) path.

Evidence, in order: the W3C and 1EdTech vectors (documents and proof configurations); a
realistic micro-credential; generated OBv3 credentials (every one must be handled, none may
fall back, and each must canonicalise exactly as the general path does); generated hostile
documents (whenever the fast path answers, the general path must accept the document and
give the same answer; whenever the general path refuses, the fast path must not answer);
and one test per construct the fast path deliberately leaves to the general path.

``MICROCRED_FASTPATH_EXAMPLES`` scales the generated cases (default 250 each; the figures
in the closing note were taken with 5000).
"""

from __future__ import annotations

import copy
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from microcred.credentials import did_key, jcs, rdfc
from microcred.credentials.data_integrity import add_proof, verify_proof
from microcred.credentials.errors import ContextNotAllowed, DocumentTooComplex, UndefinedTerm
from microcred.credentials.expansion import MAX_VALUES, check_shape, expand, to_dataset
from microcred.credentials.fastpath import (
    check_document,
    compiler,
    document_is_accepted,
    document_to_dataset,
)
from microcred.credentials.fastpath.to_quads import Walker
from microcred.credentials.jcs import canonical_json
from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import ContextLoader, default_loader, loader_with
from microcred.credentials.rdfc import canonical_nquads, canonicalize
from tests.core.credentials.conftest import (
    EXAMPLES_CONTEXT_URL,
    fixture_json,
    fixture_text,
)

EXAMPLES = int(os.environ.get("MICROCRED_FASTPATH_EXAMPLES", "250"))
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: OBv3 contexts that work on VC 2.0 (3.0.1 redefines a protected VC 2.0 term: both paths
#: refuse it, see the hostile documents).
OB_CONTEXTS = ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", OB]
STATUS = "https://www.w3.org/ns/credentials/status/v1"
EXT = "https://example.org/fastpath-test/v1"
X = "https://example.org/ext#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: A test-only extension context exercising what OBv3 does not: language maps, @json,
#: xsd:double, @list of mixed values, @type @vocab, a default-language term, a prefix term,
#: a type-scoped and a property-scoped context.
EXT_CONTEXT: dict[str, Any] = {
    "@context": {
        "@protected": True,
        "ext": X,
        "title": {"@id": X + "title", "@container": "@language"},
        "payload": {"@id": X + "payload", "@type": "@json"},
        "ratio": {"@id": X + "ratio", "@type": XSD + "double"},
        "steps": {"@id": X + "steps", "@container": "@list"},
        "extLevel": {"@id": X + "level", "@type": "@vocab"},
        "Beginner": X + "Beginner",
        "Advanced": X + "Advanced",
        "note": {"@id": X + "note", "@language": "en"},
        "plain": {"@id": X + "plain", "@type": "@none"},
        "extName": "https://schema.org/name",
        "Module": {
            "@id": X + "Module",
            "@context": {
                "@protected": True,
                "hours": {"@id": X + "hours", "@type": XSD + "integer"},
                "weight": X + "weight",
            },
        },
        "module": {
            "@id": X + "module",
            "@type": "@id",
            "@context": {"@protected": True, "moduleCode": X + "moduleCode"},
        },
    }
}


def _ext_loader() -> ContextLoader:
    return loader_with({EXT: EXT_CONTEXT})


EXT_LOADER = _ext_loader()
EXAMPLES_LOADER = loader_with(
    {EXAMPLES_CONTEXT_URL: fixture_json("contexts", "credentials-examples-v2.jsonld")}
)


@contextmanager
def _general_path() -> Iterator[None]:
    saved = rdfc.USE_FAST_PATH
    rdfc.USE_FAST_PATH = False
    try:
        yield
    finally:
        rdfc.USE_FAST_PATH = saved


def _general(document: Any, loader: ContextLoader) -> str:
    with _general_path():
        return canonical_nquads(document, loader)


def _fast(document: Any, loader: ContextLoader) -> str | None:
    quads = document_to_dataset(document, loader)
    return None if quads is None else canonicalize(quads)


def _assert_same(document: Any, loader: ContextLoader) -> str:
    """Both paths on one document: the fast one must answer, and answer the same."""
    general = _general(document, loader)
    quads = document_to_dataset(document, loader)
    assert quads is not None, "the fast path fell back on a document it should handle"
    assert canonicalize(quads) == general
    # same quads, not just the same text: as many as the general path's dataset
    assert len(quads) == len(to_dataset(document, loader))
    return general


def _proof_config(document: dict[str, Any], created: str = "2025-01-01T00:00:00Z") -> Any:
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": created,
        "verificationMethod": "did:key:z6Mkexample#z6Mkexample",
        "proofPurpose": "assertionMethod",
    }


# --- the vectors ------------------------------------------------------------------------------


def test_w3c_vectors() -> None:
    document = fixture_json("w3c-eddsa-vectors", "unsigned.json")
    config = fixture_json("w3c-eddsa-vectors", "eddsa-rdfc-2022", "proofConfigDataInt.json")
    expected = fixture_text("w3c-eddsa-vectors", "eddsa-rdfc-2022", "canonDocDataInt.txt")
    expected_proof = fixture_text("w3c-eddsa-vectors", "eddsa-rdfc-2022", "proofCanonDataInt.txt")
    assert _assert_same(document, EXAMPLES_LOADER) == expected
    assert _assert_same(config, EXAMPLES_LOADER) == expected_proof
    rdfc_signed = fixture_json("w3c-eddsa-vectors", "eddsa-rdfc-2022", "signedDataInt.json")
    _assert_same(rdfc_signed, EXAMPLES_LOADER)  # a proof in a @graph container
    _assert_same(
        fixture_json("w3c-eddsa-vectors", "eddsa-jcs-2022", "proofConfigJCS.json"),
        EXAMPLES_LOADER,
    )
    # the eddsa-jcs-2022 proof carries its own @context (URLs): a nested context, handled
    jcs_signed = fixture_json("w3c-eddsa-vectors", "eddsa-jcs-2022", "signedJCS.json")
    assert "@context" in jcs_signed["proof"]
    _assert_same(jcs_signed, EXAMPLES_LOADER)


def test_obv3_vector() -> None:
    signed = fixture_json("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
    _assert_same(signed, default_loader())
    proof = signed.pop("proof")
    assert _assert_same(signed, default_loader()) == fixture_text(
        "obv3", "test-vectors", "document-canon.txt"
    )
    del proof["proofValue"]
    proof["@context"] = signed["@context"]
    assert _assert_same(proof, default_loader()) == fixture_text(
        "obv3", "test-vectors", "proof-canon.txt"
    )


def test_signing_and_verifying_agree_across_paths(w3c_key: KeyPair) -> None:
    """Same proofValue from both paths (Ed25519 is deterministic); each verifies the other's."""
    document = fixture_json("w3c-eddsa-vectors", "unsigned.json")
    method = did_key.verification_method_id(w3c_key.public)
    created = "2023-02-24T23:36:38Z"
    fast = add_proof(document, w3c_key, method, created=created, loader=EXAMPLES_LOADER)
    with _general_path():
        general = add_proof(document, w3c_key, method, created=created, loader=EXAMPLES_LOADER)
        assert verify_proof(fast, did_key.resolve_verification_key, EXAMPLES_LOADER).verified
    assert fast == general
    assert verify_proof(general, did_key.resolve_verification_key, EXAMPLES_LOADER).verified


# --- generated OBv3 credentials: all handled, all identical -------------------------------------

_text = st.text(max_size=24)  # control characters, quotes, backslashes, astral planes
_short = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10)
_iri = st.one_of(
    _short.map(lambda s: f"https://example.edu/{s}"),
    st.uuids().map(lambda u: f"urn:uuid:{u}"),
    _short.map(lambda s: f"did:web:example.edu:issuers:{s}"),
    st.just("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
    st.just("http://data.europa.eu/snb/eqf/6"),
    _short.map(lambda s: f"https://example.edu/a/../b/{s}?q=1#frag"),
)
_number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -0.0, 1e-7, 2.5, 0.1, 5.0, 1e20, 1e21, 1e22, 1e300, 2**53 + 1, 10**21]),
)
_scalar = st.one_of(_text, _number, st.booleans())
_datetime = st.one_of(
    st.datetimes(timezones=st.just(None)).map(lambda m: m.strftime("%Y-%m-%dT%H:%M:%SZ")),
    _text,  # typed literals are not validated by either path
)
_date = st.dates().map(lambda d: d.isoformat())


def _optional(draw: st.DrawFn, node: dict[str, Any], key: str, strategy: Any) -> None:
    if draw(st.booleans()):
        node[key] = draw(strategy)


def _types(name: str) -> Any:
    return st.sampled_from([[name], name])


def _many(strategy: Any) -> Any:
    """0, 1 or many values, as an array or (one value) bare."""
    return st.one_of(st.lists(strategy, max_size=4), strategy)


@st.composite
def _image(draw: st.DrawFn) -> Any:
    if draw(st.booleans()):
        return draw(_iri)
    image: dict[str, Any] = {"id": draw(_iri), "type": "Image"}
    _optional(draw, image, "caption", _text)
    return image


@st.composite
def _profile(draw: st.DrawFn, depth: int = 0) -> Any:
    profile: dict[str, Any] = {"id": draw(_iri), "type": draw(_types("Profile"))}
    for key in ("name", "email", "phone", "description", "familyName", "givenName"):
        _optional(draw, profile, key, _text)
    _optional(draw, profile, "url", _iri)
    _optional(draw, profile, "official", _text)
    _optional(draw, profile, "image", _image())
    if draw(st.booleans()):
        address: dict[str, Any] = {"type": draw(_types("Address"))}
        for key in ("addressCountry", "addressCountryCode", "addressLocality", "postalCode"):
            _optional(draw, address, key, _text)
        if draw(st.booleans()):
            address["geo"] = {
                "type": "GeoCoordinates",
                "latitude": draw(_number),
                "longitude": draw(_number),
            }
        profile["address"] = address
    _optional(
        draw,
        profile,
        "otherIdentifier",
        _many(
            st.fixed_dictionaries(
                {
                    "type": st.just("IdentifierEntry"),
                    "identifier": _text,
                    "identifierType": st.sampled_from(["registrationNumber", "ext:vat"]),
                }
            )
        ),
    )
    if depth < 1 and draw(st.booleans()):
        profile["parentOrg"] = draw(_profile(depth + 1))
    return profile


@st.composite
def _alignment(draw: st.DrawFn) -> Any:
    alignment: dict[str, Any] = {
        "type": draw(_types("Alignment")),
        "targetName": draw(_text),
        "targetUrl": draw(_iri),
    }
    for key in ("targetCode", "targetFramework", "targetType", "targetDescription"):
        _optional(draw, alignment, key, _text)
    return alignment


@st.composite
def _result_description(draw: st.DrawFn) -> Any:
    description: dict[str, Any] = {
        "id": draw(_iri),
        "type": draw(_types("ResultDescription")),
        "name": draw(_text),
        "resultType": draw(st.sampled_from(["GradePointAverage", "ext:Grade", "LetterGrade"])),
    }
    _optional(draw, description, "allowedValue", _many(_scalar))  # an @list
    _optional(draw, description, "requiredLevel", _iri)
    for key in ("requiredValue", "valueMin", "valueMax"):
        _optional(draw, description, key, _scalar)
    if draw(st.booleans()):
        level = {"id": draw(_iri), "type": ["RubricCriterionLevel"], "name": draw(_text)}
        _optional(draw, level, "level", _text)
        _optional(draw, level, "points", _scalar)
        description["rubricCriterionLevel"] = [level]
    return description


@st.composite
def _achievement(draw: st.DrawFn, ext: bool, ob_context: str) -> Any:
    achievement: dict[str, Any] = {
        "id": draw(_iri),
        "type": draw(_types("Achievement")),
        "name": draw(_text),
        "criteria": draw(
            st.one_of(
                st.fixed_dictionaries({"narrative": _text}),
                st.fixed_dictionaries({"id": _iri, "narrative": _text}),
                st.fixed_dictionaries({"id": _iri}),
            )
        ),
    }
    for key in ("description", "achievementType", "fieldOfStudy", "humanCode", "version"):
        _optional(draw, achievement, key, _text)
    if ob_context == OB:  # 3.0.2 lacks inLanguage
        _optional(draw, achievement, "inLanguage", st.sampled_from(["en", "nl", "de-AT"]))
    _optional(draw, achievement, "creditsAvailable", _number)
    _optional(draw, achievement, "tag", _many(_text))
    _optional(draw, achievement, "alignment", _many(_alignment()))
    _optional(draw, achievement, "resultDescription", _many(_result_description()))
    _optional(draw, achievement, "image", _image())
    _optional(draw, achievement, "creator", _profile())
    _optional(
        draw,
        achievement,
        "related",
        st.lists(
            st.fixed_dictionaries({"id": _iri, "type": st.just(["Related"]), "version": _text}),
            max_size=2,
        ),
    )
    if ext:
        languages = st.sampled_from(["en", "de", "fr-BE", "EN-GB", "@none"])
        _optional(draw, achievement, "title", st.dictionaries(languages, _many(_text), max_size=3))
        _optional(
            draw,
            achievement,
            "payload",
            st.recursive(
                st.none() | _scalar,
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                ),
                max_leaves=8,
            ),
        )
        _optional(draw, achievement, "ratio", st.one_of(_number, st.booleans()))
        _optional(draw, achievement, "steps", _many(st.one_of(_scalar, _alignment())))
        _optional(draw, achievement, "extLevel", st.sampled_from(["Beginner", "Advanced"]))
        _optional(draw, achievement, "note", _text)
        _optional(draw, achievement, "plain", _text)
        if draw(st.booleans()):
            module: dict[str, Any] = {"type": "Module", "hours": draw(_number)}
            _optional(draw, module, "id", _iri)
            _optional(draw, module, "weight", _scalar)
            _optional(draw, module, "moduleCode", _text)
            achievement["module"] = module
    return achievement


@st.composite
def _status(draw: st.DrawFn) -> Any:
    status: dict[str, Any] = {
        "id": draw(_iri),
        "type": "BitstringStatusListEntry",
        "statusPurpose": draw(st.sampled_from(["revocation", "suspension", "message"])),
        "statusListIndex": str(draw(st.integers(0, 131071))),
        "statusListCredential": draw(_iri),
    }
    _optional(draw, status, "statusSize", st.integers(1, 8))
    _optional(
        draw,
        status,
        "statusMessage",
        st.lists(st.fixed_dictionaries({"status": st.just("0x0"), "message": _text}), max_size=2),
    )
    return status


@st.composite
def _endorsement(draw: st.DrawFn) -> Any:
    """An embedded EndorsementCredential with its own proof: a @graph container."""
    endorsement: dict[str, Any] = {
        "id": draw(_iri),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": draw(_profile()),
        "validFrom": draw(_datetime),
        "name": draw(_text),
        "credentialSubject": {
            "id": draw(_iri),
            "type": ["EndorsementSubject"],
            "endorsementComment": draw(_text),
        },
    }
    if draw(st.booleans()):
        endorsement["proof"] = {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": draw(_datetime),
            "verificationMethod": draw(_iri),
            "proofPurpose": "assertionMethod",
            "proofValue": "z" + draw(_short),
        }
    return endorsement


@st.composite
def obv3_credentials(draw: st.DrawFn) -> tuple[dict[str, Any], ContextLoader]:
    """A random OpenBadgeCredential of the shapes microcred issues (and then some)."""
    ext = draw(st.booleans())
    ob_context = draw(st.sampled_from(OB_CONTEXTS))
    context = [V2, ob_context]
    if ext:
        context.append(EXT)
    subject: dict[str, Any] = {
        "type": draw(_types("AchievementSubject")),
        "achievement": draw(_achievement(ext, ob_context)),
    }
    _optional(draw, subject, "id", _iri)
    _optional(
        draw,
        subject,
        "identifier",
        _many(
            st.fixed_dictionaries(
                {
                    "type": st.just("IdentityObject"),
                    "identityHash": _text,
                    "identityType": st.sampled_from(["emailAddress", "ext:eduPersonId"]),
                    "hashed": st.booleans(),
                    "salt": _text,
                }
            )
        ),
    )
    _optional(draw, subject, "activityStartDate", _date)
    _optional(draw, subject, "activityEndDate", _date)
    _optional(draw, subject, "creditsEarned", _number)
    for key in ("licenseNumber", "role", "term"):
        _optional(draw, subject, key, _text)
    _optional(draw, subject, "image", _image())
    _optional(draw, subject, "source", _profile())
    _optional(
        draw,
        subject,
        "result",
        _many(
            st.fixed_dictionaries(
                {"type": st.just(["Result"]), "value": _scalar},
                optional={"resultDescription": _iri, "achievedLevel": _iri, "status": _text},
            )
        ),
    )
    credential: dict[str, Any] = {
        "@context": context,
        "id": draw(_iri),
        "type": draw(
            st.sampled_from(
                [
                    ["VerifiableCredential", "OpenBadgeCredential"],
                    ["VerifiableCredential", "AchievementCredential"],
                    ["OpenBadgeCredential", "VerifiableCredential", "OpenBadgeCredential"],
                ]
            )
        ),
        "issuer": draw(st.one_of(_profile(), _iri)),
        "validFrom": draw(_datetime),
        "credentialSubject": subject,
    }
    for key in ("name", "description"):
        _optional(draw, credential, key, _text)
    _optional(draw, credential, "validUntil", _datetime)
    if ob_context == OB:  # 3.0.2 lacks awardedDate
        _optional(draw, credential, "awardedDate", _datetime)
    _optional(draw, credential, "image", _image())
    _optional(draw, credential, "credentialStatus", _many(_status()))
    _optional(
        draw,
        credential,
        "credentialSchema",
        st.lists(st.fixed_dictionaries({"id": _iri, "type": st.just("JsonSchema")}), max_size=2),
    )
    _optional(
        draw,
        credential,
        "evidence",
        _many(
            st.fixed_dictionaries(
                {"type": st.just(["Evidence"])},
                optional={
                    "id": _iri,
                    "name": _text,
                    "narrative": _text,
                    "genre": _text,
                    "audience": _text,
                    "description": _text,
                },
            )
        ),
    )
    _optional(draw, credential, "endorsement", st.lists(_endorsement(), max_size=2))
    return credential, EXT_LOADER if ext else default_loader()


def _writes_a_quad_twice(document: Any, loader: ContextLoader) -> bool:
    """Whether the general path's dataset holds one quad twice (see the closing note)."""
    quads = to_dataset(document, loader)
    return len(set(quads)) < len(quads)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=_SLOW_OK)
@given(obv3_credentials(), _datetime)
def test_generated_credentials_are_handled_and_identical(
    case: tuple[dict[str, Any], ContextLoader], created: str
) -> None:
    document, loader = case
    event(f"context {document['@context'][1].rsplit('/', 1)[1]}, ext {EXT in document['@context']}")
    if document_to_dataset(document, loader) is None and _writes_a_quad_twice(document, loader):
        # Two distinct nodes with one id, e.g. each with "allowedValue": [] (rdf:nil): pyld
        # writes the quad twice, RDF has it once; the fast path declines rather than choose.
        # Only generated ids collide like this; microcred's own nodes have distinct ids.
        event("fell back: the general path writes a quad twice")
        assert canonical_nquads(document, loader) == _general(document, loader)
    else:
        _assert_same(document, loader)
    _assert_same(_proof_config(document, created), loader)
    # every generated credential is valid JSON-LD: the check-only walk decides it alone
    assert document_is_accepted(document, loader)


# --- generated hostile documents: the fast path answers only when the general path agrees -----

_GOOD_KEYS = [
    "id",
    "type",
    "name",
    "description",
    "issuer",
    "validFrom",
    "credentialSubject",
    "achievement",
    "criteria",
    "narrative",
    "alignment",
    "targetName",
    "tag",
    "creditsAvailable",
    "allowedValue",
    "title",
    "payload",
    "ratio",
    "steps",
    "extLevel",
    "note",
    "plain",
    "module",
    "hours",
    "moduleCode",
    "proof",
    "hashed",
    "statusSize",
    "alumniOf",
    "url",
]
_BAD_KEYS = [
    *[
        "@id",
        "@type",
        "@value",
        "@list",
        "@set",
        "@graph",
        "@nest",
        "@reverse",
        "@index",
        "@language",
        "@context",
        "@foo",
        "@",
    ],
    *["undefinedTerm", "https://example.org/p", "ext:thing", "_:b0", "ext:", "urn:x"],
    "",
]
_TYPES = [
    *[
        "VerifiableCredential",
        "OpenBadgeCredential",
        "Achievement",
        "AchievementSubject",
        "Profile",
        "Alignment",
        "ResultDescription",
        "DataIntegrityProof",
        "Module",
        "Image",
        "BitstringStatusListEntry",
        "IdentityObject",
        "Mystery",
        "https://example.org/T",
        "ext:T",
        "_:t",
        "@id",
        "AlumniCredential",
    ],
    "",
]
_IRIS = [
    "https://example.edu/a",
    "urn:uuid:1",
    "did:key:z6Mk",
    "relative/path",
    "",
    "ext:foo",
    "ext://host/x",
    "_:b1",
    "https://a b",
    "https://x\u00a0y",
    "https://x\u2028y",
    "http://example.org/<x>",
    "https://relative-iri.invalid/x",
    "did:web:ex.com",
    "#frag",
    "Beginner",
    "assertionMethod",
    "https://example.edu/\x7f",
    "a,b:c",
    "https://ok/\n",
]
_CONTEXTS: list[Any] = [
    [V2, OB],
    [V2, OB, EXT],
    [V2, EXAMPLES_CONTEXT_URL],
    [V2, OB, STATUS],
    [V2, "https://purl.imsglobal.org/spec/ob/v3p0/context.json"],
    [V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"],
    [V2, OB, "https://w3id.org/security/data-integrity/v2"],
    [V2, OB, "https://evil.example/ctx"],
    [V2, {"x": "https://example.org/x"}],
    V2,
    [],
    {"@vocab": "https://example.org/vocab#"},
    "https://www.w3.org/2018/credentials/v1",
]
_key = st.one_of(
    st.sampled_from(_GOOD_KEYS), st.sampled_from(_GOOD_KEYS), st.sampled_from(_BAD_KEYS)
)
_hostile_scalar = st.one_of(
    st.none(),
    st.booleans(),
    _number,
    st.floats(),  # NaN and infinities too
    _text,
    st.sampled_from(_IRIS),
    st.sampled_from(_TYPES),
    st.sampled_from(["en", "EN-gb", "x y", "", "@none"]),
)


def _hostile_node(inner: Any) -> Any:
    return st.dictionaries(_key, inner, max_size=5).flatmap(
        lambda node: st.fixed_dictionaries(
            {},
            optional={
                "type": st.one_of(
                    st.sampled_from(_TYPES), st.lists(st.sampled_from(_TYPES), max_size=3), inner
                ),
                "id": st.one_of(st.sampled_from(_IRIS), _iri, inner),
            },
        ).map(lambda extra: {**node, **extra})
    )


_hostile_value = st.recursive(
    _hostile_scalar,
    lambda inner: st.lists(inner, max_size=3) | _hostile_node(inner),
    max_leaves=12,
)


@st.composite
def hostile_documents(draw: st.DrawFn) -> tuple[Any, ContextLoader]:
    document = draw(_hostile_node(_hostile_value))
    document["@context"] = copy.deepcopy(draw(st.sampled_from(_CONTEXTS)))
    loader = draw(st.sampled_from([EXT_LOADER, EXAMPLES_LOADER, default_loader()]))
    return document, loader


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=_SLOW_OK)
@given(hostile_documents())
def test_hostile_documents_never_disagree(case: tuple[Any, ContextLoader]) -> None:
    _never_disagree(*case)


def _never_disagree(document: Any, loader: ContextLoader) -> None:
    try:
        general: str | None = _general(document, loader)
    except Exception:  # any refusal, even pyld's own crashes: the fast path must not answer
        general = None
    try:
        fast = _fast(document, loader)
    except Exception as error:
        # the only error the fast path raises itself is check_shape's, as the general path
        assert general is None
        event(f"fast raised {type(error).__name__}")
        return
    if fast is not None:
        event("handled (general path agrees)")
    else:
        event(f"fell back, general path {'accepts' if general is not None else 'refuses'}")
    if fast is not None:
        assert general is not None, "the fast path accepted a document the general path refuses"
        assert fast == general
    _policy_never_disagrees(document, loader, handled=fast is not None)


class _QuadWalkVerdict(Walker):
    """The reference for the checker: the quad walk with the two quad-writing refusals off
    (merging values and writing a quad twice are about output, not about expansion)."""

    def emit(self, *args: Any) -> None:
        return None

    def rdf_list(self, *args: Any) -> Any:
        return None


def _walk_accepts(document: Any, loader: ContextLoader) -> bool:
    key = compiler.context_key(document.get("@context")) if isinstance(document, dict) else None
    context_set = compiler.compiled(loader, key) if key is not None else None
    if context_set is None:
        return False
    try:
        check_shape(document)  # the checker keeps the same limits as it walks
        _QuadWalkVerdict().document(context_set.root, dict(document))
    except Exception:
        return False
    return True


def _policy_never_disagrees(document: Any, loader: ContextLoader, handled: bool) -> None:
    """The check-only walk (eddsa-jcs-2022's JSON-LD policy) accepts only what pyld expands,
    and decides exactly as the quad walk would."""
    try:
        verdict = check_document(document, loader)
    except Exception:
        verdict = None  # check_shape's refusal, as for the quads
        event("checker: check_shape refused")
    accepted = verdict is not None
    assert accepted == _walk_accepts(document, loader), "checker and quad walk disagree"
    if verdict is not None:
        # eddsa-jcs-2022 skips its own plainness walk on the checker's word
        event(f"checker: plain JSON {verdict.plain_json}")
        if verdict.plain_json:
            assert jcs._plain(document), "the checker called a document plain JSON"
            assert canonical_json(document, known_plain=True) == rfc8785.dumps(document)
    if handled:
        assert accepted, "the checker refused a document the fast path handles"
    if accepted:
        expand(document, loader)  # must not raise


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _nodes(child)


@st.composite
def mutated_credentials(draw: st.DrawFn) -> tuple[dict[str, Any], ContextLoader]:
    """A valid generated credential with one to three members of its nodes replaced."""
    document, loader = draw(obv3_credentials())
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        nodes = list(_nodes(document))
        node = draw(st.sampled_from(nodes))
        key = draw(st.one_of(st.sampled_from(sorted(node)), _key) if node else _key)
        if key == "@context" and node is document:
            continue
        node[key] = draw(_hostile_value)
    return document, loader


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=_SLOW_OK)
@given(mutated_credentials())
def test_mutated_credentials_never_disagree(case: tuple[Any, ContextLoader]) -> None:
    _never_disagree(*case)


# --- constructs left to the general path --------------------------------------------------------


def _credential(**extra: Any) -> dict[str, Any]:
    return {
        "@context": [V2, OB],
        "id": "urn:uuid:0b6d0a2e-3c1b-4d43-8f2e-2f0c1c1f3a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuers/1", "type": "Profile", "name": "X"},
        "credentialSubject": {
            "type": "AchievementSubject",
            "achievement": {
                "id": "https://example.edu/a/1",
                "type": "Achievement",
                "name": "A",
                "criteria": {"narrative": "N"},
            },
        },
        **extra,
    }


def _ext(**extra: Any) -> dict[str, Any]:
    document = _credential()
    document["@context"] = [V2, OB, EXT]
    document["credentialSubject"]["achievement"].update(extra)
    return document


def _two_json_literals() -> dict[str, Any]:
    """One node twice, with {"a": 1} and {"a": true}: pyld's Python == merges the two."""
    document = _ext()
    first = document["credentialSubject"]["achievement"]
    second = {**first, "payload": {"a": True}}
    document["credentialSubject"]["achievement"] = [{**first, "payload": {"a": 1}}, second]
    return document


UNSUPPORTED: dict[str, tuple[dict[str, Any], ContextLoader]] = {
    "inline context": (
        {**_credential(), "@context": [V2, OB, {"x": "https://example.org/x"}]},
        default_loader(),
    ),
    "nested context": (
        _credential(evidence={"@context": {}, "type": "Evidence"}),
        default_loader(),
    ),
    "value object": (_credential(name={"@value": "x", "@language": "en"}), default_loader()),
    "blank node id": (_credential(issuer={"id": "_:b0", "type": "Profile"}), default_loader()),
    "relative id": (_credential(id="credential-1"), default_loader()),
    "undefined property": (_credential(favouriteColour="blue"), default_loader()),
    "undefined type": (
        _credential(type=["VerifiableCredential", "MysteryCredential"]),
        default_loader(),
    ),
    "unknown context": (
        {**_credential(), "@context": [V2, OB, "https://evil.example/ctx"]},
        default_loader(),
    ),
    "@graph at the top": ({"@context": [V2, OB], "@graph": [_credential()]}, default_loader()),
    "@included": (_credential(**{"@included": [{"id": "urn:x:1"}]}), default_loader()),
    "IRI with a space": (_credential(id="urn:a b"), default_loader()),
    "IRI with unicode whitespace": (_credential(id="urn:a\u00a0b"), default_loader()),
    "invalid language tag": (_ext(title={"not a tag": "x"}), EXT_LOADER),
    "two JSON literals merged by pyld": (_two_json_literals(), EXT_LOADER),
    "string typed xsd:double": (_ext(ratio="1"), EXT_LOADER),
    "list of lists": (_ext(steps=[["a"], ["b"]]), EXT_LOADER),
    "NaN": (_credential(name=float("nan")), default_loader()),
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_constructs_fall_back(name: str) -> None:
    document, loader = UNSUPPORTED[name]
    assert document_to_dataset(document, loader) is None
    # and canonical_nquads still gives the general path's answer (or its error)
    try:
        general: str | Exception = _general(document, loader)
    except Exception as error:
        general = error
    try:
        routed: str | Exception = canonical_nquads(document, loader)
    except Exception as error:
        routed = error
    if isinstance(general, Exception):
        assert type(routed) is type(general) and str(routed) == str(general)
    else:
        assert routed == general


def test_errors_come_from_the_general_path() -> None:
    with pytest.raises(UndefinedTerm) as caught:
        canonical_nquads(_credential(favouriteColour="blue"), default_loader())
    assert caught.value.term == "favouriteColour"
    with pytest.raises(ContextNotAllowed):
        canonical_nquads(UNSUPPORTED["unknown context"][0], default_loader())


def test_duplicate_values_merge_as_in_the_general_path() -> None:
    """pyld merges 1 and 1.0, keeps 1 and True apart, and merges nodes by id."""
    achievement = _credential()["credentialSubject"]["achievement"]
    document = _credential(
        name=["x", "x", 1, 1.0, True, "1"],
        issuer=[
            {"id": "https://example.edu/issuers/1", "type": "Profile", "name": "X"},
            {"id": "https://example.edu/issuers/1", "type": ["Profile"], "name": ["X", "Y"]},
            "https://example.edu/issuers/1",
        ],
    )
    document["credentialSubject"]["achievement"] = [achievement, achievement]
    _assert_same(document, default_loader())


def test_values_merge_per_property_iri_not_per_key() -> None:
    """A term and the absolute IRI it stands for are one property to pyld's node map."""
    document = _credential(**{"name": ["X", "Y"], "https://schema.org/name": ["Y", "Z"]})
    canonical = _assert_same(document, default_loader())
    assert canonical.count('<https://schema.org/name> "Y"') == 1


def test_type_and_explicit_rdf_type_fall_back() -> None:
    """``type: Profile`` and an rdf:type property to the same IRI: pyld writes that quad twice."""
    profile = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile"
    document = _credential()
    document["issuer"]["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"] = {"id": profile}
    assert document_to_dataset(document, default_loader()) is None
    assert canonical_nquads(document, default_loader()) == _general(document, default_loader())


def test_quads_pyld_would_write_twice_fall_back() -> None:
    """Two values pyld keeps apart but that give one quad: the general path writes it twice."""
    document = _credential(name=["1"])
    document["credentialSubject"]["achievement"]["creditsAvailable"] = [1, "1"]
    assert document_to_dataset(document, default_loader()) is None
    assert canonical_nquads(document, default_loader()) == _general(document, default_loader())


def test_switch_forces_the_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: Any) -> None:
        raise AssertionError("fast path used")

    monkeypatch.setattr(rdfc, "document_to_dataset", fail)
    with _general_path():
        canonical_nquads(_credential(), default_loader())
    with pytest.raises(AssertionError, match="fast path used"):
        canonical_nquads(_credential(), default_loader())


def test_state_bound_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    compiler.clear_cache()
    monkeypatch.setattr(compiler, "MAX_STATES", 3)
    try:
        assert document_to_dataset(_credential(), default_loader()) is None
        assert canonical_nquads(_credential(), default_loader()) == _general(
            _credential(), default_loader()
        )
    finally:
        compiler.clear_cache()


def test_compiled_context_sets_are_per_loader_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler, "MAX_CONTEXT_SETS", 3)
    compiler.clear_cache()
    loader = default_loader()
    first = compiler.compiled(loader, (V2, OB))
    assert first is not None and compiler.compiled(loader, (V2, OB)) is first
    assert compiler.compiled(EXT_LOADER, (V2, OB)) is not first
    for index in range(compiler.MAX_CONTEXT_SETS + 1):
        compiler.compiled(loader, (V2, OB) * (index + 2))
    assert compiler.compiled(loader, (V2, OB)) is not first  # evicted, compiled afresh
    assert compiler.compiled(loader, (V2, "https://evil.example/ctx")) is None


def test_compiled_context_sets_die_with_their_loader() -> None:
    loader = _ext_loader()
    assert document_to_dataset(_ext(), loader) is not None
    assert loader in compiler._by_loader
    count = len(compiler._by_loader)
    del loader
    gc.collect()
    assert len(compiler._by_loader) == count - 1


def test_compact_iris_expand_as_in_the_general_path() -> None:
    """``ext:`` is a prefix term: ids, types and @vocab values under it expand through pyld."""
    document = _ext(
        module={"id": "ext:m1", "type": ["Module", "ext:Extra"], "hours": 3},
        extLevel="ext:Expert",
        steps=["ext:x", {"id": "ext://not-a-prefix"}],
    )
    canonical = _assert_same(document, EXT_LOADER)
    assert f"<{X}m1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{X}Extra>" in canonical
    assert "<ext://not-a-prefix>" in canonical


def test_does_not_mutate_the_document() -> None:
    document = _ext(title={"en": "x"}, payload={"b": [1, 2.5]}, steps=[1, "a"])
    before = copy.deepcopy(document)
    _assert_same(document, EXT_LOADER)
    assert document == before


def _nested_list(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def _nested_json(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def _accepted_exactly_within_limits(document: dict[str, Any]) -> None:
    """The checker accepts ``document`` exactly when check_shape lets it through, and pyld
    then expands it."""
    try:
        check_shape(document)
        within = True
    except DocumentTooComplex:
        within = False
    assert document_is_accepted(document, EXT_LOADER) == within
    if within:
        expand(document, EXT_LOADER)


@pytest.mark.parametrize("extra_levels", range(40, 50))
@pytest.mark.parametrize("where", ["tag", "payload"])
def test_checker_keeps_the_general_path_depth_limit(where: str, extra_levels: int) -> None:
    """The checker skips check_shape and counts levels itself: around the limit it must
    accept exactly what check_shape lets through (and pyld then expands)."""
    value = _nested_list(extra_levels) if where == "tag" else _nested_json(extra_levels)
    document = _ext(**{where: value})
    _accepted_exactly_within_limits(document)


@pytest.mark.parametrize("spare", [-1, 0, 1])
@pytest.mark.parametrize("where", ["tag", "payload"])
def test_checker_keeps_the_general_path_value_limit(where: str, spare: int) -> None:
    document = _ext(**{where: []})
    size = check_shape(document)  # the values besides the list's items
    items = MAX_VALUES - size + spare
    document["credentialSubject"]["achievement"][where] = ["x" if where == "tag" else 1] * items
    within = spare <= 0
    assert (check_shape(document) <= MAX_VALUES) == within if within else True
    assert document_is_accepted(document, EXT_LOADER) == within


def _nested_modules(count: int, types_as_list: bool) -> Any:
    kind = ["Module"] if types_as_list else "Module"
    module: Any = {"id": "https://example.edu/m/0", "type": kind}
    for index in range(1, count):
        module = {
            "id": f"https://example.edu/m/{index}",
            "type": ["Module"] if types_as_list else "Module",
            "module": module,
        }
    return module


@pytest.mark.parametrize("types_as_list", [True, False])
@pytest.mark.parametrize("count", range(42, 48))
def test_checker_depth_limit_through_node_objects(count: int, types_as_list: bool) -> None:
    """Node objects nested to the limit, their deepest ``type`` array one level further."""
    document = _ext(module=_nested_modules(count, types_as_list))
    _accepted_exactly_within_limits(document)
