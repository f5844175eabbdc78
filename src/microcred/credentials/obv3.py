"""Shared ground of the Open Badges 3.0 mapping: context URLs, extension terms, helpers.

An issued micro-credential travels as a 1EdTech Open Badges 3.0 ``OpenBadgeCredential`` on
W3C VC 2.0 (https://www.imsglobal.org/spec/ob/v3p0/). OBv3 has fields for part of Annex I
(name, description, criteria, credits, field of study, alignments, result); the rest travels
in the microcred extension, the ``annexI`` object on the Achievement, whose terms the context
``https://microcred.eu/ns/credentials/v1`` (shipped as ``contexts/microcred-v1.jsonld``)
defines. The extension holds *every* Annex I element, including those OBv3 also carries, so
that reading it back is lossless and does not depend on how a language was picked for the
single-language OBv3 fields. See ``docs/credential-format.md`` for the mapping table.

Building lives in :mod:`microcred.credentials.obv3_build`, reading in
:mod:`microcred.credentials.obv3_read`; both rest on the names defined here so that the two
directions cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from microcred.credentials.errors import CredentialError
from microcred.standard.model import LangMap

__all__ = [
    "ACHIEVEMENT_TYPE",
    "CONTEXTS",
    "CREDENTIAL_TYPES",
    "EQF_PREFIX",
    "ESCO_PREFIX",
    "EXTENSION_TERMS",
    "MICROCRED_CONTEXT_URL",
    "MICROCRED_VOCAB",
    "OB_CONTEXT_URL",
    "VC_CONTEXT_URL",
    "ObvMappingError",
    "format_datetime",
    "json_number",
    "obv3_schema_view",
    "pick_language",
]

VC_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: Stable URL of the extension context; the instance also serves it at this path.
MICROCRED_CONTEXT_URL = "https://microcred.eu/ns/credentials/v1"
#: Vocabulary namespace of the extension terms (each term's ``@id`` starts with it).
MICROCRED_VOCAB = "https://microcred.eu/ns/credentials#"
#: ``@context`` of every credential microcred issues, in this order (the OBv3 JSON Schema
#: requires the VC context first and an OBv3 context second; extensions follow).
CONTEXTS: tuple[str, ...] = (VC_CONTEXT_URL, OB_CONTEXT_URL, MICROCRED_CONTEXT_URL)
CREDENTIAL_TYPES: tuple[str, ...] = ("VerifiableCredential", "OpenBadgeCredential")
#: AchievementType enumeration value for micro-credentials,
#: https://www.imsglobal.org/spec/ob/v3p0/#achievementtype-enumeration
ACHIEVEMENT_TYPE = "MicroCredential"
EQF_PREFIX = "http://data.europa.eu/snb/eqf/"
ESCO_PREFIX = "http://data.europa.eu/esco/"

#: Extension key holding the Annex I elements on the Achievement.
ANNEX_I = "annexI"
#: Extension key on an OBv3 Result holding the full multilingual grade achieved.
GRADE_ACHIEVED = "gradeAchieved"

#: ``MicroCredentialSpec`` field -> term inside the ``annexI`` object. ``description`` is
#: carried as ``summary`` and ``url`` as ``specificationUrl`` because the VC and OBv3
#: contexts already protect the terms ``description`` and ``url``.
EXTENSION_TERMS: Mapping[str, str] = MappingProxyType(
    {
        "id": "specificationId",
        "title": "title",
        "description": "summary",
        "issuer_countries": "issuerCountries",
        "issuer_regions": "issuerRegions",
        "awarding_bodies": "awardingBodies",
        "learning_outcomes": "learningOutcomes",
        "workload": "workload",
        "level": "level",
        "assessment": "assessment",
        "participation": "participation",
        "quality_assurance": "qualityAssurance",
        "prerequisites": "prerequisites",
        "supervision": "supervision",
        "grade_scheme": "gradeScheme",
        "stackability": "stackability",
        "further_information": "furtherInformation",
        "fields_of_study": "fieldsOfStudy",
        "languages": "languages",
        "duration": "duration",
        "learning_setting": "learningSetting",
        "url": "specificationUrl",
    }
)


class ObvMappingError(CredentialError):
    """A document that cannot be mapped at all: not a credential object, no subject.

    Missing or odd *parts* never raise (reading is best effort and validation reports gaps);
    only a structure with nothing to read from does, so the verifier can say so plainly.
    """

    code = "obv3-mapping"


def pick_language(texts: LangMap | None) -> tuple[str, str] | None:
    """The ``(language, text)`` shown in single-language OBv3 fields: English, else the first.

    English first because OBv3 consumers (wallets, badge platforms) mostly read it; the
    full map stays in the extension, so nothing is lost by the choice.
    """
    if not texts:
        return None
    if "en" in texts:
        return "en", texts["en"]
    for language, text in texts.items():
        if language.lower().startswith("en-"):
            return language, text
    language = next(iter(texts))
    return language, texts[language]


def format_datetime(moment: datetime) -> str:
    """An xsd:dateTime with a time zone, as OBv3's DateTimeZ and VC 2.0 require.

    A naive datetime is taken as UTC (the platform stores UTC). Sub-second digits are kept,
    so that the awarded date reads back equal; UTC is written ``Z`` as the specs show it.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def parse_datetime(value: object) -> datetime | None:
    """Read an ISO 8601 date-time; None when absent or unreadable (reading never raises)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def json_number(value: float) -> int | float:
    """A number written so that every JSON-LD processor makes the same RDF literal of it.

    Python writes ``5.0`` where JavaScript reads ``5``: pyld would then sign an xsd:double
    ``5.0E0`` and jsonld.js verify an xsd:integer ``5`` (JSON-LD 1.1 API §8.6, "Object to RDF
    Conversion", step 10). Whole numbers are therefore written as integers. Non-finite numbers
    have no JSON form at all and are refused.
    """
    if not math.isfinite(value):
        raise ObvMappingError(f"{value!r} is not a finite number and cannot be written as JSON")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def obv3_schema_view(vc: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy of ``vc`` shaped for the OBv3 3.0 JSON Schema's ``proof`` rule.

    The schema (``ob_v3p0_achievementcredential_schema.json``) accepts ``proof`` only as an
    array, while VC Data Integrity writes a single proof as an object, as 1EdTech's own
    signed test vector does; the two mean the same
    (https://www.w3.org/TR/vc-data-model-2.0/#securing-mechanisms).
    Wrapping the proof lets a verifier run the schema without failing every signed badge.
    Several ``credentialStatus`` entries are left as they are: the schema's object-only
    rule cannot hold them, and hiding an entry from the check would be worse.
    """
    view = dict(vc)
    proof = view.get("proof")
    if isinstance(proof, Mapping):
        view["proof"] = [proof]
    return view
