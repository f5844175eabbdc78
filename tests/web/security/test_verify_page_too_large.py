"""Pasting too much on ``/verify/`` gets the page's own message with 413, at both limits.

Just over the credential limit (2 MB) the form says so; over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
(5 MB) Django refuses to read the form at all, which used to happen first inside the CSRF
middleware (a blank "Bad Request (400)", or the debug traceback page). The client here enforces
CSRF as a browser does: the plain test client skips the check that read the form.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from microcred_web.verification import services

URL = "/verify/"


def _csrf_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.get(URL)
    return client, client.cookies["csrftoken"].value


def test_just_over_the_credential_limit(db: Any) -> None:
    client, token = _csrf_client()
    text = "{" + " " * services.MAX_BYTES + "}"
    assert len(text) < django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = client.post(URL, {"credential": text, "csrfmiddlewaretoken": token})

    assert response.status_code == 413
    html = response.content.decode()
    assert "The pasted text is larger than 2 MB, the largest credential accepted." in html
    assert "<h1>Verify a credential</h1>" in html


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_over_the_upload_limit(db: Any, settings: Any, debug: bool) -> None:
    settings.DEBUG = debug
    client, token = _csrf_client()
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(URL, {"credential": text, "csrfmiddlewaretoken": token})

    assert response.status_code == 413
    html = response.content.decode()
    assert "What was sent is too large; the largest credential accepted is 2 MB." in html
    assert "<h1>Verify a credential</h1>" in html
    assert "Traceback" not in html and "RequestDataTooBig" not in html


def test_other_forms_get_the_generic_413_page(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    text = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        "/accounts/login/", {"username": text, "password": "x", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 413
    assert "What was sent is too large" in response.content.decode()


def test_a_normal_form_still_needs_its_csrf_token(db: Any) -> None:
    client, _token = _csrf_client()
    response = client.post(URL, {"credential": "{}"})
    assert response.status_code == 403
