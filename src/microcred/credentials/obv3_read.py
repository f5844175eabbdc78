"""Read the Annex I elements back out of an Open Badges 3.0 credential.

Verification needs this for the Annex I completeness check and for showing the credential in
plain words. Two cases:

* a credential microcred issued (the microcred context in ``@context`` and an ``annexI``
  object on the Achievement): the extension is authoritative and read losslessly, element by
  element. An element the extension leaves out is absent, even if an OBv3 field has
  something, because :mod:`~microcred.credentials.obv3_build` fills OBv3 fields with
  fallbacks (a name for an untitled specification, say) that are not Annex I data;
* any other OBv3 badge: best effort from the plain OBv3 fields (name, description,
  criteria, creditsAvailable, fieldOfStudy, alignments, issuer profile, result), plus the
  edubadges micro-credential profile's terms when present.

This reads the compact JSON as written, without JSON-LD processing: by the time it runs the
proof has been checked against the same document, and reading must work offline and fast.
Missing or malformed parts give absent elements (validation reports them); only a document
with no credential structure at all raises :class:`~microcred.credentials.obv3.ObvMappingError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from microcred.credentials.learner_identity import learner_from_identity_objects
from microcred.credentials.obv3 import (
    ANNEX_I,
    EQF_PREFIX,
    ESCO_PREFIX,
    EXTENSION_TERMS,
    GRADE_ACHIEVED,
    MICROCRED_CONTEXT_URL,
    ObvMappingError,
    parse_datetime,
)
from microcred.credentials.obv3_build import camel_case
from microcred.standard.model import (
    Assessment,
    AwardingBody,
    IssuedCredential,
    LangMap,
    LearningOutcome,
    Level,
    MicroCredentialSpec,
    Participation,
    QualityAssurance,
    Stackability,
    Workload,
)
from microcred.standard.vocab import vocabulary

__all__ = ["read_credential"]

_Model = TypeVar("_Model", bound=BaseModel)
#: Language key for OBv3 text whose language the badge does not state (BCP 47 "undetermined").
UNDETERMINED = "und"
_ISCED_CODE = re.compile(r"ISCED-F (\d{2,4})\b")
_BARE_CODE = re.compile(r"^\d{2,4}$")
_LIST_ITEM = re.compile(r"^\s*[-*+]\s+(.*\S)\s*$")
#: How each specification field is stored in the extension (the rest are plain strings).
_ELEMENTS: Mapping[str, type[BaseModel]] = {
    "workload": Workload,
    "assessment": Assessment,
    "participation": Participation,
    "stackability": Stackability,
}
_ELEMENT_LISTS: Mapping[str, type[BaseModel]] = {
    "awarding_bodies": AwardingBody,
    "learning_outcomes": LearningOutcome,
    "quality_assurance": QualityAssurance,
}
_CODE_LISTS = frozenset({"issuer_countries", "issuer_regions", "fields_of_study", "languages"})
_LANGMAPS = frozenset(
    {"title", "description", "prerequisites", "grade_scheme", "further_information"}
)
#: A model is rebuilt leaving out bad fields at most this many times (one field per round).
_MAX_REPAIRS = 32


def read_credential(vc: Mapping[str, Any]) -> IssuedCredential:
    """The Annex I view of an OBv3 credential: learner, date of issuing, grade, specification.

    Raises :class:`ObvMappingError` when ``vc`` is not a JSON object or has no
    ``credentialSubject`` object; never for missing or odd parts.
    """
    if not isinstance(vc, Mapping):
        raise ObvMappingError("an Open Badges credential must be a JSON object")
    subject = _subject(vc.get("credentialSubject"))
    achievement = _mapping(subject.get("achievement"))
    subject_id = subject.get("id") if isinstance(subject.get("id"), str) else None
    learner = learner_from_identity_objects(subject.get("identifier") or [], subject_id)
    issued_on = (
        parse_datetime(vc.get("awardedDate"))
        or parse_datetime(vc.get("validFrom"))
        or parse_datetime(vc.get("issuanceDate"))
    )
    extension = achievement.get(ANNEX_I)
    if _uses_microcred_context(vc) and isinstance(extension, Mapping):
        spec = _spec_from_extension(extension)
    else:
        spec = _spec_from_obv3(vc, subject, achievement)
    return IssuedCredential(
        learner=learner,
        issued_on=issued_on,
        grade=_grade(subject, _language(achievement)),
        achieved_on=parse_datetime(subject.get("activityEndDate")),
        specification=spec,
    )


# --- structure ------------------------------------------------------------------------------


def _subject(value: object) -> Mapping[str, Any]:
    # VC 2.0 allows several subjects; the one holding an achievement is the earner.
    candidates = value if isinstance(value, list) else [value]
    subjects = [item for item in candidates if isinstance(item, Mapping)]
    if not subjects:
        raise ObvMappingError("the credential has no credentialSubject object")
    return next((s for s in subjects if isinstance(s.get("achievement"), Mapping)), subjects[0])


def _uses_microcred_context(vc: Mapping[str, Any]) -> bool:
    # Without our context the key "annexI" means nothing defined (or something else).
    contexts = vc.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    return MICROCRED_CONTEXT_URL in contexts


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str)]


def _langmap(value: object) -> LangMap | None:
    """A language map, keeping only string -> string entries."""
    if not isinstance(value, Mapping):
        return None
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _text(value: object, language: str) -> LangMap | None:
    """OBv3 text (a plain string, or a language map some issuers write) as a LangMap."""
    if isinstance(value, str):
        return {language: value}
    found = _langmap(value)
    return found or None


def _language(achievement: Mapping[str, Any]) -> str:
    return _str(achievement.get("inLanguage")) or UNDETERMINED


def _model(cls: type[_Model], value: object) -> _Model | None:
    """Rebuild a flat Annex I element from its camelCase JSON, dropping what does not fit.

    Unknown keys are ignored and a field of the wrong type is left out (and the rest kept),
    so one bad value in a foreign or damaged extension does not lose the whole element.
    """
    if not isinstance(value, Mapping):
        return None
    names = {camel_case(name): name for name in cls.model_fields}
    data = {names[key]: item for key, item in value.items() if key in names}
    for _ in range(_MAX_REPAIRS):
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            if not bad & data.keys():
                return None
            data = {k: v for k, v in data.items() if k not in bad}
    return None  # pragma: no cover - each round removes a field


def _models(cls: type[_Model], value: object) -> list[_Model]:
    items = value if isinstance(value, list) else [value]
    return [m for m in (_model(cls, item) for item in items) if m is not None]


# --- our own credentials: the annexI extension ---------------------------------------------


def _level(value: object) -> Level | None:
    if isinstance(value, Mapping) and isinstance(value.get("eqf"), str):
        eqf_uri: str = value["eqf"]
        number = eqf_uri.removeprefix(EQF_PREFIX)
        value = {**value, "eqf": int(number) if re.fullmatch(r"-?\d+", number) else None}
    return _model(Level, value)


def _spec_from_extension(ext: Mapping[str, Any]) -> MicroCredentialSpec:
    """Every element from the ``annexI`` object; each one read on its own, leniently."""
    data: dict[str, Any] = {}
    for field, term in EXTENSION_TERMS.items():
        if term not in ext:
            continue
        raw = ext[term]
        value: Any
        if field == "level":
            value = _level(raw)
        elif field in _ELEMENTS:
            value = _model(_ELEMENTS[field], raw)
        elif field in _ELEMENT_LISTS:
            value = _models(_ELEMENT_LISTS[field], raw)
        elif field in _CODE_LISTS:
            value = _strings(raw)
        elif field in _LANGMAPS:
            value = _langmap(raw)
        else:
            value = _str(raw)
        if value is not None:
            data[field] = value
    return MicroCredentialSpec(**data)


# --- foreign badges: plain OBv3 fields ------------------------------------------------------


def _spec_from_obv3(
    vc: Mapping[str, Any], subject: Mapping[str, Any], achievement: Mapping[str, Any]
) -> MicroCredentialSpec:
    """Best effort from OBv3 fields; what OBv3 cannot say is left absent."""
    language = _language(achievement)
    issuer = vc.get("issuer")
    profile = _mapping(issuer) if isinstance(issuer, Mapping) else {"id": issuer}
    address = _mapping(profile.get("address"))
    country = _str(address.get("addressCountryCode"))
    country = country.upper() if country and len(country) == 2 else None
    region = _str(address.get("addressRegion"))
    data: dict[str, Any] = {
        "title": _text(achievement.get("name"), language) or {},
        "description": _text(achievement.get("description"), language),
        "issuer_countries": [country] if country else [],
        "issuer_regions": [region] if region else [],
        "awarding_bodies": _awarding_bodies(profile, country, language),
        "learning_outcomes": _outcomes(achievement, language),
        "workload": _workload(subject, achievement),
        "level": _eqf_level(achievement),
        "fields_of_study": _isced_codes(_str(achievement.get("fieldOfStudy"))),
        "id": _str(achievement.get("humanCode")),
    }
    descriptions = achievement.get("resultDescription")
    first = descriptions[0] if isinstance(descriptions, list) and descriptions else None
    if isinstance(first, Mapping):
        data["grade_scheme"] = _text(first.get("name"), language)
    data.update(_edubadges(achievement))
    return MicroCredentialSpec(**{k: v for k, v in data.items() if v is not None})


def _awarding_bodies(
    profile: Mapping[str, Any], country: str | None, language: str
) -> list[AwardingBody]:
    body_id, name = _str(profile.get("id")), _text(profile.get("name"), language)
    if not body_id and not name:
        return []
    body = AwardingBody(
        name=name or {}, id=body_id, country=country, homepage=_str(profile.get("url"))
    )
    return [body]


def _outcomes(achievement: Mapping[str, Any], language: str) -> list[LearningOutcome]:
    """Competency alignments, else the criteria narrative's list items (or whole text)."""
    outcomes = []
    for alignment in achievement.get("alignment") or []:
        if not isinstance(alignment, Mapping) or alignment.get("targetType") == "ext:EQFLevel":
            continue
        url = _str(alignment.get("targetUrl"))
        if url and url.startswith(EQF_PREFIX):
            continue
        name = _str(alignment.get("targetName")) or url
        if name is None:
            continue
        esco = url if url and url.startswith(ESCO_PREFIX) else None
        related = [url] if url and not esco else []
        outcomes.append(
            LearningOutcome(text={language: name}, esco_skill=esco, related_skills=related)
        )
    if outcomes:
        return outcomes
    narrative = _str(_mapping(achievement.get("criteria")).get("narrative"))
    if not narrative or not narrative.strip():
        return []
    items = [m[1] for m in map(_LIST_ITEM.match, narrative.splitlines()) if m]
    return [LearningOutcome(text={language: text}) for text in (items or [narrative.strip()])]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _workload(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> Workload | None:
    ects = _number(achievement.get("creditsAvailable"))
    if ects is None:
        ects = _number(subject.get("creditsEarned"))
    if ects is None:
        ects = _number(achievement.get("ECTS"))  # edubadges micro-credential profile
    hours = _number(achievement.get("timeInvestment"))  # edubadges, in hours
    return Workload(ects=ects, hours=hours) if ects is not None or hours is not None else None


def _eqf_level(achievement: Mapping[str, Any]) -> Level | None:
    for alignment in achievement.get("alignment") or []:
        url = _str(_mapping(alignment).get("targetUrl")) or ""
        number = url.removeprefix(EQF_PREFIX)
        if url.startswith(EQF_PREFIX) and number.isdigit():
            return Level(eqf=int(number))
    return None


def _isced_codes(text: str | None) -> list[str]:
    """ISCED-F codes from ``fieldOfStudy``: "Label (ISCED-F 0613)", a bare code or a label."""
    if not text:
        return []
    codes = _ISCED_CODE.findall(text)
    if codes:
        return list(dict.fromkeys(codes))
    isced = vocabulary("isced-f")
    found = []
    for part in text.split(";"):
        part = part.strip()
        term = isced.get(part) if _BARE_CODE.match(part) else isced.by_label(part)
        if term is not None:
            found.append(term.code)
    return found


def _edubadges(achievement: Mapping[str, Any]) -> dict[str, Any]:
    """Annex I elements from the edubadges micro-credential profile's extra terms.

    Dutch institutions issue OBv3 micro-credentials with ``assessmentType``,
    ``participationType`` and ``supervisionType`` labels (English, from a fixed list);
    matching them against our vocabularies keeps those elements when such a badge is
    verified here. An assessment label with no code is kept as the assessment's title, as
    the ELM reader does; a participation label that names two modes ("onsite or blended")
    is not guessed.
    """
    found: dict[str, Any] = {}
    assessment = _str(achievement.get("assessmentType"))
    if assessment:
        code = _code("assessment-types", assessment)
        found["assessment"] = (
            Assessment(types=[code]) if code else Assessment(title={"en": assessment})
        )
    participation = _str(achievement.get("participationType"))
    mode = _code("participation-modes", participation) if participation else None
    if mode:
        found["participation"] = Participation(mode=mode)
    supervision = _str(achievement.get("supervisionType"))
    if supervision:
        found["supervision"] = _code("supervision", supervision)
    return found


#: edubadges labels that our vocabularies' labels do not match word for word.
_EDUBADGES_LABELS = {
    "application of a skill": "practical-demonstration",
    "supervised online": "supervised-online-id",
    "onsite with identity verification": "supervised-onsite-id",
}


def _code(vocab: str, label: str) -> str | None:
    term = vocabulary(vocab).by_label(label)
    if term is not None:
        return term.code
    code = _EDUBADGES_LABELS.get(label.strip().lower())
    return code if code is not None and code in vocabulary(vocab) else None


def _grade(subject: Mapping[str, Any], language: str) -> LangMap | None:
    """Our ``gradeAchieved`` map when present, else the first result's ``value``."""
    results = subject.get("result")
    for result in results if isinstance(results, list) else [results]:
        if not isinstance(result, Mapping):
            continue
        full = _langmap(result.get(GRADE_ACHIEVED))
        if full is not None:
            return full
        value = _str(result.get("value"))
        if value is not None:
            return {language: value}
    return None
