"""The SSRF guard's address policy: public addresses only, unless a network is allowed."""

from __future__ import annotations

import ipaddress

import pytest

from microcred.net.addresses import AddressPolicy, parse_networks

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("fd00::1", "private"),
    ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"),
    ("100.64.0.1", "shared (CGNAT)"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("240.0.0.1", "reserved"),
    ("192.0.2.1", "private"),  # documentation range
    ("::ffff:127.0.0.1", "loopback (embedded in ::ffff:7f00:1)"),
    ("::ffff:10.0.0.1", "private (embedded in ::ffff:a00:1)"),
    ("2002:a9fe:a9fe::1", "link-local (embedded in 2002:a9fe:a9fe::1)"),  # 6to4 of 169.254.x
    ("64:ff9b::a00:1", "private (embedded in 64:ff9b::a00:1)"),  # NAT64 of 10.0.0.1
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    assert AddressPolicy().refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_pass(address: str) -> None:
    assert AddressPolicy().refusal(ipaddress.ip_address(address)) is None


def test_an_allowed_network_opens_only_itself() -> None:
    policy = AddressPolicy(parse_networks(["127.0.0.0/8"]))
    assert policy.refusal(ipaddress.ip_address("127.0.0.1")) is None
    assert policy.refusal(ipaddress.ip_address("::ffff:127.0.0.1")) is None  # same host
    assert policy.refusal(ipaddress.ip_address("10.0.0.1")) == "private"
    assert policy.refusal(ipaddress.ip_address("::1")) == "loopback"


def test_bad_networks_are_named() -> None:
    with pytest.raises(ValueError, match="'ten' is not an IP network"):
        parse_networks(["10.0.0.0/8", "ten"])
