"""Provider writes: operator creates, provider staff update only their own provider."""

from __future__ import annotations

from typing import Any

from django.test import Client

from microcred_web.register.models import Provider
from tests.web.register.conftest import World

NEW = {
    "slug": "open-skills-ngo",
    "legal_name": {"en": "Open Skills"},
    "kind": "ngo",
    "country": "BE",
    "website": "https://openskills.example",
}


def post(client: Client, url: str, body: Any, world: World, who: str, method: str = "post") -> Any:
    send = getattr(client, method)
    return send(url, body, content_type="application/json", headers=world.auth(who))


def test_operator_creates_then_repeat_is_unchanged(client: Client, world: World) -> None:
    first = post(client, "/api/v1/providers", NEW, world, "operator")
    assert first.status_code == 201
    body = first.json()
    assert body["outcome"] == "created"
    assert body["record"]["slug"] == "open-skills-ngo"
    assert body["record"]["public_id"].startswith("P-")

    again = post(client, "/api/v1/providers", NEW, world, "operator")
    assert again.status_code == 200
    assert again.json()["outcome"] == "unchanged"


def test_provider_staff_cannot_create_providers(client: Client, world: World) -> None:
    response = post(client, "/api/v1/providers", NEW, world, "staff_a")

    assert response.status_code == 403
    assert "create providers" in response.json()["detail"]
    assert not Provider.objects.filter(slug="open-skills-ngo").exists()


def test_staff_update_own_provider(client: Client, world: World) -> None:
    response = post(
        client,
        "/api/v1/providers/north-sea-university",
        {"city": "Leeuwarden"},
        world,
        "staff_a",
        "put",
    )

    assert response.status_code == 200
    assert response.json()["outcome"] == "updated"
    world.provider_a.refresh_from_db()
    assert world.provider_a.city == "Leeuwarden"
    assert world.provider_a.country == "NL"  # fields not sent are left alone


def test_provider_a_cannot_update_provider_b(client: Client, world: World) -> None:
    by_put = post(
        client,
        f"/api/v1/providers/{world.provider_b.public_id}",
        {"city": "Evil"},
        world,
        "staff_a",
        "put",
    )
    by_post = post(
        client, "/api/v1/providers", {"slug": "codecraft", "city": "Evil"}, world, "staff_a"
    )

    assert by_put.status_code == 403
    assert by_post.status_code == 403
    assert "edit codecraft" in by_put.json()["detail"]
    world.provider_b.refresh_from_db()
    assert world.provider_b.city == ""


def test_agency_staff_cannot_edit_providers(client: Client, world: World) -> None:
    response = post(client, "/api/v1/providers/codecraft", {"city": "X"}, world, "agency_x", "put")
    assert response.status_code == 403


def test_relations_are_set_and_replaced(client: Client, world: World) -> None:
    body = {"relations": [{"kind": "alliance-partner", "target": "codecraft", "label": "EDU"}]}
    response = post(
        client, "/api/v1/providers/north-sea-university", body, world, "operator", "put"
    )

    assert response.status_code == 200
    assert response.json()["record"]["relations"] == [
        {"kind": "alliance-partner", "target": "codecraft", "label": "EDU"}
    ]
    again = post(client, "/api/v1/providers/north-sea-university", body, world, "operator", "put")
    assert again.json()["outcome"] == "unchanged"


def test_invalid_values_are_422_with_findings(client: Client, world: World) -> None:
    bad = {**NEW, "country": "XX", "kind": "castle", "website": "ftp://x", "colour": "red"}
    response = post(client, "/api/v1/providers", bad, world, "operator")

    assert response.status_code == 422
    paths = {tuple(e["loc"][-1:]) for e in response.json()["errors"]}
    assert {("country",), ("kind",), ("website",), ("colour",)} <= paths


def test_missing_mandatory_fields_are_findings(client: Client, world: World) -> None:
    response = post(client, "/api/v1/providers", {"slug": "half-done"}, world, "operator")

    assert response.status_code == 422
    body = response.json()
    assert body["outcome"] == "rejected"
    assert {f["path"] for f in body["findings"]} == {"legal_name", "kind", "country"}
    assert all(f["code"] == "missing-element" for f in body["findings"])


def test_unknown_provider_is_404(client: Client, world: World) -> None:
    response = post(client, "/api/v1/providers/nope", {"city": "X"}, world, "operator", "put")
    assert response.status_code == 404
