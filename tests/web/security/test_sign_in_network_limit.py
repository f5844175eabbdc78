"""Failed sign-ins from one client network are limited, whatever user names they try."""

from __future__ import annotations

from typing import Any

from .conftest import IssuingWorld, tighten

URL = "/accounts/login/"


def _attempt(client: Any, username: str, address: str, **extra: Any) -> Any:
    return client.post(
        URL, {"username": username, "password": "wrong"}, REMOTE_ADDR=address, **extra
    )


def test_spraying_many_user_names_from_one_address_is_refused(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    tighten(settings, sign_in_ip="3/h", sign_in_user="100/h")
    statuses = [_attempt(client, f"user{n}", "203.0.113.5").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]

    refused = _attempt(client, "someone-else", "203.0.113.5")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed sign-ins from your network" in refused.content.decode()

    # Another address is not affected.
    assert _attempt(client, "user0", "203.0.113.6").status_code == 200


def test_an_ipv6_host_cannot_escape_by_changing_address_in_its_64(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    tighten(settings, sign_in_ip="2/h", sign_in_user="100/h")
    _attempt(client, "a", "2001:db8:1:2::1")
    _attempt(client, "b", "2001:db8:1:2::ffff")
    assert _attempt(client, "c", "2001:db8:1:2:abcd::9").status_code == 429
    assert _attempt(client, "c", "2001:db8:1:3::1").status_code == 200


def test_a_forged_x_forwarded_for_does_not_help_without_trusted_proxies(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    tighten(settings, sign_in_ip="2/h", sign_in_user="100/h")
    settings.MICROCRED_TRUSTED_PROXIES = 0
    for n in range(2):
        _attempt(client, "a", "203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert _attempt(client, "a", "203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_limited(
    world: IssuingWorld, client: Any, settings: Any
) -> None:
    tighten(settings, sign_in_ip="2/h", sign_in_user="100/h")
    settings.MICROCRED_TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    # The client forged the first entry; the proxy appended the real address.
    for forged in ("1.1.1.1", "2.2.2.2"):
        _attempt(client, "a", proxy, HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.9")
    assert (
        _attempt(client, "a", proxy, HTTP_X_FORWARDED_FOR="3.3.3.3, 198.51.100.9").status_code
        == 429
    )
    # Another client behind the same proxy is not affected.
    assert _attempt(client, "a", proxy, HTTP_X_FORWARDED_FOR="198.51.100.10").status_code == 200
