"""The network address a request comes from, for rate limits only (it is never stored).

Behind reverse proxies ``REMOTE_ADDR`` is the nearest proxy, so every visitor would share one
limit. ``X-Forwarded-For`` can be trusted only as far as proxies you run appended to it: a
client can send any value it likes, and each proxy appends the address it received the
connection from. With ``MICROCRED_TRUSTED_PROXIES = n`` the client is the ``n``-th address from
the right; with 0 (the default) the header is ignored.

Addresses are grouped into networks (IPv4 /32, IPv6 /64) because one IPv6 host usually holds a
whole /64 and could otherwise take a fresh address for every request.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's address as seen by the outermost trusted proxy (or the socket)."""
    trusted = int(getattr(settings, "MICROCRED_TRUSTED_PROXIES", 0) or 0)
    address = str(request.META.get("REMOTE_ADDR") or "")
    if trusted > 0:
        forwarded = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if forwarded:
            address = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return address


def client_network(request: HttpRequest) -> str:
    """The rate-limit key for the client: its IPv4 address or its IPv6 /64 network."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return "unknown"  # every request without a readable address shares one limit
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)
    return str(ip)
