"""Build an unsigned Open Badges 3.0 credential from an issued micro-credential.

The result is a VC 2.0 ``OpenBadgeCredential``
(https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential) whose ``credentialSubject`` is
an ``AchievementSubject`` holding an ``Achievement`` of type ``MicroCredential``. OBv3 fields
are filled wherever OBv3 has a place for an Annex I element, so that any wallet or badge
platform shows something sensible; the ``annexI`` extension on the Achievement then carries
every element in full (all languages, all codes), which is what
:func:`microcred.credentials.obv3_read.read_credential` reads back.

Everything written here is defined by one of the three contexts in
:data:`~microcred.credentials.obv3.CONTEXTS`: a term no context defines would be silently
dropped by JSON-LD and left unsigned, and the signer refuses such documents. Signing itself
(``add_proof``) is a separate step.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from microcred.credentials.json_values import copy_object
from microcred.credentials.learner_identity import identity_objects, new_salt
from microcred.credentials.obv3 import (
    ACHIEVEMENT_TYPE,
    ANNEX_I,
    CONTEXTS,
    CREDENTIAL_TYPES,
    EQF_PREFIX,
    ESCO_PREFIX,
    EXTENSION_TERMS,
    GRADE_ACHIEVED,
    ObvMappingError,
    format_datetime,
    json_number,
    pick_language,
)
from microcred.standard.model import (
    IssuedCredential,
    LangMap,
    LearningOutcome,
    Level,
    MicroCredentialSpec,
)
from microcred.standard.vocab import vocabulary

__all__ = ["build_achievement", "build_credential", "camel_case", "extension_of"]

# OBv3's pattern for Achievement.inLanguage; a tag outside it is left out rather than
# making the credential fail the schema (the extension keeps every language anyway).
_IN_LANGUAGE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


def camel_case(name: str) -> str:
    """``report_url`` -> ``reportUrl``: model field names as JSON keys in the extension."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _element_json(element: BaseModel) -> dict[str, Any]:
    """One nested Annex I element (a flat pydantic model) as a JSON object.

    Only the element's own field names change case: its values are scalars, lists of codes
    or language maps, whose keys are language tags and must stay exactly as they are.
    """
    data = element.model_dump(mode="json", exclude_defaults=True)
    return {camel_case(name): value for name, value in data.items()}


def _level_json(level: Level) -> dict[str, Any]:
    # The EQF level travels as its Europass URI, the form ELM and ESCO use.
    data = _element_json(level)
    if level.eqf is not None:
        data["eqf"] = f"{EQF_PREFIX}{level.eqf}"
    return data


@functools.cache
def _extension_defaults() -> dict[str, Any]:
    # Computed once: pydantic inspects a default factory's signature at every call (~0.1 ms),
    # and these defaults are only compared with, never handed out.
    fields = MicroCredentialSpec.model_fields
    return {
        field: fields[field].get_default(call_default_factory=True) for field in EXTENSION_TERMS
    }


def extension_of(spec: MicroCredentialSpec) -> dict[str, Any]:
    """The ``annexI`` object: every element of the specification, absent ones left out.

    Structured and multilingual elements are JSON literals (``@type: @json``): they are
    signed as JCS-canonical JSON (RFC 8785), which pyld and jsonld.js write byte for byte
    alike, and come back exactly as written. See ``docs/credential-format.md``.
    """
    out: dict[str, Any] = {}
    defaults = _extension_defaults()
    for field, term in EXTENSION_TERMS.items():
        value = getattr(spec, field)
        # Only what equals the model's default is left out, so that reading back (where
        # absent means default) gives an equal model: an empty map is not the same as None.
        if value == defaults[field]:
            continue
        if isinstance(value, Level):
            out[term] = _level_json(value)
        elif isinstance(value, BaseModel):
            out[term] = _element_json(value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            out[term] = [_element_json(item) for item in value]
        else:
            out[term] = value
    workload = out.get("workload")
    if workload:
        for key in ("ects", "hours"):
            if key in workload:
                workload[key] = json_number(workload[key])
    return out


def _alignments(spec: MicroCredentialSpec) -> list[dict[str, Any]]:
    """OBv3 Alignments (https://www.imsglobal.org/spec/ob/v3p0/#alignment).

    Each skill URI of a learning outcome becomes a ``ceasn:Competency`` alignment named
    after the outcome, so OBv3 consumers see the ESCO skills; the EQF level becomes an
    ``ext:EQFLevel`` alignment to its Europass URI, a form foreign readers can also use.
    """
    result: list[dict[str, Any]] = []
    for outcome in spec.learning_outcomes:
        result.extend(_outcome_alignments(outcome))
    if spec.level is not None and spec.level.eqf is not None:
        result.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {spec.level.eqf}",
                "targetUrl": f"{EQF_PREFIX}{spec.level.eqf}",
                "targetFramework": "European Qualifications Framework",
                "targetType": "ext:EQFLevel",
                "targetCode": str(spec.level.eqf),
            }
        )
    return result


