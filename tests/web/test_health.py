"""GET /api/v1/health reports the version and the database engine that really answered."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test import Client

import microcred

pytestmark = pytest.mark.django_db


def expected_vendor() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def test_health_reports_ok_version_and_database(client: Client) -> None:
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "status": "ok",
        "version": microcred.__version__,
        "database": expected_vendor(),
    }


def test_the_suite_runs_on_the_database_it_claims() -> None:
    assert connection.vendor == expected_vendor()
    if connection.vendor == "postgresql":
        assert connection.pg_version >= 150000  # type: ignore[attr-defined]


def test_health_is_in_the_openapi_description(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/health"]
