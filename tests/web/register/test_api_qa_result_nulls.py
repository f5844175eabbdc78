"""An update that sends null for a required element is a 422 naming it, not a 500 (the
database's NOT NULL constraint used to refuse it first)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from microcred_web.register.models import QAResult
from tests.web.register.conftest import World


@pytest.fixture
def result(world: World) -> QAResult:
    made = QAResult.objects.create(
        agency=world.agency_x,
        local_id="NVAO-1",
        activity="institutional",
        decision="positive",
        valid_from=date(2024, 1, 1),
    )
    made.providers.set([world.provider_a])
    return made


@pytest.mark.parametrize(
    "element", ["activity", "decision", "valid_from", "local_id", "providers", "agency"]
)
def test_null_required_element_is_422_naming_it(
    client: Client, world: World, result: QAResult, element: str
) -> None:
    response = client.put(
        f"/api/v1/qa-results/{result.public_id}",
        {element: None},
        content_type="application/json",
        headers=world.auth("agency_x"),
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "rejected" and body["outcome"] == "rejected"
    assert [(f["code"], f["path"]) for f in body["findings"]] == [("missing-element", element)]
    assert element in body["detail"]
    result.refresh_from_db()
    assert result.activity == "institutional" and result.decision == "positive"


@pytest.mark.parametrize("element", ["name", "acronym", "slug"])
def test_null_required_agency_element_is_422(client: Client, world: World, element: str) -> None:
    response = client.put(
        "/api/v1/agencies/nvao",
        {element: None},
        content_type="application/json",
        headers=world.auth("operator"),
    )

    assert response.status_code == 422
    assert [f["path"] for f in response.json()["findings"]] == [element]
