"""Every finding code, triggered by a minimal change to a valid specification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from microcred.standard.findings import CODES, Severity
from microcred.standard.model import IssuedCredential, MicroCredentialSpec
from microcred.standard.validation import parse_credential, parse_spec, validate_spec
from tests.core.samples import valid_spec

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = d
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _del(key: str) -> Mutation:
    return lambda d: d.pop(key)


# code -> list of (mutation, expected path) that must each produce that code.
CASES: dict[str, list[tuple[Mutation, str]]] = {
    "missing-element": [
        (_del("title"), "title"),
        (_del("issuer_countries"), "issuer_countries"),
        (_del("awarding_bodies"), "awarding_bodies"),
        (_set("awarding_bodies.0.name", {}), "awarding_bodies[0].name"),
        (_del("learning_outcomes"), "learning_outcomes"),
        (_del("workload"), "workload"),
        (_set("workload", {}), "workload"),
        (_del("assessment"), "assessment"),
        (_del("participation"), "participation.mode"),
        (_del("quality_assurance"), "quality_assurance"),
        (_set("quality_assurance.0", {"agency": "NVAO"}), "quality_assurance[0].type"),
    ],
    "missing-level": [(_del("level"), "level")],
    "unknown-code": [
        (_set("issuer_countries", ["XX"]), "issuer_countries[0]"),
        (_set("fields_of_study", ["0613x"]), "fields_of_study[0]"),
        (_set("languages", ["zz"]), "languages[0]"),
        (_set("assessment.types", ["exam-by-pigeon"]), "assessment.types[0]"),
        (_set("participation.mode", "blnded"), "participation.mode"),
        (_set("quality_assurance.0.type", "external"), "quality_assurance[0].type"),
        (_set("supervision", "proctored"), "supervision"),
        (_set("stackability.option", "stack"), "stackability.option"),
        (_set("level.eqf", 9), "level.eqf"),
        (_set("level.qf_ehea", "fourth"), "level.qf_ehea"),
        (_set("awarding_bodies.0.country", "UK"), "awarding_bodies[0].country"),
    ],
    "invalid-value": [
        (_set("workload.ects", "five"), "workload.ects"),
        (_set("level.eqf", "seven"), "level.eqf"),
        (_set("title", "Data stewardship"), "title"),
        (_set("workload.hours", float("nan")), "workload.hours"),
    ],
    "unknown-element": [(_set("ects", 5), "ects")],
    "level-cycle-mismatch": [(_set("level.eqf", 6), "level")],
    "workload-not-positive": [
        (_set("workload", {"ects": 0}), "workload.ects"),
        (_set("workload", {"hours": -3}), "workload.hours"),
    ],
    "workload-not-micro": [(_set("workload", {"ects": 60}), "workload.ects")],
    "workload-hours-mismatch": [
        (_set("workload", {"ects": 5, "hours": 40}), "workload"),
        (_set("workload", {"ects": 5, "hours": 151}), "workload"),
    ],
    "empty-outcome": [
        (_set("learning_outcomes.1.text", {"en": "  "}), "learning_outcomes[1].text")
    ],
    "empty-text": [(_set("prerequisites", {"en": ""}), "prerequisites")],
    "invalid-language-tag": [(_set("title", {"english": "Data"}), "title.english")],
    "invalid-uri": [
        (_set("learning_outcomes.0.esco_skill", "write a DMP"), "learning_outcomes[0].esco_skill"),
        (_set("url", "www.example.org"), "url"),
    ],
    "no-english": [(_set("title", {"fr": "Bases"}), "title")],
    "duplicate-value": [(_set("issuer_countries", ["NL", "nl"]), "issuer_countries[1]")],
}


#: Codes that only a reader raises, about the file rather than the record (parse_spec never sees
#: them): each has its own tests (csv-formula: tests/core/test_csv_formula.py).
READER_CODES = {"csv-formula"}


def test_every_code_has_cases() -> None:
    assert set(CASES) == set(CODES) - READER_CODES


def test_valid_spec_has_no_findings() -> None:
    spec, report = parse_spec(valid_spec())
    assert spec is not None
    assert [f.as_dict() for f in report] == []


@pytest.mark.parametrize(
    ("code", "mutate", "path"),
    [(code, m, p) for code, cases in CASES.items() for m, p in cases],
)
def test_finding(code: str, mutate: Mutation, path: str) -> None:
    data = valid_spec()
    mutate(data)
    _, report = parse_spec(data)
    hits = [f for f in report if f.code == code and f.path == path]
    assert hits, f"expected {code} at {path}, got {[f.as_dict() for f in report]}"
    assert hits[0].message
    assert report.ok is (CODES[code].severity is Severity.WARNING and not report.errors)


def test_unknown_code_suggests_nearest() -> None:
    data = valid_spec()
    data["participation"]["mode"] = "blnded"
    _, report = parse_spec(data)
    (finding,) = [f for f in report if f.code == "unknown-code"]
    assert finding.suggestions[0] == "blended"
    assert "did you mean 'blended'" in finding.message


def test_cycle_mismatch_names_both_levels() -> None:
    data = valid_spec()
    data["level"] = {"eqf": 5, "qf_ehea": "third"}
    _, report = parse_spec(data)
    (finding,) = [f for f in report if f.code == "level-cycle-mismatch"]
    assert "EQF level 5" in finding.message and "EQF level 8" in finding.message


def test_fractional_ects_are_fine() -> None:
    data = valid_spec()
    data["workload"] = {"ects": 2.5, "hours": 70}
    spec, report = parse_spec(data)
    assert report.ok and not report.warnings
    assert spec is not None and spec.workload is not None and spec.workload.ects == 2.5


def test_hours_only_workload_is_accepted() -> None:
    data = valid_spec()
    data["workload"] = {"hours": 40}
    _, report = parse_spec(data)
    assert report.ok


def test_several_bad_elements_all_reported_in_one_pass() -> None:
    data = valid_spec()
    data["workload"]["ects"] = "five"
    data["level"]["eqf"] = "seven"
    data["learning_outcomes"][0]["text"] = {"en": 3}
    data["colour"] = "blue"
    del data["quality_assurance"]
    _, report = parse_spec(data)
    paths = {(f.code, f.path) for f in report}
    assert ("invalid-value", "workload.ects") in paths
    assert ("invalid-value", "level.eqf") in paths
    assert ("invalid-value", "learning_outcomes[0].text.en") in paths
    assert ("unknown-element", "colour") in paths
    assert ("missing-element", "quality_assurance") in paths


def test_bad_list_items_removed_without_shifting_others() -> None:
    data = valid_spec()
    data["issuer_countries"] = [1, "NL", 2, "BE", {"x": 1}]
    spec, report = parse_spec(data)
    assert spec is not None
    assert spec.issuer_countries == ["NL", "BE"]
    bad = sorted(f.path for f in report if f.code == "invalid-value")
    assert bad == ["issuer_countries[0]", "issuer_countries[2]", "issuer_countries[4]"]


def test_bad_element_inside_list_item_keeps_the_item() -> None:
    data = valid_spec()
    data["learning_outcomes"] = [{"text": 1}, {"text": {"en": "ok"}}]
    spec, report = parse_spec(data)
    assert spec is not None and len(spec.learning_outcomes) == 2
    found = {(f.code, f.path) for f in report}
    assert ("invalid-value", "learning_outcomes[0].text") in found
    assert ("empty-outcome", "learning_outcomes[0].text") in found


@pytest.mark.parametrize("data", [None, [], "spec", 3])
def test_non_object_is_reported_not_raised(data: object) -> None:
    spec, report = parse_spec(data)
    assert spec is None
    assert [f.code for f in report] == ["invalid-value"]


def test_credential_side_elements() -> None:
    cred, report = parse_credential({"specification": valid_spec()})
    assert cred is not None
    missing = {f.path for f in report if f.code == "missing-element"}
    assert missing == {"learner", "issued_on"}
    cred, report = parse_credential(
        {
            "specification": valid_spec(),
            "learner": {"identifier": "urn:example:learner:42"},
            "issued_on": "2026-06-30T12:00:00Z",
            "grade": {"en": "Pass"},
        }
    )
    assert isinstance(cred, IssuedCredential) and report.ok


def test_credential_prefixes_specification_paths() -> None:
    data = valid_spec()
    del data["title"]
    _, report = parse_credential(
        {"specification": data, "learner": {"name": "A"}, "issued_on": "2026-01-01"}
    )
    assert [f.path for f in report.errors] == ["specification.title"]


def test_validate_spec_accepts_model() -> None:
    spec = MicroCredentialSpec.model_validate(valid_spec())
    assert validate_spec(spec).ok
