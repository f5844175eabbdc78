"""GET /api/v1/health checks the database, the search index, the KEK, the identifier key and
the status lists for real; 200 only when every one is ok, 503 (``degraded``) otherwise."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.db import connection
from django.test import Client

import microcred
from microcred.credentials.keystore import generate_kek
from microcred_web.catalogue import services
from microcred_web.issuing.models import StatusListRecord

pytestmark = pytest.mark.django_db


def expected_vendor() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> str:
    kek = generate_kek()
    monkeypatch.setenv("MICROCRED_KEK", kek)
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)
    monkeypatch.setenv("MICROCRED_IDENTIFIER_KEY", "tests-identifier-key")
    monkeypatch.delenv("MICROCRED_IDENTIFIER_KEY_FILE", raising=False)
    return kek


def states(response: Any) -> dict[str, str]:
    return {name: c["status"] for name, c in response.json()["components"].items()}


def test_all_ok_is_200(client: Client, configured: str) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["version"], body["database"]) == (
        "ok",
        microcred.__version__,
        expected_vendor(),
    )
    assert states(response) == {
        "database": "ok",
        "search_index": "ok",
        "kek": "ok",
        "identifier_key": "ok",
        "status_lists": "ok",
    }
    assert body["components"]["search_index"]["counts"] == {"documents": 0, "published": 0}


@pytest.mark.parametrize(
    ("environment", "state"),
    [({}, "missing"), ({"MICROCRED_KEK": "nonsense"}, "error")],
    ids=["missing", "malformed"],
)
def test_a_kek_problem_is_degraded_503(
    client: Client,
    configured: str,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    state: str,
) -> None:
    monkeypatch.delenv("MICROCRED_KEK")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert states(response)["kek"] == state
    assert "nonsense" not in response.content.decode()


def test_a_kek_that_does_not_open_the_provider_keys_is_an_error(
    client: Client, configured: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from microcred_web.issuing.keys import ensure_key
    from microcred_web.register.models import Provider

    provider = Provider.objects.create(slug="p", legal_name={"en": "P"}, kind="company")
    ensure_key(provider)
    assert client.get("/api/v1/health").status_code == 200
    secret = tmp_path / "secret-dir" / "kek.txt"
    secret.parent.mkdir()
    secret.write_text(generate_kek())
    monkeypatch.delenv("MICROCRED_KEK")
    monkeypatch.setenv("MICROCRED_KEK_FILE", str(secret))
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    kek = response.json()["components"]["kek"]
    assert kek["status"] == "error" and "wrong-kek" in kek["detail"]
    assert "secret-dir" not in response.content.decode()  # no path leaks


def test_a_missing_identifier_key_is_reported(
    client: Client, configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICROCRED_IDENTIFIER_KEY")
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert states(response)["identifier_key"] == "missing"


def test_a_stale_index_is_reported(
    client: Client, configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "catalogue_count", lambda: 7)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    index = response.json()["components"]["search_index"]
    assert index["status"] == "stale"
    assert index["counts"] == {"documents": 0, "published": 7}


def test_an_unreadable_index_is_an_error(
    client: Client, configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcred.catalogue import SearchIndexError

    def broken() -> Any:
        raise SearchIndexError("cannot open the catalogue index at /secret/path")

    monkeypatch.setattr(services, "get_index", broken)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert states(response)["search_index"] == "error"
    assert "/secret/path" not in response.content.decode()


def test_unsigned_status_lists_are_reported(client: Client, configured: str) -> None:
    from microcred_web.register.models import Provider

    provider = Provider.objects.create(slug="p", legal_name={"en": "P"}, kind="company")
    StatusListRecord.objects.create(
        provider=provider, purpose="revocation", number=1, size=8, encoded="x"
    )
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["components"]["status_lists"]["counts"] == {"unsigned": 1}


def test_a_database_that_does_not_answer_is_error_503(
    client: Client, configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    def down(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("connection refused to secret-host")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and states(response) == {"database": "error"}
    assert "secret-host" not in json.dumps(body)


def test_the_suite_runs_on_the_database_it_claims() -> None:
    assert connection.vendor == expected_vendor()
    if connection.vendor == "postgresql":
        assert connection.pg_version >= 150000  # type: ignore[attr-defined]


def test_health_responses_are_declared_in_the_openapi_description(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/health"]["get"]
    assert set(operation["responses"]) == {"200", "503"}
    ref = operation["responses"]["503"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(schema["required"]) >= {"status", "version", "database", "components"}
    assert schema["properties"]["status"]["enum"] == ["ok", "degraded", "error"]
