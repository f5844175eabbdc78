"""``fetch_json`` against local HTTPS servers: a good one, and hostile ones.

Each hostile server must give a clear, coded :class:`FetchError` quickly — never a hang,
never an unbounded read, never a connection to an address the guard refused.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from microcred.net import FetchError, fetch_json
from microcred.net.addresses import AddressPolicy
from microcred.net.https import FetchConfig
from tests.core.net.conftest import NAME, with_dns
from tests.https_servers import (
    Authority,
    Server,
    huge,
    json_answer,
    make_authority,
    redirect,
    running,
    trickle,
)

DOC = {"id": "did:web:foreign.test", "hello": "world"}


@pytest.fixture
def server(authority: Authority) -> Iterator[Server]:
    with running(authority.server_context(NAME, "other.test")) as started:
        yield started


def url(server: Server, path: str = "/doc", host: str = NAME) -> str:
    return f"https://{host}:{server.port}{path}"


def failure(target: str, config: FetchConfig) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch_json(target, config)
    return caught.value


def test_a_good_server_answers_with_its_json_and_cache_lifetime(
    server: Server, config: FetchConfig
) -> None:
    seen: dict[str, Any] = {}

    def answer(request: BaseHTTPRequestHandler) -> None:
        seen.update(request.headers)
        json_answer(DOC, "application/did+json", Cache_Control="public, max-age=60")(request)

    server.routes["/doc"] = answer
    fetched = fetch_json(url(server), config)
    assert fetched.document == DOC
    assert fetched.max_age == 60
    assert seen["Host"] == f"{NAME}:{server.port}"  # the name, not the address
    assert seen["Accept-Encoding"] == "identity"


def test_a_server_trickling_bytes_is_cut_at_the_deadline(
    server: Server, config: FetchConfig
) -> None:
    server.routes["/doc"] = trickle(every=0.1, total=20)
    started = time.monotonic()
    error = failure(url(server), config)
    assert error.code == "fetch-timeout"
    assert time.monotonic() - started < config.deadline + 2.0


def test_a_server_that_never_answers_times_out(server: Server, config: FetchConfig) -> None:
    server.routes["/doc"] = lambda request: time.sleep(10)
    started = time.monotonic()
    assert failure(url(server), config).code == "fetch-timeout"
    assert time.monotonic() - started < config.deadline + 2.0


@pytest.mark.parametrize("announce", [True, False])
def test_a_huge_body_is_refused_without_reading_it_all(
    server: Server, config: FetchConfig, announce: bool
) -> None:
    server.routes["/doc"] = huge(50 * 1024 * 1024, announce)
    started = time.monotonic()
    error = failure(url(server), config)
    assert error.code == "fetch-too-large"
    assert "65,536" in error.message
    assert time.monotonic() - started < config.deadline  # stopped early, not at the deadline


@pytest.mark.parametrize("target", ["https://10.0.0.1/did.json", "https://169.254.169.254/x"])
def test_a_redirect_to_a_private_address_is_not_followed(
    server: Server, config: FetchConfig, target: str
) -> None:
    server.routes["/doc"] = redirect(target)
    error = failure(url(server), config)
    assert error.code == "fetch-redirect-refused"
    assert target in error.message


def test_a_redirect_on_the_same_server_is_not_followed_either(
    server: Server, config: FetchConfig
) -> None:
    server.routes["/doc"] = redirect(url(server, "/elsewhere"), 307)
    server.routes["/elsewhere"] = json_answer(DOC)
    assert failure(url(server), config).code == "fetch-redirect-refused"
    assert server.hits == ["/doc"]


def test_a_certificate_from_an_unknown_authority_is_refused(
    config: FetchConfig, tmp_path: Any
) -> None:
    stranger = make_authority(tmp_path / "stranger", "someone else's CA")
    with running(stranger.server_context(NAME), {"/doc": json_answer(DOC)}) as rogue:
        error = failure(url(rogue), config)
    assert error.code == "fetch-tls-failed"
    assert rogue.hits == []


def test_a_certificate_for_another_name_is_refused(
    authority: Authority, config: FetchConfig
) -> None:
    with running(authority.server_context("not-foreign.test"), {"/doc": json_answer(DOC)}) as s:
        error = failure(url(s), config)
    assert error.code == "fetch-tls-failed"
    assert s.hits == []


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1"])
def test_a_name_resolving_to_a_non_public_address_is_not_contacted(
    server: Server, config: FetchConfig, address: str
) -> None:
    server.routes["/doc"] = json_answer(DOC)
    guarded = replace(with_dns(config, evil_test=[address]), policy=AddressPolicy())
    error = failure(url(server, host="evil.test"), guarded)
    assert error.code == "fetch-address-blocked"
    assert address in error.message
    assert server.hits == []


def test_one_bad_address_among_good_ones_is_enough_to_refuse(
    server: Server, config: FetchConfig
) -> None:
    guarded = replace(
        with_dns(config, evil_test=["93.184.215.14", "10.0.0.1"]), policy=AddressPolicy()
    )
    assert failure(url(server, host="evil.test"), guarded).code == "fetch-address-blocked"


def test_an_ip_literal_is_checked_too(config: FetchConfig) -> None:
    guarded = replace(config, policy=AddressPolicy())
    assert failure("https://127.0.0.1:1/x", guarded).code == "fetch-address-blocked"
    assert failure("https://[::ffff:10.0.0.1]/x", guarded).code == "fetch-address-blocked"


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("http://foreign.test/doc", "fetch-not-https"),
        ("ftp://foreign.test/doc", "fetch-not-https"),
        ("https://user:pw@foreign.test/doc", "fetch-not-https"),
        ("https://nowhere.test/doc", "fetch-unreachable"),
    ],
)
def test_unusable_urls(config: FetchConfig, target: str, code: str) -> None:
    assert failure(target, config).code == code


def test_a_closed_port_is_unreachable(config: FetchConfig, server: Server) -> None:
    port = server.port
    server.stop()
    assert failure(f"https://{NAME}:{port}/doc", config).code == "fetch-unreachable"


@pytest.mark.parametrize(
    ("handler", "code"),
    [
        (json_answer(DOC, "text/html"), "fetch-content-type"),
        (json_answer(DOC, Content_Encoding="gzip"), "fetch-content-type"),
        (lambda request: request.send_error(404), "fetch-http-status"),
        (lambda request: request.send_error(500), "fetch-http-status"),
    ],
)
def test_answers_that_are_not_a_json_document(
    server: Server, config: FetchConfig, handler: Any, code: str
) -> None:
    server.routes["/doc"] = handler
    assert failure(url(server), config).code == code


def test_a_body_that_is_not_json(server: Server, config: FetchConfig) -> None:
    def answer(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", "7")
        request.end_headers()
        request.wfile.write(b"{oops: ")

    server.routes["/doc"] = answer
    error = failure(url(server), config)
    assert error.code == "fetch-not-json"
    assert "not valid JSON" in error.message


def test_a_resolver_that_hangs_does_not_outlast_the_deadline(config: FetchConfig) -> None:
    hanging = replace(config, resolver=lambda host, port: time.sleep(5) or [])
    started = time.monotonic()
    assert failure("https://slow-dns.test/x", hanging).code == "fetch-timeout"
    assert time.monotonic() - started < config.deadline + 2.0
