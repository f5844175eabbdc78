"""The entry points of the ELM reader: the sealed envelope opened, the claims chosen, the learner.

The specification of each claim is read by :mod:`microcred.standard.elm.specification`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred.standard import strict_json
from microcred.standard.elm.nodes import (
    ElmError,
    Node,
    as_nodes,
    first_node,
    iso_date,
    iso_datetime,
    items,
    kind,
    lang_map,
    last_segment,
    merge,
    note,
    pick,
    string,
    type_names,
)
from microcred.standard.elm.specification import specification
from microcred.standard.model import (
    IssuedCredential,
    LangMap,
    LearnerIdentification,
    MicroCredentialSpec,
)

EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
_NOT_ACHIEVEMENTS = frozenset({"LearningActivity", "LearningAssessment", "LearningEntitlement"})


# --- public API -----------------------------------------------------------------------------


def is_elm(document: object) -> bool:
    """True for an EDC credential (bare or sealed), so readers can route it here by content."""
    if not isinstance(document, Mapping):
        return False
    try:
        doc = _unwrap(document)
    except ElmError:
        return False
    return _is_edc(doc)


def read_elm(document: Mapping[str, Any]) -> list[IssuedCredential]:
    """One issued credential per LearningAchievement claim of the credential subject."""
    if not isinstance(document, Mapping):
        raise ElmError(f"expected a JSON object holding an ELM credential, found {kind(document)}")
    doc = _unwrap(document)
    if not _is_edc(doc):
        raise ElmError(
            "not an ELM / EDC credential: its type has no 'EuropeanDigitalCredential' and its "
            f"@context has no {EDC_CONTEXT}"
        )
    subject = first_node(doc.get("credentialSubject"))
    if subject is None:
        raise ElmError("credentialSubject is missing: the credential says nothing about a learner")
    raw_claims = subject.get("hasClaim")
    claims = as_nodes(raw_claims)
    if not claims:
        raise ElmError("credentialSubject.hasClaim is missing: the credential holds no claim")
    many = isinstance(raw_claims, list)
    chosen = [(i, c) for i, c in enumerate(claims) if _is_achievement(c)]
    if not chosen:
        found = ", ".join(sorted({t for c in claims for t in type_names(c)})) or "untyped claims"
        raise ElmError(f"credentialSubject.hasClaim holds no LearningAchievement (found: {found})")
    learner = _learner(subject)
    issuer = first_node(doc.get("issuer"))
    evidence = [a for e in as_nodes(doc.get("evidence")) for a in as_nodes(e.get("accreditation"))]
    result = []
    for i, claim in chosen:
        path = f"credentialSubject.hasClaim[{i}]" if many else "credentialSubject.hasClaim"
        result.append(
            IssuedCredential(
                learner=learner.model_copy(),
                issued_on=_issued_on(doc, claim, path),
                grade=_grade(claim),
                specification=specification(claim, issuer, evidence),
            )
        )
    return result


def read_elm_specs(document: Mapping[str, Any]) -> list[MicroCredentialSpec]:
    """Only the specifications, for the catalogue import that has no use for the learner."""
    return [cred.specification for cred in read_elm(document)]


# --- document level -------------------------------------------------------------------------


def _unwrap(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The credential inside a sealed JWS/JAdES JSON envelope, or the document itself."""
    if "payload" not in document or not ("signatures" in document or "signature" in document):
        return document
    payload = document["payload"]
    if isinstance(payload, Mapping):
        return payload
    if not isinstance(payload, str):
        raise ElmError(f"payload of the sealed envelope is {kind(payload)}, not JSON text")
    text = payload
    if not payload.lstrip().startswith("{"):  # b64: true, the JWS default
        try:
            text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
        except (binascii.Error, ValueError):
            raise ElmError("payload of the sealed envelope is neither JSON nor base64url") from None
    try:
        value = strict_json.loads(text)
    except strict_json.NotJsonError as exc:
        raise ElmError(f"payload of the sealed envelope is not valid JSON: {exc.message}") from None
    except (json.JSONDecodeError, RecursionError):
        raise ElmError("payload of the sealed envelope is not valid JSON") from None
    if not isinstance(value, Mapping):
        raise ElmError(f"payload of the sealed envelope is {kind(value)}, not a credential")
    return value


def _is_edc(doc: Mapping[str, Any]) -> bool:
    if "EuropeanDigitalCredential" in type_names(doc):
        return True
    for ctx in items(doc.get("@context")):
        # Development servers publish the same context under other hosts (see fixtures README).
        if isinstance(ctx, str) and (
            ctx.rstrip("/") == EDC_CONTEXT or ctx.endswith("/edc-ap-context.jsonld")
        ):
            return True
    return False


def _is_achievement(claim: Node) -> bool:
    types = type_names(claim)
    if "LearningAchievement" in types:
        return True
    return not (types & _NOT_ACHIEVEMENTS) and "specifiedBy" in claim


def _issued_on(doc: Mapping[str, Any], claim: Node, path: str) -> datetime | None:
    candidates: list[tuple[str, Any]] = [(k, doc.get(k)) for k in ("issued", "issuanceDate")]
    candidates.append(("validFrom", doc.get("validFrom")))
    for i, award in enumerate(as_nodes(claim.get("awardedBy"))):
        candidates.append((f"{path}.awardedBy[{i}].awardingDate", award.get("awardingDate")))
    for name, value in candidates:
        if value is not None:
            return iso_datetime(value, name)
    return None


def _learner(subject: Node) -> LearnerIdentification:
    identifier = scheme = None
    national = first_node(subject.get("nationalID"))
    if national is not None and string(national.get("notation")):
        identifier = string(national.get("notation"))
        country = first_node(national.get("spatial"))
        alpha3 = last_segment(string(country.get("id")) if country else None)
        scheme = f"national-id:{alpha3}" if alpha3 else "national-id"
    else:
        for ident in as_nodes(subject.get("identifier")):
            if string(ident.get("notation")):
                identifier = string(ident.get("notation"))
                scheme = string(ident.get("schemeName")) or "identifier"
                break
        subject_id = string(subject.get("id"))
        if identifier is None and subject_id and subject_id.startswith("did:"):
            identifier, scheme = subject_id, "did"
    born = subject.get("dateOfBirth")
    return LearnerIdentification(
        name=pick(lang_map(subject.get("fullName"))),
        given_name=pick(lang_map(subject.get("givenName"))),
        family_name=pick(lang_map(subject.get("familyName"))),
        identifier=identifier,
        identifier_scheme=scheme,
        date_of_birth=None if born is None else iso_date(born, "credentialSubject.dateOfBirth"),
    )


def _grade(claim: Node) -> LangMap | None:
    grades = [note(a.get("grade")) for a in as_nodes(claim.get("provenBy"))]
    grades.append(note(claim.get("grade")))
    return merge(grades, "; ") or None
