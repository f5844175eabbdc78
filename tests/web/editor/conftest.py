"""Fixtures for the editor's tests: two providers with staff, an agency's staff, an operator,
a published specification of provider A, and the form of a complete specification."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

#: A complete, valid specification in the microcred JSON shape.
SPEC: dict[str, Any] = {
    "id": "DS-101",
    "title": {"en": "Data stewardship basics", "fr": "Bases de la gestion des données"},
    "description": {"en": "Plan, document and share research data."},
    "issuer_countries": ["NL"],
    "awarding_bodies": [{"name": {"en": "North Sea University"}, "country": "NL"}],
    "learning_outcomes": [
        {
            "text": {"en": "Write a data management plan"},
            "esco_skill": "http://data.europa.eu/esco/skill/aaaa",
        },
        {"text": {"en": "Apply the FAIR principles"}},
    ],
    "workload": {"ects": 5, "hours": 140},
    "level": {"eqf": 7, "qf_ehea": "second"},
    "assessment": {"types": ["project"]},
    "participation": {"mode": "online", "scheduled": True},
    "quality_assurance": [{"type": "external-institutional", "agency": "NVAO"}],
    "languages": ["en"],
}


def form_of(data: dict[str, Any]) -> dict[str, Any]:
    """The POST the editor's page sends for ``data`` (its inputs' names and values)."""
    out: dict[str, Any] = {}

    def lang(path: str, text: dict[str, str]) -> None:
        for n, (tag, body) in enumerate(text.items()):
            out[f"{path}.lang.{n}"] = tag
            out[f"{path}.text.{n}"] = body

    def walk(node: Any, path: str) -> None:
        from microcred_web.editor.layout import kind_of

        kind = kind_of(path) if path else None
        if kind == "lang":
            lang(path, node)
        elif kind == "codes":
            out[path] = [str(v) for v in node]
        elif kind == "split":
            out[path] = "; ".join(node)
        elif kind is not None:
            out[path] = "true" if node is True else "false" if node is False else str(node)
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{path}[{i}]")

    walk(data, "")
    return out


@dataclass
class EditorWorld:
    provider_a: Any
    provider_b: Any
    spec: Any
    users: dict[str, Any]

    def url(self, name: str, *args: Any, provider: Any = None) -> str:
        from django.urls import reverse

        slug = (provider or self.provider_a).slug
        return reverse(f"editor:{name}", args=[slug, *args])


@pytest.fixture
def spec_data() -> dict[str, Any]:
    return copy.deepcopy(SPEC)


@pytest.fixture
def editor_world(db: Any) -> EditorWorld:
    from django.contrib.auth import get_user_model

    from microcred_web.register import services
    from microcred_web.register.models import Agency, Membership, Provider, Role

    a = Provider.objects.create(
        slug="north-sea-university",
        legal_name={"en": "North Sea University"},
        kind="university",
        country="NL",
    )
    b = Provider.objects.create(
        slug="codecraft", legal_name={"en": "CodeCraft Academy"}, kind="company", country="DE"
    )
    agency = Agency.objects.create(slug="nvao", name={"en": "NVAO"}, acronym="NVAO")
    user_model = get_user_model()
    roles = {
        "operator": {"role": Role.OPERATOR},
        "staff_a": {"role": Role.PROVIDER, "provider": a},
        "staff_b": {"role": Role.PROVIDER, "provider": b},
        "agency": {"role": Role.AGENCY, "agency": agency},
        "nobody": None,
    }
    users = {}
    for name, membership in roles.items():
        user = user_model.objects.create(username=name, email=f"{name}@example.org")
        if membership is not None:
            Membership.objects.create(user=user, **membership)
        users[name] = user
    saved = services.save_specification(
        users["staff_a"], a, copy.deepcopy(SPEC), status="published"
    )
    assert saved.specification is not None and saved.outcome == "created", saved.findings
    return EditorWorld(a, b, saved.specification, users)
