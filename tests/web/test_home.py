"""The home page: a heading, what microcred is, honest links."""

from __future__ import annotations

from django.test import Client

import microcred


def test_home_page_renders_with_heading(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>microcred</h1>" in html
    assert "Annex I" in html
    assert f"microcred {microcred.__version__}" in html


def test_home_page_has_landmarks_and_skip_link(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html


def test_home_page_links_to_catalogue_verifier_and_api_docs(client: Client) -> None:
    html = client.get("/").content.decode()

    assert 'href="/api/v1/docs"' in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'href="/catalogue/"' in html
    assert 'href="/verify/"' in html
    assert "coming" not in html


def test_home_page_loads_nothing_from_elsewhere(client: Client) -> None:
    html = client.get("/").content.decode()

    assert "http://" not in html and "https://" not in html
    assert 'href="/static/microcred.css"' in html
