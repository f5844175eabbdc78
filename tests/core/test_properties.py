"""Property-based tests of the model and validation (hypothesis)."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.standard.findings import CODES
from microcred.standard.json_format import spec_to_dict
from microcred.standard.model import MicroCredentialSpec
from microcred.standard.validation import HOURS_PER_ECTS, parse_spec, validate_spec
from microcred.standard.vocab import vocabulary
from tests.core.samples import valid_spec

MANDATORY = (
    "title",
    "issuer_countries",
    "awarding_bodies",
    "learning_outcomes",
    "workload",
    "assessment",
    "participation",
    "quality_assurance",
)

lang = st.sampled_from(["en", "fr", "de", "nl", "pt-BR", "ga"])
text = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")
langmap = st.dictionaries(lang, text, min_size=1, max_size=3)


def codes(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(t.code for t in vocabulary(name)))


specs = st.builds(
    MicroCredentialSpec,
    id=st.none() | st.text(max_size=10),
    title=langmap,
    issuer_countries=st.lists(codes("countries"), max_size=2, unique=True),
    awarding_bodies=st.lists(
        st.fixed_dictionaries({"name": langmap, "country": st.none() | codes("countries")}),
        max_size=2,
    ),
    learning_outcomes=st.lists(st.fixed_dictionaries({"text": langmap}), max_size=3),
    workload=st.none()
    | st.fixed_dictionaries(
        {
            "ects": st.none() | st.floats(min_value=0.5, max_value=90, allow_nan=False),
            "hours": st.none() | st.floats(min_value=1, max_value=2000, allow_nan=False),
        }
    ),
    level=st.none()
    | st.fixed_dictionaries(
        {"eqf": st.none() | st.integers(1, 8), "qf_ehea": st.none() | codes("qf-ehea")}
    ),
    assessment=st.none() | st.fixed_dictionaries({"types": st.lists(codes("assessment-types"))}),
    participation=st.none()
    | st.fixed_dictionaries(
        {"mode": codes("participation-modes"), "scheduled": st.none() | st.booleans()}
    ),
    quality_assurance=st.lists(st.fixed_dictionaries({"type": codes("qa-types")}), max_size=2),
    supervision=st.none() | codes("supervision"),
    fields_of_study=st.lists(codes("isced-f"), max_size=3, unique=True),
    languages=st.lists(codes("languages"), max_size=2, unique=True),
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)


@given(specs)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_json_round_trip_is_lossless(spec: MicroCredentialSpec) -> None:
    text_form = json.dumps(spec_to_dict(spec))
    again, report = parse_spec(json.loads(text_form))
    assert again == spec
    assert [f.as_dict() for f in report] == [f.as_dict() for f in validate_spec(spec)]


@given(json_values)
@settings(max_examples=300)
def test_arbitrary_json_never_raises(value: Any) -> None:
    _, report = parse_spec(value)
    assert all(f.code in CODES for f in report)


@given(
    st.fixed_dictionaries(
        {k: json_values for k in (*MANDATORY, "level", "supervision", "url")}, optional={}
    )
)
@settings(max_examples=200)
def test_wrong_shapes_in_known_elements_are_findings(value: dict[str, Any]) -> None:
    spec, report = parse_spec(value)
    assert spec is not None
    assert all(f.code in CODES for f in report)


@given(st.sampled_from(MANDATORY))
def test_removing_a_mandatory_element_is_an_error_naming_it(element: str) -> None:
    data = valid_spec()
    del data[element]
    _, report = parse_spec(data)
    assert not report.ok
    assert any(f.path.split(".")[0] == element for f in report.errors)


@given(
    st.floats(min_value=0.1, max_value=59.9, allow_nan=False),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_hours_within_25_to_30_per_ects_are_consistent(ects: float, t: float) -> None:
    low, high = HOURS_PER_ECTS
    hours = low * ects + t * (high - low) * ects
    hours = min(max(hours, low * ects), high * ects)
    data = valid_spec()
    data["workload"] = {"ects": ects, "hours": hours}
    _, report = parse_spec(data)
    assert [f.code for f in report] == []


@given(st.floats(min_value=0.1, max_value=59.9), st.floats(min_value=0.1, max_value=5000))
def test_hours_outside_range_warn(ects: float, hours: float) -> None:
    low, high = HOURS_PER_ECTS
    data = valid_spec()
    data["workload"] = {"ects": ects, "hours": hours}
    _, report = parse_spec(data)
    inside = low * ects <= hours <= high * ects
    assert ("workload-hours-mismatch" in {f.code for f in report}) is (not inside)
    assert report.ok


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_workload_numbers_never_crash(ects: float) -> None:
    data = valid_spec()
    data["workload"] = {"ects": ects}
    _, report = parse_spec(data)
    codes_found = {f.code for f in report}
    if not math.isfinite(ects):
        assert "invalid-value" in codes_found
    elif ects <= 0:
        assert "workload-not-positive" in codes_found
    elif ects >= 60:
        assert codes_found == {"workload-not-micro"}
    else:
        assert codes_found == set()
