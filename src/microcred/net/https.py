"""One guarded HTTPS GET of a JSON document: the SSRF guard, limits, no redirects.

Why hand-made on the standard library (``socket``, ``ssl``, ``http.client``) rather than a
client library: the guard must pin the connection to the address it checked — resolve the
name once, refuse non-public addresses, connect to that address with SNI and certificate
checks for the *name* — which general-purpose clients do not let a caller do without
patching their internals (docs/decisions/0011-foreign-did-web-http-client.md).

The rules, in order:

1. ``https`` only (did:web §3.3.2 "Read"; a status list is a credential anyone could forge in
   transit otherwise), no user info, a host name or IP literal;
2. the name is resolved once (through ``FetchConfig.resolver`` when given — tests use it to
   control DNS) and *every* address must pass the :class:`~microcred.net.addresses.AddressPolicy`;
3. the TCP connection goes to a checked address; TLS 1.2+, certificate verified against the
   host name (``FetchConfig.ca_file`` or the system store), SNI and ``Host`` set to the name;
4. a connect timeout, a read timeout per operation and a total deadline for everything
   (enforced by a watchdog that shuts the socket down, so a server trickling one byte at a
   time cannot hold the verifier);
5. any 3xx is refused (a redirect could point anywhere, including a private address), any
   other non-200 is an error; the body must be JSON (``application/json`` or ``*+json``),
   uncompressed, at most ``max_bytes`` (read in pieces; reading stops past the limit);
6. the body is parsed with the project's strict loader
   (:func:`microcred.standard.readers.load_json`).

Every failure is a :class:`~microcred.net.errors.FetchError` with a stable code.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from microcred.net.addresses import AddressPolicy, IPAddress
from microcred.net.errors import FetchError
from microcred.standard.readers import ReadError, load_json

#: ``resolver(host, port) -> [address, ...]``: how a host name becomes IP addresses.
Resolver = Callable[[str, int], Sequence[str]]
JSON_ACCEPT = "application/json, application/*+json;q=0.9"
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d{1,10})\"?\s*(?:,|$)", re.IGNORECASE)
_CHUNK = 64 * 1024


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses of ``host`` from the system resolver, each once, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class FetchConfig:
    """Limits and trust for fetching; the defaults are for a public verifier."""

    connect_timeout: float = 3.0
    read_timeout: float = 5.0
    deadline: float = 10.0
    max_bytes: int = 1024 * 1024
    ca_file: str | None = None
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    resolver: Resolver | None = None
    cache_ttl: float = 300.0
    negative_ttl: float = 30.0
    cache_entries: int = 1000
    user_agent: str = "microcred-verifier"

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "deadline"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be a positive number of seconds")
        if self.max_bytes < 1 or self.cache_entries < 1:
            raise ValueError("max_bytes and cache_entries must be at least 1")
        if self.cache_ttl < 0 or self.negative_ttl < 0:
            raise ValueError("cache_ttl and negative_ttl must not be negative")


@dataclass(frozen=True)
class Fetched:
    """A fetched JSON value and how long the server lets it be cached (``None``: unsaid)."""

    document: Any
    max_age: float | None


def fetch_json(url: str, config: FetchConfig, *, accept: str = JSON_ACCEPT) -> Fetched:
    """GET ``url`` under the rules of this module, or raise :class:`FetchError`."""
    deadline = time.monotonic() + config.deadline
    host, port, target = _split(url)
    addresses = _addresses(host, port, config, deadline)
    sock = _connect(host, addresses, port, config, deadline)
    watchdog = _Watchdog(sock, deadline)
    try:
        return _guarded(
            lambda: _exchange(watchdog, host, port, target, config, deadline, accept),
            host,
            deadline,
        )
    finally:
        watchdog.stop()


class _Watchdog:
    """Shuts the current socket down at the deadline, waking any blocked read or handshake.

    Holds the socket in use (the TCP one, then its TLS wrapper: wrapping detaches the first),
    so the shutdown always reaches the descriptor a read may be blocked on.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        _shut(self.sock)

    def stop(self) -> None:
        self._timer.cancel()
        self.sock.close()


def _split(url: str) -> tuple[str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("fetch-not-https", f"{url!r} is not a usable https URL") from None
    if parts.scheme.lower() != "https":
        raise FetchError("fetch-not-https", f"{url!r} is not an https URL: only https is used")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise FetchError("fetch-not-https", f"{url!r} has no host, or holds user information")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, port or 443, target


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _addresses(host: str, port: int, config: FetchConfig, deadline: float) -> list[IPAddress]:
    literal = _literal(host)
    names = [str(literal)] if literal is not None else _resolve(host, port, config, deadline)
    addresses: list[IPAddress] = []
    for name in names:
        address = _literal(name.split("%", 1)[0])
        if address is None:
            raise FetchError("fetch-unreachable", f"{host} resolved to {name!r}, not an address")
        refusal = config.policy.refusal(address)
        if refusal is not None:
            raise FetchError(
                "fetch-address-blocked",
                f"{host} resolves to {address}, a {refusal} address: it is not contacted",
            )
        addresses.append(address)
    if not addresses:
        raise FetchError("fetch-unreachable", f"{host} has no address")
    return addresses


def _resolve(host: str, port: int, config: FetchConfig, deadline: float) -> list[str]:
    """Resolve in a helper thread so that a stuck resolver cannot outlast the deadline."""
    resolver = config.resolver or system_resolver
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["addresses"] = list(resolver(host, port))
        except Exception as exc:  # reported below as "does not resolve"
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="microcred-resolve", daemon=True)
    thread.start()
    thread.join(max(deadline - time.monotonic(), 0.0))
    if thread.is_alive():
        raise FetchError("fetch-timeout", f"resolving {host} took longer than the deadline")
    if "error" in outcome:
        raise FetchError("fetch-unreachable", f"{host} does not resolve")
    return [str(item) for item in outcome["addresses"]]


