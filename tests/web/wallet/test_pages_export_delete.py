"""The archive of everything, and deleting the account (the issued record stays)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.contrib.auth import get_user_model

from microcred_web.issuing import status
from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord
from microcred_web.wallet.models import (
    Collection,
    LearnerAccount,
    LearnerAddress,
    OneTimeLink,
    WalletEntry,
)
from microcred_web.wallet.sharing import create_share
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.wallet.fixtures_pages import issued_entry, learner


def test_the_archive_holds_every_credential_a_manifest_and_a_readme(
    client: Any, world: Any
) -> None:
    account = learner(client)
    entry = issued_entry(world, account)
    collection = Collection.objects.create(account=account, name="CV")
    collection.entries.add(entry)
    response = client.get("/wallet/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert names == {f"credentials/{entry.public_id}.json", "manifest.json", "README.txt"}
    stored = json.loads(archive.read(f"credentials/{entry.public_id}.json"))
    assert stored == entry.issued.credential
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["collections"] == [{"name": "CV", "entries": [str(entry.public_id)]}]
    assert manifest["entries"][0]["title"] == "Data stewardship basics"
    assert manifest["entries"][0]["collections"] == ["CV"]
    assert b"manifest.json" in archive.read("README.txt")


def test_deleting_the_account_erases_personal_data_and_keeps_the_record(
    client: Any, world: Any
) -> None:
    account = learner(client)
    entry = issued_entry(world, account)
    address = LearnerAddress.objects.create(
        account=account, email="ada@example.org", identifier_hash="h" * 64
    )
    OneTimeLink.objects.create(
        purpose="sign-in",
        token_hash="t" * 64,
        identifier_hash=address.identifier_hash,
        email=address.email,
        expires="2030-01-01T00:00:00Z",
    )
    create_share(account, entry=entry)
    record_pk, user_pk = entry.issued.pk, account.user.pk
    wrong = client.post("/wallet/account/delete/", {"confirm": "yes"})
    assert wrong.status_code == 400 and "Type the word delete" in wrong.content.decode()
    assert LearnerAccount.objects.filter(pk=account.pk).exists()
    assert client.post("/wallet/account/delete/", {"confirm": "delete"}).status_code == 200
    assert not get_user_model().objects.filter(pk=user_pk).exists()
    assert not LearnerAccount.objects.exists() and not LearnerAddress.objects.exists()
    assert not WalletEntry.objects.exists() and not OneTimeLink.objects.exists()
    record = IssuedCredentialRecord.objects.get(pk=record_pk)
    status.set_status(world.users["staff_a"], record, "revoke", "after the learner left")
    assert IssuedCredentialRecord.objects.get(pk=record_pk).revoked
    event = AuditEvent.objects.get(action="wallet-delete")
    assert "ada" not in json.dumps(event.details) + event.target + event.actor_name
