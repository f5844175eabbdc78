"""Local HTTPS servers for the foreign-issuer tests: a throw-away CA, server certificates,
and a threaded ``http.server`` on 127.0.0.1 whose answers each test scripts.

Nothing leaves the machine: the servers listen on 127.0.0.1 (free ports), the client is
pointed at them through a resolver hook (:func:`resolver_for`), and trust comes from the CA
file written here, never the system store.
"""

from __future__ import annotations

import contextlib
import json
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

Handler = Callable[[BaseHTTPRequestHandler], None]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Authority:
    """A throw-away certificate authority; ``ca_file`` is its certificate (PEM)."""

    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    folder: Path

    @property
    def ca_file(self) -> str:
        path = self.folder / "ca.pem"
        if not path.exists():
            path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return str(path)

    def server_context(self, *names: str) -> ssl.SSLContext:
        """A server TLS context with a certificate for ``names``, signed by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(names[0]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
            .sign(self.key, hashes.SHA256())
        )
        stem = self.folder / f"server-{x509.random_serial_number()}"
        cert_path, key_path = stem.with_suffix(".crt"), stem.with_suffix(".key")
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        return context


def make_authority(folder: Path, name: str = "microcred test CA") -> Authority:
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, cert, folder)


def json_answer(document: Any, content_type: str = "application/json", **headers: str) -> Handler:
    body = json.dumps(document).encode()

    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        request.end_headers()
        request.wfile.write(body)

    return answer


@dataclass
class Server:
    """A threaded HTTPS server on 127.0.0.1: ``routes`` maps a path to its handler."""

    context: ssl.SSLContext
    routes: dict[str, Handler] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    httpd: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        assert self.httpd is not None
        return int(self.httpd.server_address[1])

    def start(self) -> Server:
        server = self

        class Handle(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(OSError):
                    route(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        httpd.daemon_threads = True
        httpd.socket = self.context.wrap_socket(
            httpd.socket, server_side=True, do_handshake_on_connect=False
        )
        self.httpd = httpd
        threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()


@contextlib.contextmanager
def running(
    context: ssl.SSLContext, routes: Mapping[str, Handler] | None = None
) -> Iterator[Server]:
    server = Server(context, dict(routes or {})).start()
    try:
        yield server
    finally:
        server.stop()


def resolver_for(names: Mapping[str, Sequence[str]]) -> Callable[[str, int], list[str]]:
    """A DNS stand-in: ``names[host]`` or "does not resolve"."""

    def resolve(host: str, port: int) -> list[str]:
        if host not in names:
            raise OSError(f"{host} does not resolve")
        return list(names[host])

    return resolve


# --- hostile answers ----------------------------------------------------------------------


def trickle(every: float = 0.2, total: float = 30.0) -> Handler:
    """200 with JSON headers, then one byte every ``every`` seconds, for ``total`` seconds."""

    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.end_headers()
        request.wfile.write(b"{")
        request.wfile.flush()
        end = time.monotonic() + total
        while time.monotonic() < end:
            time.sleep(every)
            request.wfile.write(b" ")
            request.wfile.flush()

    return answer


def huge(size: int, announce: bool) -> Handler:
    """A JSON body of ``size`` bytes, with or without a Content-Length announcing it."""

    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        if announce:
            request.send_header("Content-Length", str(size))
        request.end_headers()
        piece = b'"' + b"x" * 65_534 + b'"'
        sent = 0
        while sent < size:
            request.wfile.write(piece)
            sent += len(piece)

    return answer


def redirect(location: str, status: int = 302) -> Handler:
    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return answer
