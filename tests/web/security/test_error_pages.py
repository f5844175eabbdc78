"""Error pages are the site's own and never show a traceback, an exception or a setting."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.web.security.probe_urls")

LEAKS = ("Traceback", "SECRET_KEY", "must-not-leak", "ProbeSecret", "settings.py")


def _get(path: str) -> Any:
    return Client(raise_request_exception=False).get(path)


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/no/such/page/", 404, "Page not found"),
        ("/probe/500", 500, "Something went wrong on our side"),
        ("/probe/403", 403, "You are not allowed to do this"),
        ("/probe/400", 400, "The request could not be understood"),
    ],
)
def test_error_pages(db: Any, path: str, status: int, heading: str) -> None:
    response = _get(path)

    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "microcred.css" in html
    for leak in LEAKS:
        assert leak not in html


def test_a_csrf_failure_page(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be accepted" in html
    assert "CSRF" not in html
