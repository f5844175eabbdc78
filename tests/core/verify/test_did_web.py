"""did:web identifiers, URLs, DID documents with key history, and key validity over time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from microcred.credentials.did_web import (
    KeyRecord,
    KeyStateError,
    build_did_document,
    did_for,
    did_to_url,
    method_id,
    parse_did,
    resolve_method_at,
)
from microcred.credentials.errors import DidResolutionError
from microcred.credentials.expansion import expand
from microcred.credentials.loader import default_loader
from tests.core.verify.conftest import OLD_CREATED, ROTATED, seeded

DID = "did:web:example.com:providers:acme"
OLD, NEW = seeded(21), seeded(22)


def history() -> dict[str, object]:
    return build_did_document(
        DID,
        [
            KeyRecord("key-2", NEW.public.multibase, ROTATED),
            KeyRecord("key-1", OLD.public.multibase, OLD_CREATED, retired=ROTATED),
        ],
    )


@pytest.mark.parametrize(
    ("host", "segments", "did"),
    [
        ("example.com", [], "did:web:example.com"),
        ("Example.COM", [], "did:web:example.com"),
        ("example.com:8443", [], "did:web:example.com%3A8443"),
        ("localhost:8000", ["providers", "acme"], "did:web:localhost%3A8000:providers:acme"),
        ("example.com", ["a b", "x~y"], "did:web:example.com:a%20b:x%7Ey"),
    ],
)
def test_did_for_encodes_port_and_path(host: str, segments: list[str], did: str) -> None:
    assert did_for(host, segments) == did


@pytest.mark.parametrize(
    ("host", "segments"),
    [
        ("exa mple.com", []),
        ("example.com:0", []),
        ("example.com:99999", []),
        ("x.com", [".."]),
        ("x.com", [""]),
        ("x.com", ["a/b"]),
        ("-bad.com", []),
    ],
)
def test_did_for_refuses_bad_hosts_and_segments(host: str, segments: list[str]) -> None:
    with pytest.raises(ValueError):
        did_for(host, segments)


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com:a:b", "https://example.com/a/b/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
        (
            "did:web:localhost%3A8000:providers:acme",
            "https://localhost:8000/providers/acme/did.json",
        ),
        ("did:web:example.com:a%20b", "https://example.com/a%20b/did.json"),
    ],
)
def test_did_to_url(did: str, url: str) -> None:
    assert did_to_url(did) == url


def test_round_trip() -> None:
    did = did_for("example.com:8443", ["providers", "école"])
    assert parse_did(did) == ("example.com:8443", ["providers", "école"])


def test_http_only_for_allowed_loopback_hosts() -> None:
    did = "did:web:localhost%3A8000:providers:acme"
    assert did_to_url(did, allow_http_hosts={"localhost"}) == (
        "http://localhost:8000/providers/acme/did.json"
    )
    assert did_to_url("did:web:127.0.0.1", allow_http_hosts={"127.0.0.1"}).startswith("http://")
    # off by default, and only for the hosts named
    assert did_to_url("did:web:127.0.0.1", allow_http_hosts={"localhost"}).startswith("https://")
    with pytest.raises(ValueError, match="only for"):
        did_to_url("did:web:example.com", allow_http_hosts={"example.com"})


@pytest.mark.parametrize(
    "did",
    [
        "did:key:z6Mk",
        "did:web:",
        "did:web:example.com#key-1",
        "did:web:example.com/path",
        "did:web:example.com:..",
        "did:web:example.com:%2E%2E",
        "did:web:example.com:a%2Fb",
        "did:web:example.com::a",
        "did:web:exa_mple.com",
        "did:web:example.com%3Ahttp",
    ],
)
def test_did_to_url_refuses_malformed_dids(did: str) -> None:
    with pytest.raises(DidResolutionError):
        did_to_url(did)


def test_document_keeps_every_key_and_marks_retired_ones() -> None:
    document = history()
    old_id, new_id = method_id(DID, "key-1"), method_id(DID, "key-2")
    assert document["id"] == DID
    methods = document["verificationMethod"]
    assert isinstance(methods, list)
    assert [m["id"] for m in methods] == [old_id, new_id]  # oldest first
    old, new = methods
    assert old == {
        "id": old_id,
        "type": "Multikey",
        "controller": DID,
        "publicKeyMultibase": OLD.public.multibase,
        "created": "2024-01-01T00:00:00Z",
        "revoked": "2025-01-01T00:00:00Z",
    }
    assert "revoked" not in new
    assert document["assertionMethod"] == [new_id]
    assert document["authentication"] == [new_id]


def test_document_is_fully_defined_json_ld() -> None:
    """Every term, ``created`` and ``revoked`` included, is defined by its contexts."""
    expanded = expand(history(), default_loader())
    assert "http://purl.org/dc/terms/created" in str(expanded)
    assert "https://w3id.org/security#revoked" in str(expanded)


@pytest.mark.parametrize(
    "records",
    [
        [KeyRecord("k", "zNotAKey", OLD_CREATED)],
        [KeyRecord("k", OLD.public.multibase, OLD_CREATED)] * 2,
        [KeyRecord("k#1", OLD.public.multibase, OLD_CREATED)],
        [KeyRecord("k", OLD.public.multibase, datetime(2024, 1, 1))],
        [KeyRecord("k", OLD.public.multibase, ROTATED, retired=OLD_CREATED)],
    ],
)
def test_document_refuses_bad_records(records: list[KeyRecord]) -> None:
    with pytest.raises(ValueError):
        build_did_document(DID, records)


@pytest.mark.parametrize(
    ("key", "signed_at", "code"),
    [
        ("key-1", ROTATED - timedelta(days=1), None),  # old key, before retirement
        ("key-1", ROTATED, "key-revoked"),  # at the instant of retirement: no longer
        ("key-1", ROTATED + timedelta(days=1), "key-revoked"),
        ("key-1", OLD_CREATED - timedelta(seconds=1), "key-not-yet-created"),
        ("key-2", ROTATED + timedelta(days=1), None),
        ("key-2", ROTATED - timedelta(days=1), "key-not-yet-created"),
        ("key-1", None, "proof-created-missing"),
        ("key-2", None, None),
        ("key-3", ROTATED, "verification-method-not-found"),
    ],
)
def test_key_available_over_time(key: str, signed_at: datetime | None, code: str | None) -> None:
    document = history()
    method = method_id(DID, key)
    if code is None:
        resolved = resolve_method_at(document, method, "assertionMethod", signed_at)
        assert resolved == (OLD if key == "key-1" else NEW).public
    else:
        with pytest.raises(KeyStateError) as caught:
            resolve_method_at(document, method, "assertionMethod", signed_at)
        assert caught.value.code == code


def test_future_proof_refused() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(KeyStateError) as caught:
        resolve_method_at(
            history(), method_id(DID, "key-2"), "assertionMethod", now + timedelta(hours=1), now=now
        )
    assert caught.value.code == "proof-created-in-future"


def test_key_not_authorised_for_other_purposes() -> None:
    with pytest.raises(KeyStateError) as caught:
        resolve_method_at(history(), method_id(DID, "key-2"), "keyAgreement", ROTATED)
    assert caught.value.code == "key-not-authorised"


def test_controller_must_be_the_did() -> None:
    document = history()
    document["verificationMethod"][1]["controller"] = "did:web:evil.example"  # type: ignore[index]
    with pytest.raises(KeyStateError) as caught:
        resolve_method_at(document, method_id(DID, "key-2"), "assertionMethod", ROTATED)
    assert caught.value.code == "controller-mismatch"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"revoked": "yesterday"}, "verification-method-malformed"),
        ({"type": "JsonWebKey"}, "verification-method-malformed"),
        ({"publicKeyMultibase": "z123"}, "verification-method-malformed"),
        ({"expires": "2025-06-01T00:00:00Z"}, "key-expired"),
    ],
)
def test_malformed_or_expired_methods(change: dict[str, str], code: str) -> None:
    document = history()
    document["verificationMethod"][1].update(change)  # type: ignore[index]
    with pytest.raises(KeyStateError) as caught:
        resolve_method_at(
            document, method_id(DID, "key-2"), "assertionMethod", datetime(2025, 7, 1, tzinfo=UTC)
        )
    assert caught.value.code == code
