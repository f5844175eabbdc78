"""The client address used for limits: REMOTE_ADDR, or X-Forwarded-For behind trusted proxies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from microcred_web.security.clients import client_address, client_network


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client forged the first entry
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),
        (2, "1.2.3.4", "1.2.3.4"),  # fewer entries than proxies: the first one
        (1, "", "10.0.0.1"),
    ],
)
def test_trusted_proxies(settings: Any, trusted: int, forwarded: str, expected: str) -> None:
    settings.MICROCRED_TRUSTED_PROXIES = trusted
    assert client_address(_request("10.0.0.1", forwarded)) == expected


@pytest.mark.parametrize(
    ("remote", "network"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:aa:bb:1:2:3:4", "2001:db8:aa:bb::"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("not an address", "unknown"),
        ("", "unknown"),
    ],
)
def test_networks(settings: Any, remote: str, network: str) -> None:
    settings.MICROCRED_TRUSTED_PROXIES = 0
    assert client_network(_request(remote)) == network
