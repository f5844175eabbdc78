"""The OpenAPI document promises the one error shape for every error status of every operation,
and a 429 everywhere (any operation may be rate limited) except the health check, which
monitoring polls and which answers its own shape (``core/api.py``). The VC-API operations'
400 is either a Problem or a Problem with more members (``problemDetails``: not verified)."""

from __future__ import annotations

from django.test import Client

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def test_every_error_status_answers_a_problem(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]

    assert len(operations) >= 25
    for label, operation in operations:
        if label == "GET /api/v1/health":
            continue
        responses = operation["responses"]
        assert "429" in responses, label
        for status, response in responses.items():
            if int(status) >= 400:
                schema = response["content"]["application/json"]["schema"]
                if schema != PROBLEM:
                    assert "/vc-api/" in label and status == "400", (label, status)
                    assert PROBLEM in schema["anyOf"], (label, status)
                    for extended in schema["anyOf"]:
                        name = extended["$ref"].rsplit("/", 1)[1]
                        extra = document["components"]["schemas"][name]
                        assert {"code", "detail"} <= set(extra["required"]), (label, name)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"code", "detail"}
    assert {"errors", "findings", "outcome"} <= set(problem["properties"])


def test_operation_ids_are_the_view_names(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    ids = {op["operationId"] for item in document["paths"].values() for op in item.values()}

    assert {"get_provider", "issue_credential", "verify_credential", "health"} <= ids
