"""The Annex I data standard: model, vocabularies, validation, readers and writers.

Public API: the names below. Everything in private-looking modules may change.
"""

from microcred.standard.model import (
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

__all__ = [
    "AwardingBody",
    "IssuedCredential",
    "LangMap",
    "LearnerIdentification",
    "LearningOutcome",
    "Level",
    "MicroCredentialSpec",
    "Participation",
    "QualityAssurance",
    "Stackability",
    "Workload",
]
