"""Bad requests to the API get a 4xx JSON answer in the one error shape (``code``, ``detail``,
``errors`` for request-model problems), never a 500 or a stack trace.

The probe URLconf mounts a POST endpoint on an API built by the project's own factory, so these
are the handlers that /api/v1/ uses.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.urls("tests.web.probe_urls")

URL = "/api/probe/items"


def post(client: Client, body: bytes | str, url: str = URL) -> tuple[int, object]:
    response = client.post(url, data=body, content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def test_a_valid_body_is_accepted(client: Client) -> None:
    assert post(client, '{"title": "Data literacy", "ects": 2.5}') == (
        200,
        {"title": "Data literacy", "ects": 2.5},
    )


def test_malformed_json_is_400_with_position(client: Client) -> None:
    status, body = post(client, b'{"title": ')

    assert status == 400
    assert body == {
        "code": "not-json",
        "detail": "the request body is not valid JSON: Expecting value at line 1, column 11",
    }


def test_body_that_is_not_utf8_is_400(client: Client) -> None:
    status, body = post(client, b'{"title": "\xff"}')

    assert status == 400
    assert isinstance(body, dict) and body["code"] == "not-json"
    assert "not UTF-8" in body["detail"]


def test_deeply_nested_json_is_400_not_500(client: Client) -> None:
    status, body = post(client, "[" * 200_000 + "]" * 200_000)

    assert status == 400
    assert isinstance(body, dict) and "detail" in body


def test_wrong_type_is_422_naming_the_field(client: Client) -> None:
    status, body = post(client, '{"title": ["not", "a", "string"]}')

    assert status == 422
    assert body == {
        "code": "invalid-request",
        "detail": "Invalid request: body.item.title: Input should be a valid string",
        "errors": [
            {
                "loc": ["body", "item", "title"],
                "msg": "Input should be a valid string",
                "type": "string_type",
            }
        ],
    }


def test_out_of_range_value_is_422(client: Client) -> None:
    status, body = post(client, '{"title": "x", "ects": 0}')

    assert status == 422
    assert isinstance(body, dict)
    [error] = body["errors"]
    assert error["loc"] == ["body", "item", "ects"]
    assert "greater than 0" in error["msg"]


# "abc" matters: with ninja.Schema (attribute lookup) instead of a pydantic BaseModel, the JSON
# string "abc" would validate as {"title": "Abc"} through str.title.
@pytest.mark.parametrize("payload", ["", "[]", '"abc"', "5", "null", "{}"])
def test_missing_or_wrong_shape_body_is_422(client: Client, payload: str) -> None:
    status, body = post(client, payload)

    assert status == 422
    assert isinstance(body, dict) and body["code"] == "invalid-request" and body["detail"]
    assert body["errors"]
    assert all({"loc", "msg", "type"} <= set(error) for error in body["errors"])


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_too_large_body_is_413(client: Client) -> None:
    status, body = post(client, '{"title": "' + "x" * 200 + '"}')

    assert status == 413
    assert body == {"code": "too-large", "detail": "Request body is too large"}


def test_unexpected_error_is_a_generic_json_500(client: Client) -> None:
    status, body = post(client, "{}", url="/api/probe/boom")

    assert status == 500
    assert body == {"code": "internal-error", "detail": "Internal server error"}


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e999999"])
def test_request_model_bodies_are_strict_json(client: Client, literal: str) -> None:
    status, body = post(client, '{"title": "x", "ects": ' + literal + "}")

    assert status == 400
    assert isinstance(body, dict) and body["code"] == "not-json"
    assert literal in body["detail"] and "line 1, column 24" in body["detail"]


def test_nul_in_a_body_is_400(client: Client) -> None:
    status, body = post(client, r'{"title": "a\u0000b"}')

    assert status == 400
    assert isinstance(body, dict) and body["code"] == "nul-character"
