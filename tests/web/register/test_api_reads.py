"""Read endpoints: providers (with QA standing), agencies, QA results, specifications."""

from __future__ import annotations

from datetime import date

from django.test import Client

from microcred_web.register import services
from microcred_web.register.models import Provider, QAResult
from tests.web.register.conftest import World, spec


def _result(world: World) -> QAResult:
    result = QAResult.objects.create(
        agency=world.agency_x,
        activity="institutional",
        decision="positive",
        valid_from=date(2020, 1, 1),
        valid_until=date(2099, 1, 1),
        covers_microcredentials=True,
        local_id="R-1",
    )
    result.providers.add(world.provider_a)
    return result


def test_list_providers_is_paginated(client: Client, world: World) -> None:
    for i in range(5):
        Provider.objects.create(
            slug=f"p-{i}", legal_name={"en": f"P {i}"}, kind="other", country="FR"
        )

    page = client.get("/api/v1/providers?per_page=3&page=2").json()

    assert page["count"] == 7
    assert (page["page"], page["per_page"]) == (2, 3)
    assert [p["slug"] for p in page["items"]] == ["p-1", "p-2", "p-3"]
    assert client.get("/api/v1/providers?country=de").json()["count"] == 1
    assert client.get("/api/v1/providers?per_page=1000").status_code == 422
    assert client.get("/api/v1/providers?page=0").status_code == 422


def test_provider_by_slug_or_public_id_has_qa_standing(client: Client, world: World) -> None:
    _result(world)

    by_slug = client.get("/api/v1/providers/north-sea-university").json()
    by_id = client.get(f"/api/v1/providers/{world.provider_a.public_id}").json()

    assert by_slug == by_id
    standing = by_slug["qa_standing"]
    assert standing["quality_assured"] is True
    assert standing["reason"]
    assert standing["basis"]["agency"] == "NVAO"
    other = client.get("/api/v1/providers/codecraft").json()["qa_standing"]
    assert other["quality_assured"] is False and other["reason"]
    assert client.get("/api/v1/providers/nope").status_code == 404


def test_agencies(client: Client, world: World) -> None:
    listing = client.get("/api/v1/agencies").json()
    assert [a["slug"] for a in listing["items"]] == ["aqas", "nvao"]
    one = client.get("/api/v1/agencies/nvao").json()
    assert one["eqar_registered_since"] == "2008-01-01"
    assert client.get(f"/api/v1/agencies/{world.agency_x.public_id}").json() == one
    assert client.get("/api/v1/agencies/nope").status_code == 404


def test_qa_results(client: Client, world: World) -> None:
    result = _result(world)

    listing = client.get("/api/v1/qa-results?provider=north-sea-university").json()
    assert [r["public_id"] for r in listing["items"]] == [result.public_id]
    assert client.get("/api/v1/qa-results?agency=aqas").json()["count"] == 0
    one = client.get(f"/api/v1/qa-results/{result.public_id}").json()
    assert one["agency"] == "nvao" and one["providers"] == ["north-sea-university"]
    assert client.get("/api/v1/qa-results/Q-NOPE").status_code == 404


def test_specifications_published_for_all_drafts_for_editors(client: Client, world: World) -> None:
    operator = world.users["operator"]
    published = services.save_specification(
        operator, world.provider_a, spec("P"), status="published"
    ).specification
    draft = services.save_specification(operator, world.provider_a, spec("D")).specification
    assert published is not None and draft is not None

    public = client.get(f"/api/v1/specifications/{published.public_id}")
    assert public.status_code == 200
    assert public.json()["specification"]["id"] == "P"
    assert client.get(f"/api/v1/specifications/{draft.public_id}").status_code == 404
    assert (
        client.get(f"/api/v1/specifications/{draft.public_id}", headers=world.auth("staff_b"))
    ).status_code == 404
    mine = client.get(f"/api/v1/specifications/{draft.public_id}", headers=world.auth("staff_a"))
    assert mine.status_code == 200 and mine.json()["status"] == "draft"
    bad_token = {"Authorization": "Bearer mcr_wrong"}
    assert (
        client.get(f"/api/v1/specifications/{draft.public_id}", headers=bad_token).status_code
        == 401
    )
