"""Open data export: register and catalogue as JSON and CSV; nothing personal in any of it."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from microcred_web.register import exporting
from microcred_web.register.importing import import_bytes
from microcred_web.register.models import ApiToken, Provider, QAResult
from microcred_web.register.services import save_specification
from tests.web.register.conftest import World, spec


@pytest.fixture
def filled(world: World) -> World:
    operator = world.users["operator"]
    result = QAResult.objects.create(
        agency=world.agency_x,
        activity="institutional",
        decision="positive",
        valid_from=date(2020, 1, 1),
        covers_microcredentials=True,
        local_id="R-1",
        report_url="https://reports.example/r1.pdf",
    )
    result.providers.add(world.provider_a)
    save_specification(operator, world.provider_a, spec("PUB"), status="published")
    save_specification(operator, world.provider_a, spec("DRAFT"))
    save_specification(operator, world.provider_b, spec("BAD", learning_outcomes=[]))
    return world


def test_register_json(filled: World) -> None:
    doc = exporting.register_document()

    assert doc["licence"].startswith("https://creativecommons.org/")
    assert [p["slug"] for p in doc["providers"]] == ["codecraft", "north-sea-university"]
    nsu = doc["providers"][1]
    assert nsu["qa_standing"]["quality_assured"] is True
    assert [a["slug"] for a in doc["agencies"]] == ["aqas", "nvao"]
    assert doc["qa_results"][0]["providers"] == ["north-sea-university"]


def test_catalogue_has_only_published_error_free_specifications(filled: World) -> None:
    doc = exporting.catalogue_document(base="https://register.example")

    assert [s["local_id"] for s in doc["catalogue"]] == ["PUB"]
    entry = doc["catalogue"][0]
    assert entry["url"].startswith("https://register.example/catalogue/specifications/S-")
    assert entry["specification"]["title"]["en"] == "Data stewardship basics"


def test_register_csv_round_trips_through_import(filled: World, tmp_path: Path) -> None:
    written = exporting.write_export("register", "csv", tmp_path / "out")

    assert {p.name for p in written} == {"providers.csv", "agencies.csv", "qa-results.csv"}
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "providers.csv").read_text())))
    assert rows[1]["slug"] == "north-sea-university"
    assert rows[1]["legal_name@en"] == "North Sea University"
    assert rows[1]["quality_assured"] == "true"
    for kind, name in (
        ("providers", "providers.csv"),
        ("agencies", "agencies.csv"),
        ("qa-results", "qa-results.csv"),
    ):
        report = import_bytes(
            (tmp_path / "out" / name).read_bytes(), kind=kind, user=filled.users["operator"]
        )
        assert {r.outcome for r in report.rows} == {"unchanged"}, (kind, report.as_dict())


def test_catalogue_csv_files_are_importable_per_provider(filled: World, tmp_path: Path) -> None:
    written = exporting.write_export("catalogue", "csv", tmp_path / "cat")

    names = sorted(str(p.relative_to(tmp_path / "cat")) for p in written)
    assert names == ["catalogue.csv", "specifications/north-sea-university.csv"]
    index = list(csv.DictReader(io.StringIO((tmp_path / "cat" / "catalogue.csv").read_text())))
    assert [(r["local_id"], r["ects"], r["eqf"]) for r in index] == [("PUB", "5", "7")]
    data = (tmp_path / "cat" / "specifications" / "north-sea-university.csv").read_bytes()
    report = import_bytes(
        data, kind="specifications", user=filled.users["operator"], provider=filled.provider_a
    )
    assert [r.outcome for r in report.rows] == ["unchanged"]


def test_formats_are_checked(filled: World, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="jsonld"):
        exporting.write_export("achievements", "csv", tmp_path / "x")
    with pytest.raises(ValueError, match="unknown export"):
        exporting.write_export("users", "json", tmp_path / "x")


def test_no_personal_data_in_any_export(filled: World, tmp_path: Path) -> None:
    user = filled.users["staff_a"]
    user.first_name, user.last_name = "Ada", "Lovelace-Secret"
    user.save()
    Provider.objects.filter(pk=filled.provider_a.pk).update(city="Groningen")
    texts = [
        json.dumps(exporting.register_document()),
        json.dumps(exporting.catalogue_document()),
        json.dumps(list(exporting.achievements())),
    ]
    for fmt, what in (("csv", "register"), ("csv", "catalogue")):
        for path in exporting.write_export(what, fmt, tmp_path / what):
            texts.append(path.read_text())
    everything = "\n".join(texts)

    secrets = [
        *filled.tokens.values(),
        *ApiToken.objects.values_list("digest", flat=True),
        *ApiToken.objects.values_list("prefix", flat=True),
    ]
    for name, account in filled.users.items():
        secrets += [account.email, f'"{name}"', account.password or "x" * 40]
    secrets += ["Lovelace-Secret", "membership", "password", "last_login"]
    leaked = [s for s in secrets if s and s in everything]
    assert leaked == []
