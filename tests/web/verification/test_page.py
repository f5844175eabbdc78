"""The public page /verify/: paste, upload, bad JSON, links (only to this instance)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred_web.verification import services

URL = "/verify/"
pytestmark = pytest.mark.django_db


def test_the_empty_page_has_a_labelled_form(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Verify a credential</h1>" in html
    assert '<label for="id_credential">' in html and 'id="id_credential"' in html
    assert '<label for="id_file">' in html and 'id="id_file"' in html
    assert "csrfmiddlewaretoken" in html
    assert "http://" not in html and "https://" not in html  # nothing loaded from elsewhere


def test_the_home_page_links_here(client: Any) -> None:
    assert 'href="/verify/"' in client.get("/").content.decode()


def test_paste_a_credential(client: Any, signed: Any) -> None:
    response = client.post(URL, {"credential": json.dumps(signed)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Result: verified" in html
    # Each check in words (not colour alone), with an icon hidden from screen readers.
    assert "Signature: Passed" in html
    assert "Quality assurance of the issuer: Warning" in html
    assert '<span aria-hidden="true" class="check-icon">✓</span>' in html
    # The QA statement, and the Annex I elements in plain words.
    assert "issuer not in this register" in html
    assert "Circular economy foundations" in html
    assert "5 ECTS credits, 140 hours of learning" in html
    assert "European Qualifications Framework (EQF) level 6" in html
    assert "Ada Lovelace" in html


def test_upload_a_file(client: Any, signed: Any) -> None:
    upload = SimpleUploadedFile(
        "credential.json", json.dumps(signed).encode(), content_type="application/json"
    )
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    assert "Result: verified" in response.content.decode()


def test_a_tampered_credential_shows_the_failing_check(client: Any, signed: Any) -> None:
    signed["validFrom"] = "2020-01-01T00:00:00Z"
    response = client.post(URL, {"credential": json.dumps(signed)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Result: not verified" in html
    assert "Signature: Failed" in html
    assert "do not rely on what it says" in html


def test_bad_json_gets_a_clear_message(client: Any) -> None:
    response = client.post(URL, {"credential": '{"@context": ['})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "the pasted text is not valid JSON" in html
    assert 'aria-invalid="true"' in html
    assert "{&quot;@context&quot;: [" in html  # what was pasted is kept, to be corrected


def test_nothing_sent(client: Any) -> None:
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Paste a credential or choose a file to upload." in response.content.decode()


def test_both_sent(client: Any, signed: Any) -> None:
    upload = SimpleUploadedFile("c.json", json.dumps(signed).encode())
    response = client.post(URL, {"credential": json.dumps(signed), "file": upload})
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_a_file_over_the_size_limit(client: Any) -> None:
    upload = SimpleUploadedFile("big.json", b" " * (services.MAX_BYTES + 1))
    response = client.post(URL, {"file": upload})
    assert response.status_code == 413
    assert "the largest credential accepted is 2 MB" in response.content.decode()


def test_a_file_that_is_not_a_credential(client: Any) -> None:
    upload = SimpleUploadedFile("list.json", b"[1, 2, 3]")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert "Expected a JSON object" in response.content.decode()


def test_a_foreign_url_is_not_fetched(client: Any) -> None:
    response = client.get(URL, {"url": "https://elsewhere.example/credential.json"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only credentials hosted here can be opened by link" in html
    assert "download the credential and upload it" in html.lower()


def test_a_local_url_with_nothing_there(client: Any) -> None:
    response = client.get(URL, {"url": "http://testserver/nothing/here"})
    assert response.status_code == 404
    assert "No credential is published at that address" in response.content.decode()


def test_a_url_that_is_not_a_web_address(client: Any) -> None:
    response = client.get(URL, {"url": "file:///etc/passwd"})
    assert response.status_code == 400
    assert "must be a web address" in response.content.decode()
