"""Provider keys: sealed at rest, rotated with the old key kept, served in the DID document."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.core.management import call_command

from microcred.credentials.keystore import KeystoreError, generate_kek
from microcred.credentials.multibase import decode_base58btc
from microcred_web.issuing import keys
from microcred_web.issuing.models import AuditEvent, ProviderKey
from microcred_web.register.permissions import PermissionDenied

from .conftest import HOST, IssuingWorld


def test_did_for_provider_is_did_web_under_the_instance_host(world: IssuingWorld) -> None:
    from microcred_web.issuing.identity import did_for_provider

    assert did_for_provider(world.provider_a) == f"did:web:{HOST}:providers:north-sea-university"


def test_a_database_dump_holds_no_usable_private_key(world: IssuingWorld) -> None:
    key = keys.ensure_key(world.provider_a)
    pair = keys.signing_pair(key)
    secret = pair.secret_multibase
    seed = decode_base58btc(secret)[2:]
    out = io.StringIO()
    call_command("dumpdata", "issuing", stdout=out)
    dump = out.getvalue()
    assert key.public_key_multibase in dump  # the dump is real
    for clear in (
        secret,
        seed.hex(),
        base64.b64encode(seed).decode(),
        base64.urlsafe_b64encode(seed).decode().rstrip("="),
    ):
        assert clear not in dump
    assert ProviderKey.objects.get(pk=key.pk).sealed_private.startswith("mck1.")


def test_sealed_key_does_not_open_with_another_kek(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = keys.ensure_key(world.provider_a)
    monkeypatch.setenv("MICROCRED_KEK", generate_kek())
    with pytest.raises(KeystoreError) as caught:
        keys.signing_pair(key)
    assert caught.value.code == "wrong-kek"


def test_a_sealed_key_moved_to_another_provider_does_not_open(world: IssuingWorld) -> None:
    key_a = keys.ensure_key(world.provider_a)
    key_b = keys.ensure_key(world.provider_b)
    key_b.sealed_private = key_a.sealed_private
    with pytest.raises(KeystoreError):
        keys.signing_pair(key_b)


def test_no_kek_no_key(world: IssuingWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROCRED_KEK")
    with pytest.raises(KeystoreError) as caught:
        keys.ensure_key(world.provider_a)
    assert caught.value.code == "kek-missing"
    assert not ProviderKey.objects.exists()


def test_ensure_key_is_stable(world: IssuingWorld) -> None:
    assert keys.ensure_key(world.provider_a).pk == keys.ensure_key(world.provider_a).pk


def test_rotation_keeps_the_retired_key_in_the_did_document(
    world: IssuingWorld, client: Any
) -> None:
    first = keys.ensure_key(world.provider_a)
    second = keys.rotate_key(world.users["staff_a"], world.provider_a, "yearly rotation")
    assert (first.key_id, second.key_id) == ("key-1", "key-2")
    response = client.get("/providers/north-sea-university/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+ld+json"
    document = response.json()
    did = f"did:web:{HOST}:providers:north-sea-university"
    assert document["id"] == did
    methods = {method["id"]: method for method in document["verificationMethod"]}
    assert set(methods) == {f"{did}#key-1", f"{did}#key-2"}
    assert "revoked" in methods[f"{did}#key-1"]
    assert "revoked" not in methods[f"{did}#key-2"]
    assert document["assertionMethod"] == [f"{did}#key-2"]
    event = AuditEvent.objects.get(action="rotate-key")
    assert (event.actor_name, event.reason) == ("staff_a", "yearly rotation")


def test_staff_of_another_provider_cannot_rotate(world: IssuingWorld) -> None:
    with pytest.raises(PermissionDenied):
        keys.rotate_key(world.users["staff_b"], world.provider_a)


def test_rotate_key_command(world: IssuingWorld) -> None:
    out = io.StringIO()
    call_command("rotate_key", "codecraft", "--reason", "test", stdout=out)
    call_command("rotate_key", "codecraft", stdout=out)
    assert "#key-2" in out.getvalue()
    assert ProviderKey.objects.filter(provider=world.provider_b, retired__isnull=True).count() == 1
    assert ProviderKey.objects.filter(provider=world.provider_b).count() == 2


def test_did_document_is_404_without_keys(world: IssuingWorld, client: Any) -> None:
    assert client.get("/providers/codecraft/did.json").status_code == 404
    assert client.get("/providers/no-such/did.json").status_code == 404


def test_kek_rotation_rewraps_every_key(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch, issuing_settings: str
) -> None:
    before = keys.signing_pair(keys.ensure_key(world.provider_a)).public.multibase
    keys.ensure_key(world.provider_b)
    monkeypatch.setenv("MICROCRED_KEK_OLD", issuing_settings)
    monkeypatch.setenv("MICROCRED_KEK", generate_kek())
    out = io.StringIO()
    call_command("rewrap_keys", stdout=out)
    assert "2 key(s) re-sealed, 0 already" in out.getvalue()
    call_command("rewrap_keys", stdout=out)
    assert "0 key(s) re-sealed, 2 already" in out.getvalue()
    monkeypatch.delenv("MICROCRED_KEK_OLD")
    after = keys.signing_pair(ProviderKey.objects.get(provider=world.provider_a))
    assert after.public.multibase == before
