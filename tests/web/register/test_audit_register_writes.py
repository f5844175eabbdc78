"""The audit log records every register write (provider, agency, QA result, specification:
create, update, status change) with the interface and the names of the fields changed, never
their values; an unchanged write records nothing."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from microcred_web.issuing.models import AuditEvent
from tests.web.register.conftest import World, spec


def send(client: Client, url: str, body: Any, world: World, who: str, method: str = "post") -> Any:
    response = getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=world.auth(who)
    )
    assert response.status_code < 300, response.content
    return response.json()


def actions() -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.exclude(action="token-created").order_by("pk")
    return list(rows.values_list("action", "actor_name", "interface"))


def test_provider_create_update_unchanged(client: Client, world: World) -> None:
    new = {"slug": "open-skills", "legal_name": {"en": "Open Skills"}, "kind": "ngo"}
    send(client, "/api/v1/providers", {**new, "country": "BE"}, world, "operator")
    send(client, "/api/v1/providers", {**new, "country": "BE"}, world, "operator")  # unchanged
    send(
        client,
        "/api/v1/providers/open-skills",
        {"city": "Gent", "website": "https://os.example"},
        world,
        "operator",
        "put",
    )
    assert actions() == [
        ("provider-created", "operator", "api"),
        ("provider-updated", "operator", "api"),
    ]
    created, updated = AuditEvent.objects.exclude(action="token-created").order_by("pk")
    assert created.target == "provider open-skills"
    assert created.details["fields"] == ["country", "kind", "legal_name", "slug"]
    assert updated.details["fields"] == ["city", "website"]
    assert updated.details["public_id"].startswith("P-")
    assert "Gent" not in json.dumps(updated.details) and "Gent" not in updated.reason


def test_agency_and_qa_result(client: Client, world: World) -> None:
    send(client, "/api/v1/agencies/nvao", {"acronym": "NVAO-2"}, world, "agency_x", "put")
    result = {
        "agency": "nvao",
        "local_id": "R-7",
        "activity": "institutional",
        "providers": ["north-sea-university"],
        "decision": "positive",
        "valid_from": "2024-01-01",
    }
    public_id = send(client, "/api/v1/qa-results", result, world, "agency_x")["record"]["public_id"]
    send(
        client,
        f"/api/v1/qa-results/{public_id}",
        {"providers": ["north-sea-university", "codecraft"], "decision": "negative"},
        world,
        "agency_x",
        "put",
    )
    assert actions() == [
        ("agency-updated", "agency_x", "api"),
        ("qa-result-created", "agency_x", "api"),
        ("qa-result-updated", "agency_x", "api"),
    ]
    agency, created, updated = AuditEvent.objects.exclude(action="token-created").order_by("pk")
    assert agency.details["fields"] == ["acronym"]
    assert created.target == "qa-result nvao/R-7"
    assert "providers" in created.details["fields"]
    assert updated.details["fields"] == ["decision", "providers"]


def test_specification_create_update_and_status(client: Client, world: World) -> None:
    url = "/api/v1/providers/north-sea-university/specifications"
    record = send(client, url, spec("A"), world, "staff_a")["record"]
    send(client, url, spec("A"), world, "staff_a")  # unchanged
    send(client, url, spec("A", title={"en": "Renamed"}), world, "staff_a")
    send(
        client,
        f"/api/v1/specifications/{record['public_id']}/status",
        {"status": "published"},
        world,
        "staff_a",
    )
    assert actions() == [
        ("specification-created", "staff_a", "api"),
        ("specification-updated", "staff_a", "api"),
        ("specification-status", "staff_a", "api"),
    ]
    _, updated, status = AuditEvent.objects.exclude(action="token-created").order_by("pk")
    assert updated.target == f"specification {record['public_id']}"
    assert updated.details["fields"] == ["title"]
    assert (status.details["before"], status.details["status"]) == ("draft", "published")
