"""``POST /specifications/validate``: findings for any caller, never stored, never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from microcred_web.register.models import Specification
from tests.core.samples import ELM_SAMPLE
from tests.web.register.conftest import spec

URL = "/api/v1/specifications/validate"


@pytest.mark.django_db
def test_a_valid_specification_is_ok_without_a_token(client: Client) -> None:
    response = client.post(URL, spec(), content_type="application/json")

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert not Specification.objects.exists()


@pytest.mark.django_db
def test_errors_name_the_element(client: Client) -> None:
    response = client.post(
        URL, spec(workload={"ects": -1}, languages=["xx-!"]), content_type="application/json"
    )

    body = response.json()
    assert response.status_code == 200
    assert body["ok"] is False
    assert {"workload.ects", "languages[0]"} & {f["path"] for f in body["findings"]}
    assert all(f["severity"] in {"error", "warning"} for f in body["findings"])


@pytest.mark.django_db
def test_an_elm_document_is_validated(client: Client) -> None:
    response = client.post(URL, ELM_SAMPLE.read_bytes(), content_type="application/json")

    assert response.status_code == 200
    assert set(response.json()) == {"ok", "findings"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status"), [(b"{", 400), (b"", 400), (b"[]", 422), (b"42", 422), (b'"x"', 422)]
)
def test_malformed_input(client: Client, body: bytes, status: int) -> None:
    response = client.post(URL, body, content_type="application/json")

    assert response.status_code == status
    assert response.json()["detail"]


@pytest.mark.django_db
def test_an_elm_lookalike_without_claims_is_422(client: Client) -> None:
    doc = json.loads(ELM_SAMPLE.read_text())
    doc.pop("credentialSubject", None)
    response = client.post(URL, doc, content_type="application/json")

    assert response.status_code in (200, 422)
    assert response.status_code != 500