def _outcome_alignments(outcome: LearningOutcome) -> list[dict[str, Any]]:
    picked = pick_language(outcome.text)
    skills = [outcome.esco_skill] if outcome.esco_skill else []
    skills += outcome.related_skills
    result = []
    for skill in skills:
        alignment: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": picked[1] if picked else skill,
            "targetUrl": skill,
            "targetType": "ceasn:Competency",
        }
        if skill.startswith(ESCO_PREFIX):
            alignment["targetFramework"] = "ESCO"
        result.append(alignment)
    return result


def _narrative(spec: MicroCredentialSpec) -> str:
    """``criteria.narrative`` (Markdown, as OBv3 allows): the learning outcomes as a list."""
    lines = []
    for outcome in spec.learning_outcomes:
        picked = pick_language(outcome.text)
        if picked:
            lines.append("- " + " ".join(picked[1].split()))
    if not lines:
        return "Awarded on successful completion of the assessment of this micro-credential."
    return "The learner has achieved these learning outcomes:\n\n" + "\n".join(lines)


def _fields_of_study(codes: Sequence[str]) -> str:
    """``fieldOfStudy``: ISCED-F labels with their codes, readable and parseable back."""
    isced = vocabulary("isced-f")
    parts = []
    for code in codes:
        term = isced.get(code)
        parts.append(f"{term.label} (ISCED-F {code})" if term else f"ISCED-F {code}")
    return "; ".join(parts)


def _sub_id(base: str, name: str) -> str:
    # A fragment of the achievement IRI; a second "#" would make it an invalid IRI.
    return f"{base}-{name}" if "#" in base else f"{base}#{name}"


def _achievement(
    spec: MicroCredentialSpec, achievement_id: str, creator: Mapping[str, Any]
) -> dict[str, Any]:
    """The OBv3 Achievement (https://www.imsglobal.org/spec/ob/v3p0/#achievement)."""
    title = pick_language(spec.title)
    name = title[1] if title else (spec.id or "Micro-credential")
    described = pick_language(spec.description)
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE,
        "name": name,
        "description": described[1] if described else name,
        "criteria": {"narrative": _narrative(spec)},
        "creator": copy.deepcopy(dict(creator)),
    }
    language = (title or described or (None, None))[0]
    if language and _IN_LANGUAGE.match(language):
        achievement["inLanguage"] = language
    if spec.id:
        achievement["humanCode"] = spec.id
    if spec.workload is not None and spec.workload.ects is not None:
        achievement["creditsAvailable"] = json_number(spec.workload.ects)
    if spec.fields_of_study:
        achievement["fieldOfStudy"] = _fields_of_study(spec.fields_of_study)
    alignments = _alignments(spec)
    if alignments:
        achievement["alignment"] = alignments
    scheme = pick_language(spec.grade_scheme)
    if scheme:
        achievement["resultDescription"] = [
            {
                "id": _sub_id(achievement_id, "grade-scheme"),
                "type": ["ResultDescription"],
                "name": scheme[1],
                "resultType": "Result",
            }
        ]
    achievement[ANNEX_I] = extension_of(spec)
    return achievement


def _result(grade: LangMap, achievement: Mapping[str, Any]) -> dict[str, Any]:
    """The OBv3 Result (https://www.imsglobal.org/spec/ob/v3p0/#result) for the grade.

    ``value`` holds one language for OBv3 readers; ``gradeAchieved`` the full map.
    """
    picked = pick_language(grade)
    result: dict[str, Any] = {"type": ["Result"], "status": "Completed"}
    if picked:
        result["value"] = picked[1]
    descriptions = achievement.get("resultDescription")
    if descriptions:
        result["resultDescription"] = descriptions[0]["id"]
    result[GRADE_ACHIEVED] = dict(grade)
    return result


