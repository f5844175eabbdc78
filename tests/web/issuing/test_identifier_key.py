"""The learner-identifier key: its own secret, never SECRET_KEY, checked against the database.

Rotating the Django secret key must change nothing; a different identifier key must refuse to
issue (API, service, system check) rather than give a learner a second credential.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from microcred.credentials.identifier_key import IdentifierKey, fingerprint_of
from microcred_web.issuing import issue
from microcred_web.issuing.checks import identifier_key_check
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord, KeyFingerprint

from .conftest import IssuingWorld

URL = "/api/v1/credentials/issue"
ADA = issue.Learner("ada@example.org", "Ada Lovelace")


def issue_ada(world: IssuingWorld) -> issue.IssueOutcome:
    return issue.issue_credential(world.users["staff_a"], world.spec_a, ADA)


def test_a_new_secret_key_returns_the_existing_credential(
    world: IssuingWorld, settings: Any
) -> None:
    first = issue_ada(world)
    settings.SECRET_KEY = "a-production-secret-key-" + "x" * 40
    again = issue_ada(world)
    assert again.created is False
    assert again.record.public_id == first.record.public_id
    assert IssuedCredentialRecord.objects.count() == 1


def test_the_first_issue_records_the_fingerprint(world: IssuingWorld) -> None:
    assert not KeyFingerprint.objects.exists()
    issue_ada(world)
    recorded = KeyFingerprint.objects.get(name=KeyFingerprint.IDENTIFIER_KEY)
    assert recorded.fingerprint == IdentifierKey.from_env().fingerprint
    assert recorded.source == "first-issue"


def test_a_different_identifier_key_is_refused(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    issue_ada(world)
    recorded = KeyFingerprint.objects.get().fingerprint
    monkeypatch.setenv("MICROCRED_IDENTIFIER_KEY", "another-identifier-key-entirely")
    with pytest.raises(IssuingError) as caught:
        issue_ada(world)
    assert caught.value.code == "identifier-key-mismatch"
    assert recorded in caught.value.message
    assert fingerprint_of("another-identifier-key-entirely") in caught.value.message
    response = client.post(
        URL,
        data=json.dumps({"specification": world.spec_a.public_id, "learner": {"identifier": "b"}}),
        content_type="application/json",
        **world.auth("staff_a"),
    )
    assert response.status_code == 422, response.content
    assert "identifier-key-mismatch" in response.content.decode()
    assert IssuedCredentialRecord.objects.count() == 1
    errors = identifier_key_check()
    assert [e.id for e in errors] == ["microcred.E011"]
    assert "second credential" in errors[0].msg


def test_no_identifier_key_is_refused_and_warned(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICROCRED_IDENTIFIER_KEY", raising=False)
    monkeypatch.delenv("MICROCRED_IDENTIFIER_KEY_FILE", raising=False)
    with pytest.raises(IssuingError) as caught:
        issue_ada(world)
    assert caught.value.code == "identifier-key-missing"
    assert "MICROCRED_IDENTIFIER_KEY" in caught.value.message
    assert [e.id for e in identifier_key_check()] == ["microcred.W010"]
    assert not IssuedCredentialRecord.objects.exists()


def test_the_key_can_come_from_a_file(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    path = tmp_path / "identifier-key"
    path.write_text("a-key-from-a-file-0123456789\n")
    monkeypatch.delenv("MICROCRED_IDENTIFIER_KEY")
    monkeypatch.setenv("MICROCRED_IDENTIFIER_KEY_FILE", str(path))
    issue_ada(world)
    expected = fingerprint_of("a-key-from-a-file-0123456789")
    assert KeyFingerprint.objects.get().fingerprint == expected


def test_a_key_unused_by_any_credential_can_be_replaced(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    KeyFingerprint.objects.create(
        name=KeyFingerprint.IDENTIFIER_KEY, fingerprint="0" * 32, source="first-issue"
    )
    assert issue_ada(world).created
    assert KeyFingerprint.objects.get().fingerprint == IdentifierKey.from_env().fingerprint


def test_the_old_secret_key_as_identifier_key_gives_the_old_hashes() -> None:
    """The migration path: hashes made under SECRET_KEY match under that value as the key."""
    old_secret = "django-insecure-microcred-development-only-never-use-in-production"
    legacy = hmac.new(
        old_secret.encode(),
        b"microcred.issuing.learner-identifier.v1\0ada@example.org",
        hashlib.sha256,
    ).hexdigest()
    assert IdentifierKey(old_secret).hash(" ada@example.org ") == legacy


def test_the_migration_records_the_legacy_key_and_adopt_confirms(
    world: IssuingWorld, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue_ada(world)
    KeyFingerprint.objects.all().delete()
    # Without a record, a database with credentials refuses until the key is confirmed.
    with pytest.raises(IssuingError) as caught:
        issue_ada(world)
    assert caught.value.code == "identifier-key-unconfirmed"
    migration = importlib.import_module("microcred_web.issuing.migrations.0002_key_fingerprint")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.record_legacy_key(django_apps, editor)
    recorded = KeyFingerprint.objects.get()
    assert recorded.source == "legacy-secret-key"
    assert recorded.fingerprint == fingerprint_of(settings.SECRET_KEY)
    with pytest.raises(IssuingError, match="MICROCRED_SECRET_KEY had then"):
        issue_ada(world)
    with pytest.raises(CommandError, match="not the key"):
        call_command("identifier_key")
    # The operator confirms the configured key (here: the one the hashes were made under).
    call_command("identifier_key", "--adopt")
    assert KeyFingerprint.objects.get().source == "adopted"
    assert issue_ada(world).created is False


def test_a_first_record_made_meanwhile_wins(db: Any) -> None:
    """Two processes issuing the first credentials with different keys: the second is refused."""
    from microcred_web.issuing import identifier

    first = IdentifierKey("the-first-process-key-0123")
    identifier.record(first, "first-issue")
    with pytest.raises(IssuingError) as caught:
        identifier.record(IdentifierKey("the-second-process-key-456"), "first-issue")
    assert caught.value.code == "identifier-key-mismatch"
    assert KeyFingerprint.objects.get().fingerprint == first.fingerprint


def test_a_missing_key_on_a_legacy_database_says_which_value(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    KeyFingerprint.objects.create(
        name=KeyFingerprint.IDENTIFIER_KEY, fingerprint="1" * 32, source="legacy-secret-key"
    )
    monkeypatch.delenv("MICROCRED_IDENTIFIER_KEY")
    with pytest.raises(IssuingError, match="MICROCRED_SECRET_KEY had then") as caught:
        issue_ada(world)
    assert caught.value.code == "identifier-key-missing"
