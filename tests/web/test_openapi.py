"""The API's OpenAPI description and its docs page, served without any CDN."""

from __future__ import annotations

import re

from django.test import Client

import microcred


def test_openapi_description(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    info = response.json()["info"]
    assert info["title"] == "microcred API"
    assert info["version"] == "1"


def test_docs_page_uses_local_assets_only(client: Client) -> None:
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"(src|href)=\"https?://", html)
    assert '"validatorUrl": null' in html


def test_static_css_is_shipped() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("microcred.css")
    assert microcred.__version__