def _profile(issuer: Mapping[str, Any], spec: MicroCredentialSpec) -> dict[str, Any]:
    """The issuer Profile (https://www.imsglobal.org/spec/ob/v3p0/#profile).

    The caller's mapping is kept as given (it may add ``url``, ``email``, ``address`` ...);
    ``type`` gets ``Profile``, and a missing name falls back to the first awarding body's.
    """
    if not isinstance(issuer.get("id"), str) or not issuer["id"]:
        raise ObvMappingError("the issuer needs an id (its DID)")
    profile = copy.deepcopy(dict(issuer))
    kinds = profile.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if "Profile" not in kinds:
        kinds.append("Profile")
    profile["type"] = kinds
    if not profile.get("name"):
        names = [pick_language(body.name) for body in spec.awarding_bodies]
        first = next((picked[1] for picked in names if picked), None)
        if first:
            profile["name"] = first
        else:
            profile.pop("name", None)
    return profile


def build_achievement(
    spec: MicroCredentialSpec, issuer: Mapping[str, Any], achievement_id: str
) -> dict[str, Any]:
    """The Achievement :func:`build_credential` puts in every credential of ``spec``."""
    return _achievement(spec, achievement_id, _profile(issuer, spec))


def build_credential(
    cred: IssuedCredential,
    *,
    credential_id: str,
    issuer: Mapping[str, Any],
    achievement_id: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    learner_subject_id: str | None = None,
    identity_salt: str | None = None,
    status_entries: Sequence[Mapping[str, Any]] = (),
    achievement: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An unsigned ``OpenBadgeCredential`` holding every Annex I element of ``cred``.

    ``issuer`` is the provider's Profile (``id`` = its DID, ``name``, ``url`` ...), also used
    as the Achievement's ``creator``. ``learner_subject_id`` (a DID) becomes
    ``credentialSubject.id``. The learner's identifier is hashed with ``identity_salt``
    (a fresh random salt when None; see :mod:`~microcred.credentials.learner_identity`).
    ``status_entries`` (e.g. BitstringStatusListEntry objects) become ``credentialStatus``:
    one entry is written as an object, several as an array (VC 2.0 allows both,
    https://www.w3.org/TR/vc-data-model-2.0/#status; the OBv3 3.0 JSON Schema accepts only
    the object form).

    ``achievement``: the result of :func:`build_achievement` for the same specification,
    issuer and ``achievement_id``, when the caller issues many credentials of one
    specification (it is the costliest part and the same in all of them); a copy is used.

    Raises :class:`~microcred.credentials.obv3.ObvMappingError` when the issuer has no id or
    a number cannot be written as JSON.
    """
    spec = cred.specification
    profile = _profile(issuer, spec)
    if achievement is None:
        achievement = _achievement(spec, achievement_id, profile)
    else:
        achievement = copy_object(achievement)
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if learner_subject_id:
        subject["id"] = learner_subject_id
    subject["achievement"] = achievement
    if "creditsAvailable" in achievement:
        subject["creditsEarned"] = achievement["creditsAvailable"]
    salt = new_salt() if identity_salt is None else identity_salt
    identities = identity_objects(cred.learner, salt)
    if identities:
        subject["identifier"] = identities
    if cred.grade is not None:
        subject["result"] = [_result(cred.grade, achievement)]
    if cred.achieved_on is not None:
        # OBv3's own term for when the learning activity ended: the date of achievement, kept
        # apart from validFrom / awardedDate (the date of issuing).
        subject["activityEndDate"] = format_datetime(cred.achieved_on)

    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": achievement["name"],
        "issuer": profile,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    if cred.issued_on is not None:
        credential["awardedDate"] = format_datetime(cred.issued_on)
    credential["credentialSubject"] = subject
    if len(status_entries) == 1:
        credential["credentialStatus"] = dict(status_entries[0])
    elif status_entries:
        credential["credentialStatus"] = [dict(entry) for entry in status_entries]
    return credential
