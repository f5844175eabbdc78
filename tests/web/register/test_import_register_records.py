"""Bulk import of providers, agencies and QA results from JSON and CSV."""

from __future__ import annotations

import json

import pytest

from microcred_web.register.importing import ImportFileError, import_bytes
from microcred_web.register.models import Agency, Provider, QAResult
from tests.web.register.conftest import World

PROVIDERS_CSV = (
    "slug,legal_name@en,legal_name@nl,kind,country,city,website,relations\n"
    "delta-hogeschool,Delta University of Applied Sciences,Hogeschool Delta,"
    "university-applied-sciences,NL,Delft,https://delta.example,\n"
    "bad-row,Bad,,castle,ZZ,,,\n"
    "delta-lab,Delta Lab,,company,NL,,,faculty-of:delta-hogeschool:Lab\n"
)


def test_providers_csv_report_per_row_and_idempotent(world: World) -> None:
    user = world.users["operator"]
    report = import_bytes(PROVIDERS_CSV.encode(), kind="providers", user=user, name="p.csv")

    assert [(r.key, r.outcome) for r in report.rows] == [
        ("delta-hogeschool", "created"),
        ("bad-row", "rejected"),
        ("delta-lab", "created"),
    ]
    assert {f["path"] for f in report.rows[1].findings} == {"kind", "country"}
    assert report.rows[0].row == "p.csv:row 2"
    delta = Provider.objects.get(slug="delta-hogeschool")
    assert delta.legal_name == {
        "en": "Delta University of Applied Sciences",
        "nl": "Hogeschool Delta",
    }
    lab = Provider.objects.get(slug="delta-lab")
    assert [(r.kind, r.target.slug, r.label) for r in lab.relations.all()] == [
        ("faculty-of", "delta-hogeschool", "Lab")
    ]

    again = import_bytes(PROVIDERS_CSV.encode(), kind="providers", user=user)
    assert [r.outcome for r in again.rows] == ["unchanged", "rejected", "unchanged"]


def test_agencies_json_and_qa_results_csv(world: World) -> None:
    user = world.users["operator"]
    agencies = {
        "agencies": [
            {
                "slug": "a3es",
                "name": {"en": "A3ES"},
                "acronym": "A3ES",
                "countries": ["PT"],
                "eqar_registered_since": "2012-01-01",
                "activities": ["institutional"],
            },
            {"slug": "nvao", "website": "https://nvao.example"},
            {"slug": "broken", "acronym": ""},
        ]
    }
    report = import_bytes(json.dumps(agencies).encode(), kind="agencies", user=user)
    assert [r.outcome for r in report.rows] == ["created", "updated", "rejected"]
    assert Agency.objects.get(slug="a3es").countries == ["PT"]

    results = (
        "agency,local_id,activity,providers,decision,valid_from,valid_until,"
        "covers_microcredentials\n"
        "nvao,N-1,institutional,north-sea-university;codecraft,positive,2024-01-01,2030-01-01,yes\n"
        "nvao,N-2,programme,ghost-provider,negative,2024-01-01,,no\n"
        "a3es,A-1,other,codecraft,not-applicable,2023-05-01,,\n"
    )
    first = import_bytes(results.encode(), kind="qa-results", user=user)
    assert [(r.key, r.outcome) for r in first.rows] == [
        ("nvao/N-1", "created"),
        ("nvao/N-2", "rejected"),
        ("a3es/A-1", "created"),
    ]
    assert first.rows[1].findings[0]["code"] == "unknown-reference"
    n1 = QAResult.objects.get(local_id="N-1")
    assert n1.covers_microcredentials is True
    assert {p.slug for p in n1.providers.all()} == {"north-sea-university", "codecraft"}

    again = import_bytes(results.encode(), kind="qa-results", user=user)
    assert [r.outcome for r in again.rows] == ["unchanged", "rejected", "unchanged"]
    assert QAResult.objects.count() == 2


def test_agency_staff_import_only_their_own_results(world: World) -> None:
    rows = [
        {
            "agency": "nvao",
            "local_id": "N-9",
            "activity": "institutional",
            "providers": ["codecraft"],
            "decision": "positive",
            "valid_from": "2024-01-01",
        },
        {
            "agency": "aqas",
            "local_id": "Q-9",
            "activity": "institutional",
            "providers": ["codecraft"],
            "decision": "positive",
            "valid_from": "2024-01-01",
        },
    ]
    report = import_bytes(
        json.dumps(rows).encode(), kind="qa-results", user=world.users["agency_x"]
    )

    assert [r.outcome for r in report.rows] == ["created", "rejected"]
    assert report.rows[1].findings[0]["code"] == "forbidden"
    assert list(QAResult.objects.values_list("local_id", flat=True)) == ["N-9"]


def test_unknown_csv_column_rejects_the_file_with_a_hint(world: World) -> None:
    with pytest.raises(ImportFileError, match="did you mean 'country'"):
        import_bytes(b"slug,contry\nx,NL\n", kind="providers", user=world.users["operator"])


def test_unknown_kind(world: World) -> None:
    with pytest.raises(ImportFileError, match="unknown kind"):
        import_bytes(b"[]", kind="learners", user=world.users["operator"])
