"""The learner's holder key: made once, sealed under the KEK bound to the account, refused
cleanly without a KEK, re-sealed by the KEK rotation."""

from __future__ import annotations

import pytest

from microcred.credentials import did_key, keystore
from microcred.credentials.keys import PublicKey
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.keys import rewrap_all
from microcred_web.wallet import holder
from microcred_web.wallet.models import LearnerAccount
from tests.web.wallet.fixtures_present import make_learner

pytestmark = pytest.mark.django_db


def test_made_once_sealed_and_did_key() -> None:
    account = make_learner("ada@example.org")
    assert account.holder_did == ""
    holder.ensure_holder_key(account)
    stored = LearnerAccount.objects.get(pk=account.pk)
    assert stored.holder_did.startswith("did:key:z6Mk")
    assert stored.holder_did == did_key.did_for(
        PublicKey.from_multibase(stored.holder_public_multibase)
    )
    assert stored.holder_sealed_private.startswith("mck1.")
    pair = holder.holder_pair(stored)
    assert pair.secret_multibase not in stored.holder_sealed_private
    assert pair.public.multibase == stored.holder_public_multibase
    again = holder.ensure_holder_key(LearnerAccount.objects.get(pk=account.pk))
    assert again.holder_did == stored.holder_did  # not made twice


def test_sealed_key_is_bound_to_its_account() -> None:
    ada = holder.ensure_holder_key(make_learner("ada@example.org"))
    bob = holder.ensure_holder_key(make_learner("bob@example.org"))
    LearnerAccount.objects.filter(pk=bob.pk).update(holder_sealed_private=ada.holder_sealed_private)
    with pytest.raises(IssuingError) as caught:
        holder.holder_pair(LearnerAccount.objects.get(pk=bob.pk))
    assert caught.value.code == "kek-unavailable"


def test_without_kek_nothing_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    account = make_learner("ada@example.org")
    monkeypatch.delenv("MICROCRED_KEK")
    with pytest.raises(IssuingError) as caught:
        holder.ensure_holder_key(account)
    assert caught.value.code == "kek-unavailable" and caught.value.status == 503
    stored = LearnerAccount.objects.get(pk=account.pk)
    assert (stored.holder_did, stored.holder_sealed_private) == ("", "")


def test_rewrap_covers_holder_keys(monkeypatch: pytest.MonkeyPatch, issuing_settings: str) -> None:
    account = holder.ensure_holder_key(make_learner("ada@example.org"))
    before = holder.holder_pair(account).secret_multibase
    new = keystore.generate_kek()
    monkeypatch.setenv("MICROCRED_KEK_OLD", issuing_settings)
    monkeypatch.setenv("MICROCRED_KEK", new)
    changed, current = rewrap_all()
    assert (changed, current) == (1, 0)
    stored = LearnerAccount.objects.get(pk=account.pk)
    assert (
        keystore.sealed_kid(stored.holder_sealed_private)
        == keystore.KeyEncryptionKey.from_text(new).kid
    )
    assert holder.holder_pair(stored).secret_multibase == before
    assert rewrap_all() == (0, 1)


def test_backup_manifest_names_the_holder_keys_kek(issuing_settings: str) -> None:
    from microcred_web.backup.services import build_manifest

    holder.ensure_holder_key(make_learner("ada@example.org"))
    manifest = build_manifest()
    assert manifest["counts"]["holder_keys"] == 1
    kid = keystore.KeyEncryptionKey.from_text(issuing_settings).kid
    assert manifest["keys"]["kek"]["ids"] == [kid]
