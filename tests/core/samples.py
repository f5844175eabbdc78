"""Hand-made records shared by the core tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
ELM_SAMPLE = FIXTURES / "elm" / "Sample-MC-Annex1-unsigned.jsonld"
ELM_SAMPLE_SIGNED = FIXTURES / "elm" / "Sample-MC-Annex1-signed.jsonld"

_VALID: dict[str, Any] = {
    "id": "DS-101",
    "title": {"en": "Data stewardship basics", "fr": "Bases de la gestion des données"},
    "issuer_countries": ["NL"],
    "awarding_bodies": [
        {"name": {"en": "University of Utrecht"}, "country": "NL", "id": "did:web:uu.example"}
    ],
    "learning_outcomes": [
        {
            "text": {"en": "Write a data management plan"},
            "esco_skill": "http://data.europa.eu/esco/skill/25f0ea33-1e42-4d1f-9ba1-3f5a3f5a3f5a",
        },
        {"text": {"en": "Apply the FAIR principles"}},
    ],
    "workload": {"ects": 5, "hours": 140},
    "level": {"eqf": 7, "qf_ehea": "second"},
    "assessment": {"types": ["project", "written-exam"]},
    "participation": {"mode": "blended", "scheduled": True},
    "quality_assurance": [{"type": "external-institutional", "agency": "NVAO"}],
    "supervision": "supervised-onsite-id",
    "stackability": {"option": "stackable", "towards": {"en": "MSc Data Science"}},
    "fields_of_study": ["0613"],
    "languages": ["en"],
}


def valid_spec() -> dict[str, Any]:
    """A specification with every mandatory element right: validation finds nothing."""
    return copy.deepcopy(_VALID)
