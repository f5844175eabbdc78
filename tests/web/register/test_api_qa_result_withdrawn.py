"""A withdrawn QA result can no longer change through the API or an import (a new decision is a
new result), but sending it unchanged — an exported file imported again — is no error."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from microcred_web.register import exporting, importing, records
from microcred_web.register.qa_withdrawal import withdraw_qa_result

from .conftest import World


def _recorded(world: World) -> Any:
    outcome = records.save_qa_result(
        world.users["agency_x"],
        {
            "agency": "nvao",
            "local_id": "NVAO-9",
            "activity": "institutional",
            "providers": ["north-sea-university"],
            "decision": "positive",
            "valid_from": "2024-01-01",
            "covers_microcredentials": True,
        },
    )
    assert outcome.ok
    assert withdraw_qa_result(world.users["agency_x"], outcome.record, "recorded twice").ok
    return outcome.record


def test_put_on_a_withdrawn_result_is_refused(world: World) -> None:
    result = _recorded(world)
    response = Client().put(
        f"/api/v1/qa-results/{result.public_id}",
        data=json.dumps({"decision": "negative"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=world.auth("agency_x")["Authorization"],
    )
    assert response.status_code == 422
    assert response.json()["findings"][0]["code"] == "withdrawn"
    result.refresh_from_db()
    assert result.decision == "positive"
    body = Client().get(f"/api/v1/qa-results/{result.public_id}").json()
    assert body["state"] == "withdrawn" and body["withdrawn_reason"] == "recorded twice"


def test_an_export_with_a_withdrawn_result_imports_back_unchanged(world: World) -> None:
    _recorded(world)
    rows = exporting.register_document()["qa_results"]
    report = importing.import_bytes(
        json.dumps({"qa_results": rows}).encode(),
        kind="qa-results",
        user=world.users["operator"],
        name="register.json",
    )
    assert [row["outcome"] for row in report.as_dict()["rows"]] == ["unchanged"]
