"""Small builders for catalogue tests, writing through the register services where they exist.

Specifications go through ``save_specification`` / ``set_status`` (so validation, version
history and the index hooks run as in production). Providers, agencies and QA results have no
write service yet, so they are created with the ORM, and :func:`qa_result` re-indexes the
provider as a QA service would.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.test import TestCase

from microcred_web.catalogue import services as catalogue
from microcred_web.register import services
from microcred_web.register.models import Agency, Provider, QAResult, Specification

TODAY = date.today()

_SPEC: dict[str, Any] = {
    "title": {"en": "Data stewardship basics", "fr": "Bases de la gestion des données"},
    "description": {"en": "Plan, document and share research data."},
    "issuer_countries": ["NL"],
    "awarding_bodies": [
        {"name": {"en": "North Sea University"}, "country": "NL", "homepage": "https://nsu.example"}
    ],
    "learning_outcomes": [
        {
            "text": {"en": "Write a data management plan", "fr": "Rédiger un plan de gestion"},
            "esco_skill": "http://data.europa.eu/esco/skill/25f0ea33-1e42-4d1f-9ba1-3f5a3f5a3f5a",
        },
        {"text": {"en": "Apply the FAIR principles"}},
    ],
    "workload": {"ects": 5, "hours": 140},
    "level": {"eqf": 7, "qf_ehea": "second"},
    "assessment": {"types": ["project", "written-exam"]},
    "participation": {"mode": "blended", "scheduled": True},
    "quality_assurance": [{"type": "external-institutional", "agency": "NVAO"}],
    "prerequisites": {"en": "A bachelor's degree in any field"},
    "supervision": "supervised-onsite-id",
    "grade_scheme": {"en": "Pass or fail"},
    "stackability": {"option": "stackable", "towards": {"en": "MSc Data Science"}},
    "further_information": {"en": "Runs twice a year."},
    "fields_of_study": ["0613"],
    "languages": ["en"],
}


def spec_data(local_id: str, **changes: Any) -> dict[str, Any]:
    """A valid Annex I specification; keyword arguments replace top-level elements."""
    data = copy.deepcopy(_SPEC)
    data["id"] = local_id
    data.update(changes)
    return data


def operator() -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username="operator").first()
    return user or user_model.objects.create_superuser("operator", "op@example.org", "x")


def agency(slug: str = "nvao", acronym: str = "NVAO", *, eqar: bool = True) -> Agency:
    return Agency.objects.create(
        slug=slug,
        acronym=acronym,
        name={"en": f"{acronym} quality agency"},
        countries=["NL", "BE"],
        activities=["institutional", "programme"],
        website=f"https://{slug}.example",
        eqar_registered_since=date(2008, 1, 1) if eqar else None,
    )


def provider(
    slug: str = "north-sea-university",
    name: str = "North Sea University",
    *,
    kind: str = "university",
    country: str = "NL",
) -> Provider:
    return Provider.objects.create(
        slug=slug,
        legal_name={"en": name, "nl": f"{name} (nl)"},
        kind=kind,
        country=country,
        city="Leiden",
        website=f"https://{slug}.example",
        erasmus_code=f"NL {slug[:6].upper()}01",
    )


def qa_result(
    by: Agency,
    of: Provider,
    *,
    activity: str = "institutional",
    decision: str = "positive",
    valid_from: date | None = None,
    valid_until: date | None = None,
    covers: bool = True,
) -> QAResult:
    result = QAResult.objects.create(
        agency=by,
        activity=activity,
        decision=decision,
        valid_from=valid_from or TODAY - timedelta(days=365),
        valid_until=valid_until or TODAY + timedelta(days=3 * 365),
        covers_microcredentials=covers,
        report_url="https://reports.example/r1",
    )
    result.providers.add(of)
    with TestCase.captureOnCommitCallbacks(execute=True):
        catalogue.reindex_provider(of)
    return result


def save(owner: Provider, data: dict[str, Any], status: str | None = None) -> Specification:
    """Save through the register service, running the index hook even inside a test transaction."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        outcome = services.save_specification(operator(), owner, data, status=status)
    assert outcome.specification is not None, outcome.findings
    return outcome.specification


def publish(owner: Provider, local_id: str, **changes: Any) -> Specification:
    return save(owner, spec_data(local_id, **changes), status="published")


def set_status(spec: Specification, status: str) -> Specification:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.set_status(operator(), spec, status)
