"""Published specifications as Open Badges 3.0 ``Achievement`` objects, checked against the
Achievement definition of the official OBv3 JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from microcred_web.register import exporting
from microcred_web.register.services import save_specification
from tests.core.samples import FIXTURES
from tests.web.register.conftest import World, spec

SCHEMA_FILE = FIXTURES / "obv3" / "ob_v3p0_achievementcredential_schema.json"


def achievement_validator() -> jsonschema.Draft201909Validator:
    """A validator for ``$defs/Achievement``, with the other definitions reachable."""
    full = json.loads(SCHEMA_FILE.read_text())
    schema = {
        "$schema": full["$schema"],
        "$defs": full["$defs"],
        "$ref": "#/$defs/Achievement",
    }
    return jsonschema.Draft201909Validator(schema)


def _publish(world: World, local_id: str, **changes: Any) -> None:
    outcome = save_specification(
        world.users["operator"], world.provider_a, spec(local_id, **changes), status="published"
    )
    assert outcome.specification is not None and outcome.specification.in_catalogue


def test_achievements_are_valid_obv3(world: World) -> None:
    _publish(world, "FULL")
    _publish(
        world,
        "PLAIN",
        grade_scheme=None,
        description=None,
        languages=[],
        fields_of_study=[],
        learning_outcomes=[{"text": {"en": "Do a thing"}}],
    )
    validator = achievement_validator()

    items = list(exporting.achievements(base="https://register.example"))

    assert len(items) == 2
    for item in items:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(item)]
        assert errors == []


def test_achievement_fields(world: World) -> None:
    _publish(world, "FULL")
    [item] = exporting.achievements(base="https://register.example")

    assert item["@context"][-1] == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    assert item["type"] == ["Achievement"]
    assert item["id"].startswith("https://register.example/catalogue/specifications/S-")
    assert item["name"] == "Data stewardship basics"
    assert item["achievementType"] == "MicroCredential"
    assert item["creditsAvailable"] == 5.0
    assert item["inLanguage"] == "en"
    assert item["fieldOfStudy"]
    assert "- Write a data management plan" in item["criteria"]["narrative"]
    esco = [a for a in item["alignment"] if a.get("targetFramework") == "ESCO"]
    assert esco[0]["targetUrl"].startswith("http://data.europa.eu/esco/skill/")
    assert esco[0]["targetName"] == "Write a data management plan"
    assert any(a["targetUrl"] == "http://data.europa.eu/snb/eqf/7" for a in item["alignment"])
    assert item["creator"]["type"] == ["Profile"]
    assert item["creator"]["name"] == "North Sea University"
    assert item["resultDescription"][0]["name"] == "Pass or fail"


def test_the_validator_does_catch_a_broken_achievement(world: World) -> None:
    _publish(world, "FULL")
    [item] = exporting.achievements()
    del item["criteria"]
    item["achievementType"] = "Whatever"

    assert len(list(achievement_validator().iter_errors(item))) == 2


def test_jsonld_file(world: World, tmp_path: Path) -> None:
    _publish(world, "FULL")
    [path] = exporting.write_export("achievements", "jsonld", tmp_path / "a.jsonld")
    assert json.loads(path.read_text())[0]["type"] == ["Achievement"]


@pytest.mark.parametrize("fmt", ["json", "jsonld"])
def test_json_is_an_alias_for_achievements(world: World, tmp_path: Path, fmt: str) -> None:
    assert exporting.write_export("achievements", fmt, tmp_path / "a.json")
