"""Fixtures for register API, import and export tests: two providers, two agencies, one
account per role with an API token, and a temporary search index."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

VALID_SPEC: dict[str, Any] = {
    "id": "DS-101",
    "title": {"en": "Data stewardship basics", "fr": "Bases de la gestion des données"},
    "description": {"en": "Plan, document and share research data."},
    "issuer_countries": ["NL"],
    "awarding_bodies": [{"name": {"en": "North Sea University"}, "country": "NL"}],
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
    "grade_scheme": {"en": "Pass or fail"},
    "stackability": {"option": "stackable", "towards": {"en": "MSc Data Science"}},
    "fields_of_study": ["0613"],
    "languages": ["en"],
}


def spec(local_id: str = "DS-101", **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID_SPEC)
    data["id"] = local_id
    data.update(changes)
    return data


@dataclass
class World:
    provider_a: Any
    provider_b: Any
    agency_x: Any
    agency_y: Any
    tokens: dict[str, str]
    users: dict[str, Any]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture(autouse=True)
def search_index_dir(tmp_path: Path, settings: Any) -> Iterator[Path]:
    from microcred_web.catalogue import services

    path = tmp_path / "search-index"
    settings.SEARCH_INDEX_DIR = path
    services.reset_index()
    yield path
    services.reset_index()


@pytest.fixture
def world(db: Any) -> World:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Agency, Membership, Provider, Role
    from microcred_web.register.tokens import create_token

    a = Provider.objects.create(
        slug="north-sea-university",
        legal_name={"en": "North Sea University"},
        kind="university",
        country="NL",
        city="Groningen",
        website="https://nsu.example",
    )
    b = Provider.objects.create(
        slug="codecraft",
        legal_name={"en": "CodeCraft Academy"},
        kind="company",
        country="DE",
    )
    x = Agency.objects.create(
        slug="nvao",
        name={"en": "NVAO"},
        acronym="NVAO",
        countries=["NL", "BE"],
        eqar_registered_since=date(2008, 1, 1),
        activities=["institutional", "programme"],
    )
    y = Agency.objects.create(
        slug="aqas",
        name={"en": "AQAS"},
        acronym="AQAS",
        countries=["DE"],
        eqar_registered_since=date(2009, 1, 1),
        activities=["programme"],
    )
    User = get_user_model()
    roles = {
        "operator": {"role": Role.OPERATOR},
        "staff_a": {"role": Role.PROVIDER, "provider": a},
        "staff_b": {"role": Role.PROVIDER, "provider": b},
        "agency_x": {"role": Role.AGENCY, "agency": x},
        "agency_y": {"role": Role.AGENCY, "agency": y},
        "nobody": None,
    }
    users, tokens = {}, {}
    for name, membership in roles.items():
        # No password: hashing one per account would dominate the test time.
        user = User.objects.create(username=name, email=f"{name}@example.org")
        if membership is not None:
            Membership.objects.create(user=user, **membership)
        users[name] = user
        tokens[name] = create_token(user, "tests").token
    return World(a, b, x, y, tokens, users)