def _connect(
    host: str, addresses: list[IPAddress], port: int, config: FetchConfig, deadline: float
) -> socket.socket:
    failure = FetchError("fetch-unreachable", f"{host}:{port} cannot be reached")
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("fetch-timeout", f"connecting to {host} took longer than the deadline")
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(min(config.connect_timeout, remaining))
        try:
            sock.connect((str(address), port))
            return sock
        except TimeoutError:
            failure = FetchError("fetch-timeout", f"connecting to {host} ({address}) timed out")
        except OSError as exc:
            failure = FetchError(
                "fetch-unreachable",
                f"{host} ({address}) refused or dropped the connection"
                + (f": {exc.strerror}" if exc.strerror else ""),
            )
        sock.close()
    raise failure


def _shut(sock: socket.socket) -> None:
    """The deadline watchdog: wake any blocked read or handshake (the fd stays open)."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@functools.lru_cache(maxsize=8)
def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _guarded(run: Callable[[], Fetched], host: str, deadline: float) -> Fetched:
    """Turn every transport failure into a coded :class:`FetchError`."""
    try:
        return run()
    except FetchError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise FetchError(
            "fetch-tls-failed", f"the certificate of {host} is not valid: {exc.verify_message}"
        ) from None
    except (TimeoutError, ssl.SSLError, OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline or isinstance(exc, TimeoutError):
            raise FetchError(
                "fetch-timeout", f"{host} did not answer within the time limit"
            ) from None
        if isinstance(exc, ssl.SSLError):
            raise FetchError("fetch-tls-failed", f"TLS with {host} failed: {exc.reason}") from None
        if isinstance(exc, http.client.HTTPException) and not isinstance(
            exc, http.client.RemoteDisconnected
        ):
            raise FetchError(
                "fetch-bad-response", f"{host} answered with something that is not HTTP/1.1"
            ) from None
        raise FetchError("fetch-unreachable", f"the connection to {host} was dropped") from None


def _timeout(sock: socket.socket, limit: float, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    sock.settimeout(min(limit, remaining))


def _exchange(
    watchdog: _Watchdog,
    host: str,
    port: int,
    target: str,
    config: FetchConfig,
    deadline: float,
    accept: str,
) -> Fetched:
    _timeout(watchdog.sock, config.read_timeout, deadline)
    tls = _tls_context(config.ca_file).wrap_socket(
        watchdog.sock, server_hostname=host, do_handshake_on_connect=False
    )
    watchdog.sock = tls
    try:
        tls.do_handshake()
        connection = http.client.HTTPConnection(host, port)
        connection.sock = tls
        literal = _literal(host)
        name = f"[{host}]" if literal is not None and literal.version == 6 else host
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        for header, value in (
            ("Host", name if port == 443 else f"{name}:{port}"),
            ("Accept", accept),
            ("Accept-Encoding", "identity"),
            ("User-Agent", config.user_agent),
            ("Connection", "close"),
        ):
            connection.putheader(header, value)
        connection.endheaders()
        response = connection.getresponse()
        _check_response(response, host, config)
        body = _read_body(response, tls, host, config, deadline)
    finally:
        _shut(tls)
    try:
        document = load_json(body, f"the document at https://{host}{target}")
    except ReadError as exc:
        raise FetchError("fetch-not-json", str(exc)) from None
    return Fetched(document, _max_age(response.getheader("Cache-Control")))


def _check_response(response: http.client.HTTPResponse, host: str, config: FetchConfig) -> None:
    if 300 <= response.status < 400:
        location = (response.getheader("Location") or "")[:200]
        raise FetchError(
            "fetch-redirect-refused",
            f"{host} answered {response.status}, a redirect to {location or 'elsewhere'!r}: "
            "redirects are not followed",
        )
    if response.status != 200:
        raise FetchError("fetch-http-status", f"{host} answered {response.status}, not 200")
    media = (response.getheader("Content-Type") or "").partition(";")[0].strip().lower()
    if not (
        media == "application/json"
        or (media.startswith("application/") and media.endswith("+json"))
    ):
        raise FetchError(
            "fetch-content-type", f"{host} sent {media or 'no content type'!r}, not JSON"
        )
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchError("fetch-content-type", f"{host} sent a {encoding!r}-encoded body")
    length = response.getheader("Content-Length")
    if length is not None and length.strip().isdigit() and int(length) > config.max_bytes:
        raise FetchError(
            "fetch-too-large",
            f"{host} announced {int(length):,} bytes; the limit is {config.max_bytes:,}",
        )


def _read_body(
    response: http.client.HTTPResponse,
    sock: socket.socket,
    host: str,
    config: FetchConfig,
    deadline: float,
) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        _timeout(sock, config.read_timeout, deadline)
        chunk = response.read1(min(_CHUNK, config.max_bytes + 1 - total))
        if not chunk:
            if time.monotonic() >= deadline:  # the watchdog ended it, not the server
                raise TimeoutError
            return b"".join(chunks)
        total += len(chunk)
        if total > config.max_bytes:
            raise FetchError(
                "fetch-too-large", f"the document from {host} is over {config.max_bytes:,} bytes"
            )
        chunks.append(chunk)


def _max_age(cache_control: str | None) -> float | None:
    """Seconds the server allows caching: ``no-store`` / ``no-cache`` 0, ``max-age=N``."""
    if not cache_control:
        return None
    lowered = cache_control.lower()
    if "no-store" in lowered or "no-cache" in lowered:
        return 0.0
    match = _MAX_AGE.search(lowered)
    return float(match.group(1)) if match else None
