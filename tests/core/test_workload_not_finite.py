"""A workload string that overflows to infinity ("1e999") is reported, never kept: a float no
JSON document or database can hold would fail the save with a server error."""

from __future__ import annotations

import json

import pytest

from microcred.standard.json_format import spec_to_dict
from microcred.standard.validation import parse_spec
from tests.core.samples import valid_spec


@pytest.mark.parametrize("value", ["1e999", "-1e999", "nan", "inf", float("inf")])
def test_non_finite_workload_is_invalid_and_left_out(value: object) -> None:
    data = valid_spec()
    data["workload"] = {"ects": value, "hours": 140}
    spec, report = parse_spec(data)
    assert ("invalid-value", "workload.ects") in {(f.code, f.path) for f in report}
    assert spec is not None and spec.workload is not None and spec.workload.ects is None
    json.dumps(spec_to_dict(spec), allow_nan=False)  # storable
