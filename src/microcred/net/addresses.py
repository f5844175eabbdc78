"""Which IP addresses a verifier may connect to: the SSRF guard.

Why: a credential names URLs (its issuer's DID, its status list) chosen by whoever wrote it.
A verifier that follows them blindly can be made to call its own loopback services, the
cloud metadata endpoint (169.254.169.254) or machines on its private network. So every
address a host name resolves to is checked *before* connecting, and the connection is made
to that checked address (no second lookup a rebinding DNS server could answer differently).

Refused unless a network is explicitly allowed: loopback, private (RFC 1918, IPv6 ULA),
link-local, CGNAT shared space (RFC 6598), multicast, unspecified, reserved and every other
address Python's :mod:`ipaddress` does not call global; IPv6 forms that embed an IPv4
address (IPv4-mapped, 6to4, NAT64, Teredo) are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``["127.0.0.0/8", "::1"]`` -> networks; raises ``ValueError`` naming the bad one."""
    networks = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(f"{text!r} is not an IP network (e.g. 10.0.0.0/8 or ::1)") from None
    return tuple(networks)


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo client)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def why_refused(address: IPAddress) -> str | None:
    """Why ``address`` is not a public address (``"loopback"``, ...), or ``None`` if it is."""
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = why_refused(inner)
        return f"{reason} (embedded in {address})" if reason else None
    checks = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "shared (CGNAT)"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "not globally routable"),
    )
    for hit, reason in checks:
        if hit:
            return reason
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, plus the networks in ``allowed`` (tests, a private federation)."""

    allowed: tuple[IPNetwork, ...] = ()

    def refusal(self, address: IPAddress) -> str | None:
        """``None`` when ``address`` may be contacted, else why not."""
        candidates = [address]
        inner = embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
        for network in self.allowed:
            if any(c.version == network.version and c in network for c in candidates):
                return None
        return why_refused(address)
