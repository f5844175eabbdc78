"""A bad paging parameter is a declared 422 in the error shape, naming the parameter."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/providers", "/api/v1/agencies", "/api/v1/qa-results"])
def test_per_page_null_is_422_naming_it(client: Client, url: str) -> None:
    response = client.get(url, {"per_page": "null"})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid-request"
    assert [e["loc"] for e in body["errors"]] == [["query", "per_page"]]
    declared = client.get("/api/v1/openapi.json").json()["paths"][url]["get"]["responses"]
    assert declared["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
