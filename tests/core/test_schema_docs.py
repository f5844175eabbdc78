"""The JSON Schema published in docs/ is the one generated from the model."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from microcred.commands.schema import json_schema
from tests.core.samples import valid_spec

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schema"


@pytest.mark.parametrize("kind", ["specification", "credential"])
def test_published_schema_is_current(kind: str) -> None:
    published = json.loads((DOCS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(kind), (
        f"docs/schema/{kind}.schema.json is stale: regenerate with "
        f"`microcred schema {kind} > docs/schema/{kind}.schema.json`"
    )


def test_valid_spec_passes_schema_and_wrong_types_fail() -> None:
    schema = json_schema("specification")
    jsonschema.validate(valid_spec(), schema)
    bad = valid_spec()
    bad["workload"] = {"ects": "five"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_findings_doc_is_current() -> None:
    from microcred.standard.findings import codes_markdown

    doc = (DOCS.parent / "findings.md").read_text(encoding="utf-8")
    assert doc == codes_markdown(), "regenerate docs/findings.md from codes_markdown()"
