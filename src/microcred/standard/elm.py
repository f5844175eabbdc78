"""Reading micro-credentials out of European Learning Model v3 / EDC credentials.

Europass Digital Credentials (EDC) are the EU's own carrier for Annex I, so a learner or provider
holding one should be able to bring it into microcred without retyping it. This module reads the
compact JSON-LD *as published* (context ``http://data.europa.eu/snb/model/context/edc-ap``): no
JSON-LD processing, no network, because an EDC credential always uses the same compact terms and
a verifier must give the same answer offline. It also opens the sealed (JAdES, ``b64: false``)
envelope ``{"payload": "...", "signatures": [...]}`` that EDC produces; the seal itself is not
checked here (that belongs to verification).

ELM gives a single object where a list is allowed, plain strings where objects are expected, and
leaves out almost anything; every read below accepts all of these, so a missing part gives an
absent element (reported later by validation), never a crash. Only structural faults raise
:class:`ElmError`: not an EDC credential, no ``credentialSubject``, no ``hasClaim``, no
LearningAchievement, a date that is not ISO 8601.

Mapping (``claim`` is each ``credentialSubject.hasClaim`` of type LearningAchievement, ``spec``
its ``specifiedBy`` — a Qualification or LearningAchievementSpecification)::

    spec.identifier.notation | spec.id          -> id
    spec.title | claim.title                     -> title
    spec.description | claim.description         -> description
    awardingBody.location.address.countryCode    -> issuer_countries (alpha-2 via the vocab's
                                                    alpha3 URIs; issuer's when bodies give none)
    awardingBody.location.spatialCode            -> issuer_regions (the ATU URI, a code)
    claim.awardedBy.awardingBody                 -> awarding_bodies (legalName, id,
                                                    location country | registration.spatial,
                                                    homepage.contentURL)
    spec.learningOutcome                         -> learning_outcomes (title; first
                                                    relatedESCOSkill -> esco_skill; further
                                                    ESCO + relatedSkill -> related_skills)
    spec.creditPoint (ECTS framework).point      -> workload.ects
    spec.volumeOfLearning (ISO 8601)             -> workload.hours
    spec.eqfLevel / nqfLevel                     -> level.eqf / level.national(+_uri)
    nqfLevel | educationLevel in QF-EHEA vocab   -> level.qf_ehea
    claim.provenBy[.specifiedBy] (+ spec.provenBy)
        dcType                                   -> assessment.types
        title / description                      -> assessment.title / .description
        idVerification                           -> supervision
        gradingScheme title: description         -> grade_scheme
        grade.noteLiteral                        -> IssuedCredential.grade
    spec.mode (else influencedBy activity mode)  -> participation.mode
    Accreditation (evidence, spec, awarding body)-> quality_assurance
    spec.entryRequirement                        -> prerequisites
    spec.isPartialQualification / isPartOf       -> stackability (standalone / stackable)
    spec.additionalNote, supplementaryDocument   -> further_information
    spec.thematicArea (+ ISCED-F educationSubject)-> fields_of_study
    spec.language                                -> languages (ISO 639-1)
    spec.maximumDuration                         -> duration
    spec.learningSetting label "x learning"      -> learning_setting "x"
    spec.homepage (first)                        -> url
    credentialSubject fullName/givenName/familyName ('en' or first), nationalID.notation
        (scheme "national-id:<ALPHA3>"), dateOfBirth -> learner
    issued | issuanceDate | validFrom | awardedBy.awardingDate -> issued_on

Choices where ELM and the model do not meet, so that nothing the credential says is lost:

- An assessment ``dcType`` the assessment-types vocabulary cannot map keeps its label in
  ``assessment.title`` (joined with "; " after the assessment's own title).
- Anything else the vocabularies cannot map (participation mode, supervision, EQF level, field,
  language, country, non-ECTS credit points, a ``volumeOfLearning`` in years or months, further
  national levels, the learning-outcome summary next to an outcome list, extra homepages) goes
  into ``further_information`` as a line "Element: label", one line per item.
- ELM has one "Supervised with ID Verification" concept for two Annex I levels; the assessment's
  own mode (online / onsite) picks between them, else the vocabulary's first (online).
- Several participation modes: online + onsite, or any blended, give ``blended``.
- Accreditation type: the qa-types vocabulary by label; else ``external-programme`` when it names
  a qualification (``limitQualification``) or sits on the Qualification, ``external-institutional``
  when it sits on an organisation; else no type (validation reports it). Its type label, title,
  description and decision are kept in ``description``. The official sample has no Accreditation.
- Country and region of the issuer come from the awarding bodies, and from ``issuer`` only when
  they give none: in EDC ``issuer`` is the organisation that seals the credential, and sealing
  rewrites it (the signed official sample gains the seal's Spanish address), whereas Annex I
  means the provider, which ELM names as awarding body. Signed and unsigned thus read the same.
- Dates of birth are taken as written (``1999-10-01T22:00:00Z`` gives 1999-10-01) rather than
  guessing the time zone the issuer meant.
- Text without a language tag is kept under ``und`` (BCP 47 "undetermined").

Left out: display parameters and images, contact points, the learner's e-mail and other personal
data beyond Annex I, sub-achievements (``hasPart``), entitlements, activity dates, evidence other
than accreditations, credential profiles, ids of outcomes, educationLevel labels outside QF-EHEA.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from microcred.standard.model import (
    Assessment,
    AwardingBody,
    IssuedCredential,
    LangMap,
    LearnerIdentification,
    LearningOutcome,
    Level,
    MicroCredentialSpec,
    Participation,
    QualityAssurance,
    Stackability,
    Workload,
)
from microcred.standard.vocab import vocabulary

__all__ = ["EDC_CONTEXT", "ElmError", "is_elm", "read_elm", "read_elm_specs"]

EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
#: The Europass "education-credit" concept for ECTS.
ECTS_FRAMEWORK = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
_UNDETERMINED = "und"
_NOT_ACHIEVEMENTS = frozenset({"LearningActivity", "LearningAssessment", "LearningEntitlement"})
_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(?P<h>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<m>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$"
)
_HOURS = {"W": 168.0, "D": 24.0, "h": 1.0, "m": 1 / 60, "s": 1 / 3600}

Node = Mapping[str, Any]


class ElmError(ValueError):
    """The document is not an ELM credential we can read; the message names the element."""


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
        raise ElmError(f"expected a JSON object holding an ELM credential, found {_kind(document)}")
    doc = _unwrap(document)
    if not _is_edc(doc):
        raise ElmError(
            "not an ELM / EDC credential: its type has no 'EuropeanDigitalCredential' and its "
            f"@context has no {EDC_CONTEXT}"
        )
    subject = _node(doc.get("credentialSubject"))
    if subject is None:
        raise ElmError("credentialSubject is missing: the credential says nothing about a learner")
    raw_claims = subject.get("hasClaim")
    claims = _nodes(raw_claims)
    if not claims:
        raise ElmError("credentialSubject.hasClaim is missing: the credential holds no claim")
    many = isinstance(raw_claims, list)
    chosen = [(i, c) for i, c in enumerate(claims) if _is_achievement(c)]
    if not chosen:
        found = ", ".join(sorted({t for c in claims for t in _types(c)})) or "untyped claims"
        raise ElmError(f"credentialSubject.hasClaim holds no LearningAchievement (found: {found})")
    learner = _learner(subject)
    issuer = _node(doc.get("issuer"))
    evidence = [a for e in _nodes(doc.get("evidence")) for a in _nodes(e.get("accreditation"))]
    result = []
    for i, claim in chosen:
        path = f"credentialSubject.hasClaim[{i}]" if many else "credentialSubject.hasClaim"
        result.append(
            IssuedCredential(
                learner=learner.model_copy(),
                issued_on=_issued_on(doc, claim, path),
                grade=_grade(claim),
                specification=_spec(claim, issuer, evidence),
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
        raise ElmError(f"payload of the sealed envelope is {_kind(payload)}, not JSON text")
    text = payload
    if not payload.lstrip().startswith("{"):  # b64: true, the JWS default
        try:
            text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
        except (binascii.Error, ValueError):
            raise ElmError("payload of the sealed envelope is neither JSON nor base64url") from None
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ElmError("payload of the sealed envelope is not valid JSON") from None
    if not isinstance(value, Mapping):
        raise ElmError(f"payload of the sealed envelope is {_kind(value)}, not a credential")
    return value


def _is_edc(doc: Mapping[str, Any]) -> bool:
    if "EuropeanDigitalCredential" in _types(doc):
        return True
    for ctx in _items(doc.get("@context")):
        # Development servers publish the same context under other hosts (see fixtures README).
        if isinstance(ctx, str) and (
            ctx.rstrip("/") == EDC_CONTEXT or ctx.endswith("/edc-ap-context.jsonld")
        ):
            return True
    return False


def _is_achievement(claim: Node) -> bool:
    types = _types(claim)
    if "LearningAchievement" in types:
        return True
    return not (types & _NOT_ACHIEVEMENTS) and "specifiedBy" in claim


def _issued_on(doc: Mapping[str, Any], claim: Node, path: str) -> datetime | None:
    candidates: list[tuple[str, Any]] = [(k, doc.get(k)) for k in ("issued", "issuanceDate")]
    candidates.append(("validFrom", doc.get("validFrom")))
    for i, award in enumerate(_nodes(claim.get("awardedBy"))):
        candidates.append((f"{path}.awardedBy[{i}].awardingDate", award.get("awardingDate")))
    for name, value in candidates:
        if value is not None:
            return _datetime(value, name)
    return None


def _learner(subject: Node) -> LearnerIdentification:
    identifier = scheme = None
    national = _node(subject.get("nationalID"))
    if national is not None and _str(national.get("notation")):
        identifier = _str(national.get("notation"))
        country = _node(national.get("spatial"))
        alpha3 = _last_segment(_str(country.get("id")) if country else None)
        scheme = f"national-id:{alpha3}" if alpha3 else "national-id"
    else:
        for ident in _nodes(subject.get("identifier")):
            if _str(ident.get("notation")):
                identifier = _str(ident.get("notation"))
                scheme = _str(ident.get("schemeName")) or "identifier"
                break
        subject_id = _str(subject.get("id"))
        if identifier is None and subject_id and subject_id.startswith("did:"):
            identifier, scheme = subject_id, "did"
    born = subject.get("dateOfBirth")
    return LearnerIdentification(
        name=_pick(_text(subject.get("fullName"))),
        given_name=_pick(_text(subject.get("givenName"))),
        family_name=_pick(_text(subject.get("familyName"))),
        identifier=identifier,
        identifier_scheme=scheme,
        date_of_birth=None if born is None else _date(born, "credentialSubject.dateOfBirth"),
    )


def _grade(claim: Node) -> LangMap | None:
    grades = [_note(a.get("grade")) for a in _nodes(claim.get("provenBy"))]
    grades.append(_note(claim.get("grade")))
    return _merge(grades, "; ") or None


# --- the specification ----------------------------------------------------------------------


def _spec(claim: Node, issuer: Node | None, evidence: list[Node]) -> MicroCredentialSpec:
    spec = _node(claim.get("specifiedBy")) or {}
    notes: list[LangMap] = []
    orgs = [b for a in _nodes(claim.get("awardedBy")) for b in _nodes(a.get("awardingBody"))]
    bodies = [_awarding_body(org) for org in orgs]
    # The awarding bodies are the provider Annex I means; EDC's ``issuer`` is whoever seals the
    # credential (on sealing, the official sample gains the seal's Spanish address).
    countries: list[str] = []
    regions: list[str] = []
    unmapped: list[LangMap] = []
    for org in orgs or ([issuer] if issuer else []):
        codes, places, labels = _place(org)
        countries, regions, unmapped = countries + codes, regions + places, unmapped + labels
    if not countries and issuer is not None and orgs:
        countries, regions, unmapped = _place(issuer)
    notes += [_prefixed("Country of the issuer", label) for label in unmapped]
    homepages = _urls(spec.get("homepage"))
    notes += [{_UNDETERMINED: f"Homepage: {url}"} for url in homepages[1:]]
    assessments = _nodes(claim.get("provenBy"))
    assessment_specs = _unique(
        [s for a in assessments for s in _nodes(a.get("specifiedBy"))]
        + _nodes(spec.get("provenBy"))
    )
    return MicroCredentialSpec(
        id=_identifier(spec),
        title=_text(spec.get("title")) or _text(claim.get("title")),
        description=_text(spec.get("description")) or _text(claim.get("description")) or None,
        issuer_countries=_dedup(countries),
        issuer_regions=_dedup(regions),
        awarding_bodies=bodies,
        learning_outcomes=_outcomes(spec, notes),
        workload=_workload(spec, notes),
        level=_level(spec, notes),
        assessment=_assessment(assessments, assessment_specs),
        participation=_participation(spec, claim, notes),
        quality_assurance=_quality_assurance(spec, claim, issuer, evidence),
        prerequisites=_note(spec.get("entryRequirement")) or None,
        supervision=_supervision(assessments, assessment_specs, notes),
        grade_scheme=_grade_scheme([*assessment_specs, spec]),
        stackability=_stackability(spec),
        fields_of_study=_fields(spec, notes),
        languages=_dedup(_codes("languages", spec.get("language"), "Language", notes)),
        duration=_str(spec.get("maximumDuration")),
        learning_setting=_learning_setting(spec),
        url=homepages[0] if homepages else None,
        further_information=_further_information(spec, notes),
    )


def _identifier(spec: Node) -> str | None:
    for ident in _nodes(spec.get("identifier")):
        if notation := _str(ident.get("notation")):
            return notation
    return _str(spec.get("id"))


def _awarding_body(org: Node) -> AwardingBody:
    name = _text(org.get("legalName")) or _text(org.get("prefLabel")) or _text(org.get("altLabel"))
    homepages = _urls(org.get("homepage"))
    countries = _place(org)[0]
    return AwardingBody(
        name=name,
        id=_str(org.get("id")),
        country=countries[0] if countries else None,
        homepage=homepages[0] if homepages else None,
    )


def _place(org: Node) -> tuple[list[str], list[str], list[LangMap]]:
    """Country codes, region URIs and unmappable country labels of an organisation.

    Address countries first; the country of registration only when no address gives one.
    """
    countries: list[Node] = [
        c
        for loc in _nodes(org.get("location"))
        for addr in _nodes(loc.get("address"))
        for c in _nodes(addr.get("countryCode"))
    ]
    if not countries:
        countries = [c for r in _nodes(org.get("registration")) for c in _nodes(r.get("spatial"))]
    codes: list[str] = []
    unmapped: list[LangMap] = []
    for concept in countries:
        code = _code("countries", concept)
        if code is not None:
            codes.append(code)
        else:
            unmapped.append(_label(concept))
    regions = [
        r
        for loc in _nodes(org.get("location"))
        for c in _nodes(loc.get("spatialCode"))
        if (r := _str(c.get("id")))
    ]
    return _dedup(codes), _dedup(regions), unmapped


def _outcomes(spec: Node, notes: list[LangMap]) -> list[LearningOutcome]:
    outcomes = []
    for lo in _nodes(spec.get("learningOutcome")):
        esco = [u for c in _nodes(lo.get("relatedESCOSkill")) if (u := _str(c.get("id")))]
        other = [u for c in _nodes(lo.get("relatedSkill")) if (u := _str(c.get("id")))]
        outcomes.append(
            LearningOutcome(
                text=_text(lo.get("title")) or _text(lo.get("description")),
                esco_skill=esco[0] if esco else None,
                related_skills=_dedup(esco[1:] + other),
            )
        )
    summary = _note(spec.get("learningOutcomeSummary"))
    if summary and not outcomes:
        outcomes.append(LearningOutcome(text=summary))
    elif summary:
        notes.append(_prefixed("Learning outcomes summary", summary))
    return outcomes


def _workload(spec: Node, notes: list[LangMap]) -> Workload | None:
    ects: float | None = None
    for credit in _nodes(spec.get("creditPoint")):
        framework = _node(credit.get("framework")) or {}
        point = _str(credit.get("point")) or _number_text(credit.get("point"))
        is_ects = framework.get("id") == ECTS_FRAMEWORK or any(
            "ects" in label.casefold() or "european credit transfer" in label.casefold()
            for label in _text(framework.get("prefLabel")).values()
        )
        value = _float(point)
        if is_ects and value is not None and ects is None:
            ects = value
        elif point:
            name = _pick(_label(framework)) if framework else "no framework"
            notes.append({_UNDETERMINED: f"Credit points: {point} ({name})"})
    hours = None
    volume = _str(spec.get("volumeOfLearning"))
    if volume:
        hours = _duration_hours(volume)
        if hours is None:
            notes.append({_UNDETERMINED: f"Volume of learning: {volume}"})
    return Workload(ects=ects, hours=hours) if ects is not None or hours is not None else None


def _level(spec: Node, notes: list[LangMap]) -> Level | None:
    eqf: int | None = None
    for concept in _nodes(spec.get("eqfLevel")):
        code = _code("eqf", concept)
        match = re.search(r"/eqf/(\d+)$", _str(concept.get("id")) or "")
        if code is None and match:
            code = match.group(1)
        if code is not None and code.isdigit() and eqf is None:
            eqf = int(code)
        else:
            notes.append(_prefixed("EQF level", _label(concept)))
    nqf = _nodes(spec.get("nqfLevel"))
    for extra in nqf[1:]:
        notes.append(_prefixed("National qualification level", _label(extra)))
    qf_ehea = next(
        (c for n in nqf + _nodes(spec.get("educationLevel")) if (c := _code("qf-ehea", n))), None
    )
    national = (_text(nqf[0].get("prefLabel")) or None) if nqf else None
    national_uri = _str(nqf[0].get("id")) if nqf else None
    if eqf is None and qf_ehea is None and national is None and national_uri is None:
        return None
    return Level(eqf=eqf, qf_ehea=qf_ehea, national=national, national_uri=national_uri)


def _assessment(assessments: list[Node], specs: list[Node]) -> Assessment | None:
    types: list[str] = []
    unmapped: list[LangMap] = []
    for node in specs + assessments:
        for concept in _nodes(node.get("dcType")):
            code = _code("assessment-types", concept)
            if code is not None:
                types.append(code)
            else:
                unmapped.append(_label(concept))
    title = _merge([_text(s.get("title")) for s in specs], "; ") or _merge(
        [_text(a.get("title")) for a in assessments], "; "
    )
    description = _merge([_text(s.get("description")) for s in specs], "\n") or _merge(
        [_text(a.get("description")) for a in assessments], "\n"
    )
    title = _merge([title, *unmapped], "; ")
    if not (types or title or description):
        return None
    return Assessment(types=_dedup(types), title=title or None, description=description or None)


def _supervision(assessments: list[Node], specs: list[Node], notes: list[LangMap]) -> str | None:
    modes = {
        c for s in specs for m in _nodes(s.get("mode")) if (c := _code("participation-modes", m))
    }
    for concept in (c for a in assessments for c in _nodes(a.get("idVerification"))):
        code = _code("supervision", concept)
        if code in ("supervised-online-id", "supervised-onsite-id") and modes == {"onsite"}:
            return "supervised-onsite-id"
        if code in ("supervised-online-id", "supervised-onsite-id") and modes == {"online"}:
            return "supervised-online-id"
        if code is not None:
            return code
        notes.append(_prefixed("Supervision and identity verification", _label(concept)))
    return None


def _participation(spec: Node, claim: Node, notes: list[LangMap]) -> Participation | None:
    activities = _nodes(spec.get("influencedBy")) + [
        s for a in _nodes(claim.get("influencedBy")) for s in _nodes(a.get("specifiedBy"))
    ]
    codes: set[str] = set()
    for source in ([spec], activities):
        for concept in (c for node in source for c in _nodes(node.get("mode"))):
            code = _code("participation-modes", concept)
            if code is not None:
                codes.add(code)
            elif source is not activities:
                notes.append(_prefixed("Form of participation", _label(concept)))
        if codes:
            break
    if not codes:
        return None
    mode = "blended" if "blended" in codes or len(codes) > 1 else next(iter(codes))
    return Participation(mode=mode)


def _quality_assurance(
    spec: Node, claim: Node, issuer: Node | None, evidence: list[Node]
) -> list[QualityAssurance]:
    found: list[tuple[Node, str | None]] = [(a, None) for a in evidence]
    found += [(a, "external-programme") for a in _nodes(spec.get("accreditation"))]
    orgs = [b for a in _nodes(claim.get("awardedBy")) for b in _nodes(a.get("awardingBody"))]
    orgs += [issuer] if issuer else []
    found += [(a, "external-institutional") for o in orgs for a in _nodes(o.get("accreditation"))]
    seen: set[str] = set()
    result = []
    for acc, default in found:
        key = _str(acc.get("id")) or json.dumps(acc, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        labels = [_label(c) for c in _nodes(acc.get("dcType"))]
        qa_type = next(
            (c for t in _nodes(acc.get("dcType")) if (c := _code("qa-types", t))), None
        ) or ("external-programme" if acc.get("limitQualification") else default)
        agent = _node(acc.get("accreditingAgent"))
        agency = None
        if agent is not None:
            agency = _pick(_text(agent.get("legalName")) or _text(agent.get("prefLabel")))
            agency = agency or _str(agent.get("id"))
        decision = _str(acc.get("decision"))
        description = _merge(
            [_prefixed("Type", label) for label in labels]
            + [_text(acc.get("title")), _text(acc.get("description"))]
            + ([{_UNDETERMINED: f"Decision: {decision}"}] if decision else []),
            "\n",
        )
        reports = _urls(acc.get("report")) + _urls(acc.get("landingPage"))
        result.append(
            QualityAssurance(
                type=qa_type,
                agency=agency,
                description=description or None,
                report_url=next(iter(reports + _urls(acc.get("homepage"))), None),
            )
        )
    return result


def _grade_scheme(nodes: Iterable[Node]) -> LangMap | None:
    parts = []
    for scheme in (s for n in nodes for s in _nodes(n.get("gradingScheme"))):
        title, description = _text(scheme.get("title")), _text(scheme.get("description"))
        joined = {
            lang: ": ".join(t for t in (title.get(lang), description.get(lang)) if t)
            for lang in _dedup([*title, *description])
        }
        parts.append(joined)
    return _merge(parts, "\n") or None


def _stackability(spec: Node) -> Stackability | None:
    partial = spec.get("isPartialQualification")
    towards = _merge(
        [_text(p.get("title")) or _label(p) for p in _nodes(spec.get("isPartOf"))], "; "
    )
    if partial is True or towards:
        return Stackability(option="stackable", towards=towards or None)
    if partial is False:
        return Stackability(option="standalone")
    return None


def _fields(spec: Node, notes: list[LangMap]) -> list[str]:
    fields = _codes("isced-f", spec.get("thematicArea"), "Field of study", notes)
    isced = vocabulary("isced-f")
    for subject in _nodes(spec.get("educationSubject")):
        term = isced.by_uri(_str(subject.get("id")) or "")
        if term is not None:
            fields.append(term.code)
    return _dedup(fields)


def _learning_setting(spec: Node) -> str | None:
    concept = _node(spec.get("learningSetting"))
    if concept is None:
        return None
    label = _pick(_text(concept.get("prefLabel")) or _label(concept)) or ""
    label = label.strip().casefold()
    return label.removesuffix(" learning").strip() or None


def _further_information(spec: Node, notes: list[LangMap]) -> LangMap | None:
    parts = [_note(spec.get("additionalNote"))]
    urls = _urls(spec.get("supplementaryDocument"))
    parts += [{_UNDETERMINED: f"Supplementary document: {url}"} for url in urls]
    return _merge(parts + notes, "\n") or None


# --- controlled vocabularies ----------------------------------------------------------------


def _code(vocab_name: str, concept: Node) -> str | None:
    """The vocabulary code for an ELM concept: by URI first, then by any of its labels."""
    vocab = vocabulary(vocab_name)
    uri = _str(concept.get("id"))
    term = vocab.by_uri(uri) if uri else None
    labels = [*_text(concept.get("prefLabel")).values(), _str(concept.get("notation")) or ""]
    for label in labels if term is None else []:
        term = vocab.by_label(label) if label else None
        if term is not None:
            break
    return term.code if term is not None else None


def _codes(vocab_name: str, value: Any, element: str, notes: list[LangMap]) -> list[str]:
    """Codes for every concept in ``value``; the ones that cannot be mapped become notes."""
    codes = []
    for concept in _nodes(value):
        code = _code(vocab_name, concept)
        if code is not None:
            codes.append(code)
        else:
            notes.append(_prefixed(element, _label(concept)))
    return codes


# --- values ---------------------------------------------------------------------------------


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _nodes(value: Any) -> list[Node]:
    """Objects in ``value``; a bare string stands for an object with that id (a concept URI)."""
    return [
        item if isinstance(item, Mapping) else {"id": item}
        for item in _items(value)
        if isinstance(item, Mapping) or (isinstance(item, str) and item)
    ]


def _node(value: Any) -> Node | None:
    nodes = _nodes(value)
    return nodes[0] if nodes else None


def _types(node: Mapping[str, Any]) -> set[str]:
    return {t for t in _items(node.get("type")) if isinstance(t, str)}


def _unique(nodes: list[Node]) -> list[Node]:
    seen: set[str] = set()
    result = []
    for node in nodes:
        key = _str(node.get("id"))
        if key is None or key not in seen:
            result.append(node)
        if key is not None:
            seen.add(key)
    return result


def _str(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _number_text(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _float(text: str | None) -> float | None:
    try:
        return float(text.replace(",", ".")) if text else None
    except ValueError:
        return None


def _text(value: Any) -> LangMap:
    """A language map as the model keeps it; lists of literals are joined line by line."""
    if isinstance(value, str):
        return {_UNDETERMINED: value} if value.strip() else {}
    if not isinstance(value, Mapping):
        return {}
    result: LangMap = {}
    for lang, text in value.items():
        lines = [t for t in _items(text) if isinstance(t, str) and t.strip()]
        if isinstance(lang, str) and lang.strip() and lines:
            result[lang.strip()] = "\n".join(lines)
    return result


def _note(value: Any) -> LangMap:
    return _merge([_text(n.get("noteLiteral")) for n in _nodes(value)], "\n")


def _label(concept: Node) -> LangMap:
    label = _text(concept.get("prefLabel"))
    if label:
        return label
    uri = _str(concept.get("id"))
    return {_UNDETERMINED: uri} if uri else {}


def _prefixed(element: str, text: LangMap) -> LangMap:
    return {lang: f"{element}: {value}" for lang, value in text.items()}


def _merge(maps: Iterable[LangMap | None], sep: str) -> LangMap:
    """Join texts per language; language-free (``und``) parts go into every language present."""
    parts = [m for m in maps if m]
    langs = _dedup([lang for m in parts for lang in m if lang != _UNDETERMINED])
    if not langs:
        langs = [_UNDETERMINED] if any(parts) else []
    result: LangMap = {}
    for lang in langs:
        texts = [m[lang] if lang in m else m.get(_UNDETERMINED) for m in parts]
        result[lang] = sep.join(_dedup([t for t in texts if t]))
    return {k: v for k, v in result.items() if v}


def _pick(text: LangMap) -> str | None:
    """One string for fields that are not multilingual: English if given, else the first."""
    return text.get("en") or next(iter(text.values()), None)


def _urls(value: Any) -> list[str]:
    urls = []
    for node in _nodes(value):
        url = _str(node.get("contentURL")) or _str(node.get("id"))
        if url and re.match(r"^https?://", url):
            urls.append(url)
    return urls


def _dedup(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _last_segment(uri: str | None) -> str | None:
    return (uri.rstrip("/").rsplit("/", 1)[-1] or None) if uri else None


def _duration_hours(text: str) -> float | None:
    """Hours in an ISO 8601 duration; None when it uses years or months (no fixed length)."""
    match = _DURATION.match(text.strip())
    if match is None or match["Y"] or match["M"]:
        return None
    parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v}
    hours = sum(value * _HOURS[unit] for unit, value in parts.items())
    return round(hours, 6) if hours > 0 else None


def _datetime(value: Any, element: str) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ElmError(f"{element}: {_shown(value)} is not an ISO 8601 date and time")


def _date(value: Any, element: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ElmError(f"{element}: {_shown(value)} is not an ISO 8601 date")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), f"a {type(value).__name__}")
