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

from tests.core.samples import valid_spec

#: The core tests' valid specification, with the elements these tests also read back.
VALID_SPEC: dict[str, Any] = {
    **valid_spec(),
    "description": {"en": "Plan, document and share research data."},
    "awarding_bodies": [{"name": {"en": "North Sea University"}, "country": "NL"}],
    "grade_scheme": {"en": "Pass or fail"},
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
