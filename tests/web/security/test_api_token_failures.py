"""Failed API token authentications are limited per client network.

Past ``api-token`` failures every request with a token from that network is refused with 429
(the right token too, so guessing gets nowhere) until the lockout ends; requests without a
token and other networks are not affected.
"""

from __future__ import annotations

from typing import Any

from .conftest import IssuingWorld, tighten

URL = "/api/v1/providers/north-sea-university"
ADDRESS = "198.51.100.77"


def _put(client: Any, token: str, address: str = ADDRESS) -> Any:
    return client.put(
        URL,
        '{"website": "https://nsu.example/"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        REMOTE_ADDR=address,
    )


def test_wrong_tokens_lead_to_429_even_for_the_right_token(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    tighten(settings, api_token="3/15m")
    assert [_put(client, f"mcr_wrong{n}").status_code for n in range(3)] == [401, 401, 401]

    refused = _put(client, world.tokens["staff_a"])
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    body = refused.json()
    assert body["code"] == "rate-limited"
    assert "invalid API token" in body["detail"]

    assert _put(client, world.tokens["staff_a"], "198.51.100.78").status_code != 429


def test_requests_without_a_token_are_not_refused_by_it(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    tighten(settings, api_token="2/15m")
    for _ in range(3):
        _put(client, "mcr_wrong")
    assert client.get(URL, REMOTE_ADDR=ADDRESS).status_code == 200  # a public read
    anonymous = client.put(URL, "{}", content_type="application/json", REMOTE_ADDR=ADDRESS)
    assert anonymous.status_code == 401


def test_right_tokens_are_not_counted(world: IssuingWorld, client: Any, settings: Any) -> None:
    tighten(settings, api_token="2/15m")
    statuses = {_put(client, world.tokens["staff_a"]).status_code for _ in range(5)}
    assert 429 not in statuses and 401 not in statuses
