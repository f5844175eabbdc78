"""Specification writes: create/update by local id, publish, and no reach into another provider."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from microcred_web.register.models import Specification
from tests.web.register.conftest import World, spec

URL = "/api/v1/providers/north-sea-university/specifications"


def post(client: Client, url: str, body: Any, world: World, who: str) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", headers=world.auth(who))


def test_create_update_unchanged(client: Client, world: World) -> None:
    created = post(client, URL, spec(), world, "staff_a")
    assert created.status_code == 201
    body = created.json()
    assert body["outcome"] == "created"
    assert body["record"]["status"] == "draft"
    assert body["record"]["local_id"] == "DS-101"

    same = post(client, URL, spec(), world, "staff_a")
    assert same.status_code == 200 and same.json()["outcome"] == "unchanged"

    changed = post(client, URL, spec(title={"en": "Data stewardship"}), world, "staff_a")
    assert changed.status_code == 200 and changed.json()["outcome"] == "updated"
    assert changed.json()["record"]["version"] == 2


def test_publish_through_query_and_status_endpoint(client: Client, world: World) -> None:
    published = post(client, URL + "?status=published", spec("A"), world, "staff_a").json()
    assert published["record"]["status"] == "published"

    draft = post(client, URL, spec("B"), world, "staff_a").json()["record"]
    response = post(
        client,
        f"/api/v1/specifications/{draft['public_id']}/status",
        {"status": "published"},
        world,
        "staff_a",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "published"


def test_rejected_specification_is_422_with_findings(client: Client, world: World) -> None:
    bad = spec(workload={"ects": "five"}, learning_outcomes=[])
    response = post(client, URL + "?status=published", bad, world, "staff_a")

    assert response.status_code == 422
    body = response.json()
    assert body["outcome"] == "rejected"
    paths = {f["path"] for f in body["findings"]}
    assert {"workload.ects", "learning_outcomes"} <= paths
    assert not Specification.objects.exists()


def test_missing_local_id_is_rejected(client: Client, world: World) -> None:
    data = spec()
    del data["id"]
    response = post(client, URL, data, world, "staff_a")

    assert response.status_code == 422
    assert any(f["path"] == "id" for f in response.json()["findings"])


def test_provider_a_cannot_create_update_or_publish_for_b(client: Client, world: World) -> None:
    b_url = "/api/v1/providers/codecraft/specifications"
    assert post(client, b_url, spec(), world, "staff_a").status_code == 403

    draft = post(client, b_url, spec(), world, "staff_b").json()["record"]
    assert post(client, b_url, spec(title={"en": "Hacked"}), world, "staff_a").status_code == 403
    status_url = f"/api/v1/specifications/{draft['public_id']}/status"
    # A draft of B is invisible to A: 404, its existence is not revealed.
    assert post(client, status_url, {"status": "published"}, world, "staff_a").status_code == 404
    post(client, status_url, {"status": "published"}, world, "staff_b")
    # Published and visible, but still not A's to withdraw.
    withdraw = post(client, status_url, {"status": "withdrawn"}, world, "staff_a")
    assert withdraw.status_code == 403
    assert "change the status" in withdraw.json()["detail"]
    stored = Specification.objects.get()
    assert stored.status == "published" and stored.data["title"]["en"] != "Hacked"


def test_publishing_a_record_with_errors_is_422(client: Client, world: World) -> None:
    draft = post(client, URL, spec(learning_outcomes=[]), world, "staff_a").json()["record"]
    response = post(
        client,
        f"/api/v1/specifications/{draft['public_id']}/status",
        {"status": "published"},
        world,
        "staff_a",
    )

    assert response.status_code == 422
    assert "errors" in response.json()["detail"]


def test_unknown_status_is_422(client: Client, world: World) -> None:
    draft = post(client, URL, spec(), world, "staff_a").json()["record"]
    response = post(
        client,
        f"/api/v1/specifications/{draft['public_id']}/status",
        {"status": "archived"},
        world,
        "staff_a",
    )
    assert response.status_code == 422
