"""Public verification is limited per client network: the page's POST and the API's together.

Before: 1,000 POSTs and no 429. Now past the ``verify`` rate the API answers 429 with
``Retry-After`` and ``{"code": "rate-limited", "detail": ...}``, the page a 429 page that says
how long to wait.
"""

from __future__ import annotations

from typing import Any

from .conftest import tighten

PAGE = "/verify/"
API = "/api/v1/credentials/verify"
BODY = '{"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"]}}'


def _api(client: Any, address: str = "192.0.2.1") -> Any:
    return client.post(API, BODY, content_type="application/json", REMOTE_ADDR=address)


def _page(client: Any, address: str = "192.0.2.1") -> Any:
    return client.post(PAGE, {"credential": "{}"}, REMOTE_ADDR=address)


def test_the_api_answers_429_with_retry_after_and_the_error_shape(
    db: Any, client: Any, settings: Any
) -> None:
    tighten(settings, verify="3/m")
    assert [_api(client).status_code for _ in range(3)] == [200, 200, 200]

    refused = _api(client)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused["Content-Type"].startswith("application/json")
    body = refused.json()
    assert body["code"] == "rate-limited"
    assert body["detail"].startswith("Too many requests. Try again in ")

    assert _api(client, "192.0.2.2").status_code == 200  # another client is not affected


def test_the_page_answers_a_429_page(db: Any, client: Any, settings: Any) -> None:
    tighten(settings, verify="2/m")
    assert [_page(client).status_code for _ in range(2)] == [400, 400]  # "{}" is no credential

    refused = _page(client)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    html = refused.content.decode()
    assert "<h1>Too many requests</h1>" in html
    assert "Try again in " in html
    # Reading the page is not counted: only verifying is.
    assert client.get(PAGE, REMOTE_ADDR="192.0.2.1").status_code == 200


def test_the_page_and_the_api_share_one_limit(db: Any, client: Any, settings: Any) -> None:
    tighten(settings, verify="2/m")
    _page(client)
    _api(client)
    assert _api(client).status_code == 429
    assert _page(client).status_code == 429


def test_a_thousand_posts_are_not_all_served_by_default(
    db: Any, client: Any, settings: Any
) -> None:
    limit = int(settings.MICROCRED_RATE_LIMITS["verify"].split("/")[0])
    assert limit < 1000
    statuses = [_api(client).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429


def test_the_limit_can_be_switched_off(db: Any, client: Any, settings: Any) -> None:
    tighten(settings, verify="off")
    assert {_api(client).status_code for _ in range(5)} == {200}
