"""Bring your own: a verified credential is kept with its result; anything else is refused
with the reasons and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred_web.wallet import formats
from microcred_web.wallet.models import WalletEntry
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.verification.conftest import did_key_credential
from tests.web.wallet.fixtures_pages import learner

URL = "/wallet/import/"
VECTOR = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared/fixtures/obv3/test-vectors/signed-obv3-eddsa-rdfc-2022.json"
)


def upload(credential: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile("c.json", json.dumps(credential).encode(), "application/json")


def test_a_did_key_credential_is_verified_and_kept(client: Any, db: Any) -> None:
    account = learner(client)
    credential = did_key_credential()
    response = client.post(URL, {"file": upload(credential)})
    assert response.status_code == 302
    entry = WalletEntry.objects.get(account=account)
    assert entry.source == "imported" and entry.format == "obv3"
    assert entry.credential == credential
    assert entry.verification["verified"] is True
    page = client.get(response["Location"]).content.decode()
    assert "Circular economy foundations" in page and "Result: verified" in page


def test_the_same_credential_twice_is_one_entry(client: Any, db: Any) -> None:
    account = learner(client)
    credential = did_key_credential()
    client.post(URL, {"credential": json.dumps(credential)})
    again = client.post(URL, {"file": upload(credential)}, follow=True)
    assert "already in your wallet" in again.content.decode()
    assert WalletEntry.objects.filter(account=account).count() == 1


@pytest.mark.skipif(not VECTOR.is_file(), reason="shared OBv3 vector not present")
def test_the_shared_obv3_vector_is_refused_as_its_issuer_cannot_be_resolved(
    client: Any, db: Any
) -> None:
    """The vector's issuer DID resolves nowhere here: a credential whose key cannot be found
    is refused with that check, not kept as if it were valid."""
    account = learner(client)
    response = client.post(URL, {"file": SimpleUploadedFile("v.json", VECTOR.read_bytes())})
    assert response.status_code == 422
    assert 'id="failed-issuer"' in response.content.decode()
    assert not WalletEntry.objects.filter(account=account).exists()


def test_a_tampered_credential_is_refused_with_the_failing_check(client: Any, db: Any) -> None:
    account = learner(client)
    credential = did_key_credential()
    credential["credentialSubject"]["achievement"]["name"] = "Something else"
    response = client.post(URL, {"file": upload(credential)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "did not verify" in html and 'id="failed-proof"' in html
    assert not WalletEntry.objects.filter(account=account).exists()


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2, 3]", 422, "not a credential that can be imported"),
        (b'{"name": "a badge"}', 422, "not a credential that can be imported"),
        (b"   ", 400, "empty"),
    ],
)
def test_files_that_are_no_credential(
    client: Any, db: Any, body: bytes, status: int, words: str
) -> None:
    account = learner(client)
    response = client.post(URL, {"file": SimpleUploadedFile("x.json", body)})
    assert response.status_code == status
    assert words in response.content.decode()
    assert not WalletEntry.objects.filter(account=account).exists()


def test_nothing_sent(client: Any, db: Any) -> None:
    learner(client)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Paste a credential or choose a file" in response.content.decode()


def test_a_file_over_the_setting_is_refused(client: Any, db: Any, settings: Any) -> None:
    settings.MICROCRED_WALLET_IMPORT_MAX_BYTES = 1000
    account = learner(client)
    response = client.post(URL, {"file": upload(did_key_credential())})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not WalletEntry.objects.filter(account=account).exists()


class FiftyMegabytes:
    """A multipart body of 50 MB made on demand, counting what is read of it."""

    SIZE = 50 * 1024 * 1024

    def __init__(self) -> None:
        self.head = (
            b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.json"\r\n'
            b"Content-Type: application/json\r\n\r\n"
        )
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        left = self.SIZE - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        data = (self.head + b" " * size)[:size] if self.read_bytes == 0 else b" " * size
        self.read_bytes += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        return self.read(size if size and size > 0 else 1024)


def test_fifty_megabytes_are_refused_before_being_read(client: Any, db: Any) -> None:
    account = learner(client)
    body = FiftyMegabytes()
    response = client.generic(
        "POST",
        URL,
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=B",
        CONTENT_LENGTH=str(FiftyMegabytes.SIZE),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert body.read_bytes < 1024 * 1024
    assert not WalletEntry.objects.filter(account=account).exists()


def test_a_format_plugs_in(db: Any) -> None:
    elm = formats.Format("elm", "Europass (ELM)", lambda d: d == {"elm": 1}, lambda d: {})
    formats.register(elm)
    try:
        assert formats.detect({"elm": 1}) is elm
        assert formats.detect(did_key_credential()) is formats.OBV3
        with pytest.raises(ValueError):
            formats.register(elm)
    finally:
        formats.FORMATS.remove(elm)
