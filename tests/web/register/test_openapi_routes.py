"""The OpenAPI document stays valid and lists every register endpoint."""

from __future__ import annotations

from django.test import Client

EXPECTED = {
    ("/api/v1/specifications/validate", "post"),
    ("/api/v1/catalogue/search", "get"),
    ("/api/v1/providers", "get"),
    ("/api/v1/providers", "post"),
    ("/api/v1/providers/{key}", "get"),
    ("/api/v1/providers/{key}", "put"),
    ("/api/v1/agencies", "get"),
    ("/api/v1/agencies", "post"),
    ("/api/v1/agencies/{key}", "get"),
    ("/api/v1/agencies/{key}", "put"),
    ("/api/v1/qa-results", "get"),
    ("/api/v1/qa-results", "post"),
    ("/api/v1/qa-results/{public_id}", "get"),
    ("/api/v1/qa-results/{public_id}", "put"),
    ("/api/v1/specifications/{public_id}", "get"),
    ("/api/v1/providers/{key}/specifications", "post"),
    ("/api/v1/specifications/{public_id}/status", "post"),
    ("/api/v1/import", "post"),
    ("/api/v1/open-data/{dataset}", "get"),
}


def test_openapi_lists_the_routes_and_the_bearer_scheme(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    found = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert found >= EXPECTED
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    writes = doc["paths"]["/api/v1/providers"]["post"]
    assert writes.get("security")
    assert "security" not in doc["paths"]["/api/v1/providers"]["get"]
    body = doc["paths"]["/api/v1/providers/{key}/specifications"]["post"]["requestBody"]
    assert "application/json" in body["content"]
