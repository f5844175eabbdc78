"""QA results: agency staff record results of their own agency (for any provider)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from microcred_web.register.models import QAResult
from tests.web.register.conftest import World

RESULT = {
    "agency": "nvao",
    "local_id": "NVAO-2024-17",
    "activity": "institutional",
    "providers": ["north-sea-university"],
    "decision": "positive",
    "valid_from": "2024-01-01",
    "valid_until": "2030-12-31",
    "report_url": "https://reports.example/nvao-17.pdf",
    "covers_microcredentials": True,
}


def send(
    client: Client,
    body: Any,
    world: World,
    who: str,
    url: str = "/api/v1/qa-results",
    method: str = "post",
) -> Any:
    return getattr(client, method)(
        url, body, content_type="application/json", headers=world.auth(who)
    )


def test_agency_staff_record_a_result_and_standing_follows(client: Client, world: World) -> None:
    response = send(client, RESULT, world, "agency_x")

    assert response.status_code == 201
    record = response.json()["record"]
    assert record["public_id"].startswith("Q-")
    assert record["providers"] == ["north-sea-university"]
    provider = client.get("/api/v1/providers/north-sea-university").json()
    assert provider["qa_standing"]["quality_assured"] is True
    assert "NVAO" in provider["qa_standing"]["reason"]

    assert send(client, RESULT, world, "agency_x").json()["outcome"] == "unchanged"


def test_agency_x_cannot_record_for_agency_y(client: Client, world: World) -> None:
    response = send(client, {**RESULT, "agency": "aqas"}, world, "agency_x")

    assert response.status_code == 403
    assert "aqas" in response.json()["detail"]
    assert QAResult.objects.count() == 0


def test_agency_x_cannot_update_or_move_agency_y_results(client: Client, world: World) -> None:
    created = send(client, {**RESULT, "agency": "aqas"}, world, "agency_y").json()["record"]
    url = f"/api/v1/qa-results/{created['public_id']}"

    update = send(client, {"decision": "negative"}, world, "agency_x", url, "put")
    move = send(client, {"agency": "nvao"}, world, "agency_x", url, "put")

    assert update.status_code == 403
    assert move.status_code == 403
    assert QAResult.objects.get().decision == "positive"


def test_provider_staff_cannot_record_results(client: Client, world: World) -> None:
    assert send(client, RESULT, world, "staff_a").status_code == 403


def test_operator_may_record_for_any_agency(client: Client, world: World) -> None:
    assert send(client, {**RESULT, "agency": "aqas"}, world, "operator").status_code == 201


def test_unknown_references_and_bad_dates_are_findings(client: Client, world: World) -> None:
    bad = {**RESULT, "providers": ["north-sea-university", "ghost"], "valid_until": "2020-01-01"}
    response = send(client, bad, world, "agency_x")

    assert response.status_code == 422
    found = {(f["code"], f["path"]) for f in response.json()["findings"]}
    assert found == {("unknown-reference", "providers.1"), ("invalid-value", "valid_until")}


def test_wrong_decision_is_422_naming_the_field(client: Client, world: World) -> None:
    response = send(client, {**RESULT, "decision": "excellent"}, world, "agency_x")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "decision"
