"""Bad input to the register API: never a 500, always a 4xx with a message or findings."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.web.register.conftest import World

SPEC_URL = "/api/v1/providers/north-sea-university/specifications"


@pytest.mark.parametrize(
    "url", [SPEC_URL, "/api/v1/providers", "/api/v1/agencies", "/api/v1/qa-results"]
)
@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe", 400),
        (b"[" * 5000 + b"]" * 5000, 400),
        (b'"a string"', 422),
        (b"[1, 2]", 422),
        (b"null", 422),
    ],
)
def test_malformed_bodies(client: Client, world: World, url: str, body: bytes, status: int) -> None:
    response = client.post(
        url, body, content_type="application/json", headers=world.auth("operator")
    )

    assert response.status_code == status
    assert "detail" in response.json()


def test_wrong_types_name_the_element(client: Client, world: World) -> None:
    response = client.post(
        "/api/v1/agencies",
        {"slug": "x-y", "name": "not a map", "acronym": 5, "countries": "NL"},
        content_type="application/json",
        headers=world.auth("operator"),
    )

    assert response.status_code == 422
    locs = {e["loc"][-1] for e in response.json()["errors"]}
    assert {"name", "acronym", "countries"} <= locs


def test_wrong_types_in_a_specification_are_findings(client: Client, world: World) -> None:
    # A draft with errors is kept (nothing is lost) but flagged, and can never be published.
    response = client.post(
        SPEC_URL,
        {"id": "X", "title": ["no"], "workload": {"ects": "lots"}},
        content_type="application/json",
        headers=world.auth("operator"),
    )

    assert response.status_code == 201
    assert response.json()["record"]["in_catalogue"] is False
    findings = response.json()["findings"]
    assert {"title", "workload.ects"} <= {f["path"] for f in findings}
    assert all({"code", "severity", "path", "message"} <= set(f) for f in findings)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_huge_body_is_413(client: Client, world: World) -> None:
    body = '{"id": "X", "title": {"en": "' + "x" * 5000 + '"}}'
    for url in (SPEC_URL, "/api/v1/providers", "/api/v1/specifications/validate"):
        response = client.post(
            url, body, content_type="application/json", headers=world.auth("operator")
        )
        assert response.status_code == 413, url
