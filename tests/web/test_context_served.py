"""The microcred JSON-LD context is served by the instance, identical to the shipped copy."""

from __future__ import annotations

import json

from django.test import Client

from microcred.credentials.loader import read_shipped_context


def test_context_served_at_its_stable_path(client: Client) -> None:
    response = client.get("/ns/credentials/v1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    served = json.loads(response.content)
    assert served == read_shipped_context("https://microcred.eu/ns/credentials/v1")
    assert "@context" in served


def test_unknown_context_is_404(client: Client) -> None:
    assert client.get("/ns/credentials/v9").status_code == 404
