"""Realistic micro-credentials for the interop tests (and the benchmarks): OBv3 on VC 2.0.

Only the VC 2.0 and Open Badges 3.0.3 contexts, which both microcred and the JavaScript peer
ship, so any difference in a verdict or a canonical form is a difference between the two
implementations, not between their context copies. About 4-5 KB of JSON once signed, shaped
like what microcred issues: an EU micro-credential with its Annex I content (learning
outcomes, workload in ECTS, level, assessment, quality assurance, prerequisites), a hashed
learner identity, a Bitstring Status List entry and a JSON Schema reference.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)

_OUTCOMES = [
    ("LO1", "Explain the principles of sustainable supply-chain management in the EU."),
    ("LO2", "Apply life-cycle assessment to a product and interpret the results."),
    ("LO3", "Design a circular-economy improvement plan for a small enterprise."),
    ("LO4", "Communicate the plan's costs and benefits to non-specialist stakeholders."),
]


def micro_credential(issuer_did: str, index: int = 0, **overrides: Any) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential issued by ``issuer_did``; ``index`` varies the learner.

    ``overrides`` replace top-level members (``None`` removes one).
    """
    learner = f"learner-{index:06d}@example.org"
    salt = f"salt-{index:08x}"
    digest = hashlib.sha256((learner + salt).encode()).hexdigest()
    spec_slug = "circular-economy-foundations"
    host = "https://microcred.example.eu"
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": f"urn:uuid:{uuid.UUID(int=0x5EED0000 + index)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Circular Economy Foundations (micro-credential)",
        "description": (
            "EU micro-credential awarded for the successful completion of the Circular "
            "Economy Foundations course, assessed by a written project and an oral defence."
        ),
        "issuer": {
            "id": issuer_did,
            "type": ["Profile"],
            "name": "Hogeschool Voorbeeld — Centre for Lifelong Learning",
            "url": f"{host}/providers/hogeschool-voorbeeld",
            "email": "microcredentials@hogeschool-voorbeeld.example",
            "address": {
                "type": ["Address"],
                "addressCountry": "Netherlands",
                "addressCountryCode": "NL",
                "addressLocality": "Utrecht",
                "postalCode": "3511 AA",
            },
            "otherIdentifier": [
                {
                    "type": "IdentifierEntry",
                    "identifier": "NL-KVK-12345678",
                    "identifierType": "registrationNumber",
                }
            ],
        },
        "validFrom": "2025-06-30T12:00:00Z",
        "validUntil": "2035-06-30T12:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": f"sha256${digest}",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "activityStartDate": "2025-02-03",
            "activityEndDate": "2025-06-20",
            "creditsEarned": 5,
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{host}/specifications/{spec_slug}/results/grade",
                    "value": "8.5",
                }
            ],
            "achievement": {
                "id": f"{host}/specifications/{spec_slug}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": "Circular Economy Foundations",
                "description": (
                    "A 5 ECTS course at EQF level 6 on circular-economy principles, life-cycle "
                    "assessment and improvement planning for small and medium enterprises."
                ),
                "criteria": {
                    "narrative": (
                        "The learner passed a written project (70%) and an oral defence (30%) "
                        "with a combined grade of at least 5.5 out of 10, supervised on site, "
                        "identity checked against an official document."
                    )
                },
                "creditsAvailable": 5,
                "fieldOfStudy": "Environmental protection technology (ISCED-F 0712)",
                "humanCode": "CEF-101",
                "inLanguage": "en",
                "tag": ["circular economy", "sustainability", "life-cycle assessment"],
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": text,
                        "targetCode": code,
                        "targetFramework": "Learning outcomes",
                        "targetUrl": f"{host}/specifications/{spec_slug}#{code}",
                        "targetType": "ext:LearningOutcome",
                    }
                    for code, text in _OUTCOMES
                ]
                + [
                    {
                        "type": ["Alignment"],
                        "targetName": "EQF level 6",
                        "targetCode": "6",
                        "targetFramework": "European Qualifications Framework",
                        "targetUrl": "http://data.europa.eu/snb/eqf/6",
                        "targetType": "ext:EQFLevel",
                    }
                ],
                "resultDescription": [
                    {
                        "id": f"{host}/specifications/{spec_slug}/results/grade",
                        "type": ["ResultDescription"],
                        "name": "Final grade",
                        "resultType": "ext:Grade",
                        "valueMin": "1",
                        "valueMax": "10",
                        "requiredValue": "5.5",
                    }
                ],
            },
        },
        "credentialStatus": {
            "id": f"{host}/providers/hogeschool-voorbeeld/status/1#{40000 + index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(40000 + index),
            "statusListCredential": f"{host}/providers/hogeschool-voorbeeld/status/1",
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "JsonSchema"}],
    }
    for name, value in overrides.items():
        if value is None:
            credential.pop(name, None)
        else:
            credential[name] = value
    return credential
