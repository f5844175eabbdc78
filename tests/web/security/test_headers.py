"""Production headers and cookies: CSP, HSTS, https redirect, Secure / SameSite / HttpOnly."""

from __future__ import annotations

from typing import Any

from django.test import Client

from .conftest import IssuingWorld


def test_every_page_carries_a_strict_content_security_policy(db: Any, client: Client) -> None:
    for path in ("/", "/catalogue/", "/verify/", "/accounts/login/", "/no/such/page/"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(
            ([*part.split(" ", 1), ""])[:2] for part in (p.strip() for p in policy.split(";"))
        )
        assert directives["default-src"] == "'self'", path
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'", path
        assert directives["object-src"] == "'none'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path


def test_only_the_api_docs_allow_data_images(db: Any, client: Client) -> None:
    docs = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "img-src 'self' data:" in docs
    assert "script-src 'self'" in docs and "unsafe-inline" not in docs
    assert "data:" not in client.get("/")["Content-Security-Policy"]


def test_other_security_headers(db: Any, client: Client) -> None:
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_on_https(db: Any, client: Client) -> None:
    hsts = client.get("/", secure=True)["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_http_is_redirected_to_https_when_the_redirect_is_on(db: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/catalogue/")  # a new client loads the middleware with it on
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/catalogue/"


def test_behind_a_proxy_its_https_header_is_trusted_only_when_configured(
    db: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/").status_code == 301


def test_session_and_csrf_cookies_are_secure_samesite_httponly(
    world: IssuingWorld, client: Client
) -> None:
    user = world.users["staff_a"]
    user.set_password("a long test password")
    user.save()
    login = client.get("/accounts/login/")
    csrf = login.cookies["csrftoken"]
    signed_in = client.post(
        "/accounts/login/", {"username": "staff_a", "password": "a long test password"}
    )
    session = signed_in.cookies["sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["httponly"] is True
