"""Private keys sealed at rest under a key-encryption key (AES-256-GCM)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred.credentials.keystore import (
    KEK_ENV,
    KEK_FILE_ENV,
    KeyEncryptionKey,
    KeystoreError,
    generate_kek,
    key_owner_ad,
    rewrap,
    seal,
    sealed_kid,
    unseal,
    unseal_any,
)

SECRET = bytes(range(1, 33))  # stands in for a raw Ed25519 private key
AD = key_owner_ad("provider-1", "key-2024")


@pytest.fixture
def kek() -> KeyEncryptionKey:
    return KeyEncryptionKey.from_text(generate_kek())


def _flip(sealed: str, part: int, position: int = 0) -> str:
    parts = sealed.split(".")
    text = parts[part]
    replacement = "B" if text[position] != "B" else "C"
    parts[part] = text[:position] + replacement + text[position + 1 :]
    return ".".join(parts)


def test_round_trip(kek: KeyEncryptionKey) -> None:
    sealed = seal(SECRET, kek, AD)
    assert unseal(sealed, kek, AD) == SECRET
    version, kid, nonce, ciphertext = sealed.split(".")
    assert version == "mck1" and kid == kek.kid and len(kid) == 16
    assert len(base64.urlsafe_b64decode(nonce + "=" * (-len(nonce) % 4))) == 12
    assert len(base64.urlsafe_b64decode(ciphertext + "=" * (-len(ciphertext) % 4))) == 32 + 16


@given(st.binary(min_size=1, max_size=256))
def test_round_trip_any_bytes(secret: bytes) -> None:
    kek = KeyEncryptionKey(bytes(range(100, 132)))
    assert unseal(seal(secret, kek, AD), kek, AD) == secret


def test_each_seal_uses_a_fresh_nonce(kek: KeyEncryptionKey) -> None:
    sealed = {seal(SECRET, kek, AD) for _ in range(20)}
    assert len(sealed) == 20
    assert len({value.split(".")[2] for value in sealed}) == 20


def test_sealed_string_never_contains_the_key(kek: KeyEncryptionKey) -> None:
    secret = os.urandom(32)
    sealed = seal(secret, kek, AD)
    encodings = {
        secret.hex(),
        secret.hex().upper(),
        base64.b64encode(secret).decode().rstrip("="),
        base64.urlsafe_b64encode(secret).decode().rstrip("="),
    }
    for text in encodings:
        assert text not in sealed
        # nor any long fragment of it (a shifted base64 alignment still shows 8+ characters)
        assert not any(text[i : i + 12] in sealed for i in range(len(text) - 12))
    assert kek.to_text() not in sealed
    assert secret not in sealed.encode()


def test_wrong_kek_is_reported_as_such(kek: KeyEncryptionKey) -> None:
    other = KeyEncryptionKey.from_text(generate_kek())
    sealed = seal(SECRET, kek, AD)
    with pytest.raises(KeystoreError, match=f"sealed under KEK {kek.kid}") as excinfo:
        unseal(sealed, other, AD)
    assert excinfo.value.code == "wrong-kek"


def test_wrong_kek_with_a_forged_kid_fails_authentication(kek: KeyEncryptionKey) -> None:
    other = KeyEncryptionKey.from_text(generate_kek())
    parts = seal(SECRET, kek, AD).split(".")
    parts[1] = other.kid
    with pytest.raises(KeystoreError) as excinfo:
        unseal(".".join(parts), other, AD)
    assert excinfo.value.code == "unseal-failed"


@pytest.mark.parametrize("position", [0, 10, -2])
def test_tampered_ciphertext_is_refused(kek: KeyEncryptionKey, position: int) -> None:
    sealed = seal(SECRET, kek, AD)
    ciphertext_length = len(sealed.split(".")[3])
    tampered = _flip(sealed, 3, position % ciphertext_length)
    with pytest.raises(KeystoreError, match="altered") as excinfo:
        unseal(tampered, kek, AD)
    assert excinfo.value.code == "unseal-failed"


def test_tampered_nonce_is_refused(kek: KeyEncryptionKey) -> None:
    with pytest.raises(KeystoreError) as excinfo:
        unseal(_flip(seal(SECRET, kek, AD), 2), kek, AD)
    assert excinfo.value.code == "unseal-failed"


def test_wrong_associated_data_is_refused(kek: KeyEncryptionKey) -> None:
    sealed = seal(SECRET, kek, AD)
    for other_ad in (
        key_owner_ad("provider-2", "key-2024"),
        key_owner_ad("provider-1", "key-2025"),
        key_owner_ad("provider-1key", "-2024"),
    ):
        with pytest.raises(KeystoreError, match="another provider") as excinfo:
            unseal(sealed, kek, other_ad)
        assert excinfo.value.code == "unseal-failed"


@pytest.mark.parametrize(
    ("sealed", "code"),
    [
        (
            "mck2.0011223344556677.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "sealed-key-version",
        ),
        ("plain-private-key", "sealed-key-version"),
        ("mck1.xyz.AAAA.AAAA", "sealed-key-malformed"),
        ("mck1.0011223344556677.AAAA", "sealed-key-malformed"),
        ("mck1.0011223344556677.AAAA.AAAA", "sealed-key-malformed"),
        ("mck1.0011223344556677.AAAAAAAAAAAAAAAA.AA==", "sealed-key-malformed"),
        (
            "mck1.0011223344556677.AAAAAAAAAAAAAAA!.AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "sealed-key-malformed",
        ),
        ("mck1." + "A" * 9000, "sealed-key-malformed"),
    ],
)
def test_malformed_sealed_values(sealed: str, code: str) -> None:
    kek = KeyEncryptionKey(bytes(range(32)))
    with pytest.raises(KeystoreError) as excinfo:
        unseal(sealed, kek, AD)
    assert excinfo.value.code == code


def test_seal_argument_checks(kek: KeyEncryptionKey) -> None:
    with pytest.raises(TypeError):
        seal(b"", kek, AD)
    with pytest.raises(TypeError):
        seal(SECRET, kek, b"")
    with pytest.raises(TypeError):
        seal("secret", kek, AD)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        seal(bytes(5000), kek, AD)
    with pytest.raises(ValueError):
        key_owner_ad("a\0b", "k")
    with pytest.raises(ValueError):
        key_owner_ad("", "k")
    assert key_owner_ad(7, "k") == key_owner_ad("7", "k")


# --- the KEK ----------------------------------------------------------------------------


def test_generate_kek_is_43_base64url_characters_and_random() -> None:
    values = {generate_kek() for _ in range(10)}
    assert len(values) == 10
    for value in values:
        assert len(value) == 43 and "=" not in value
        assert KeyEncryptionKey.from_text(value).to_text() == value


def test_kek_from_env(kek: KeyEncryptionKey) -> None:
    loaded = KeyEncryptionKey.from_env({KEK_ENV: kek.to_text()})
    assert loaded == kek and loaded.kid == kek.kid


def test_kek_from_file(tmp_path: Path, kek: KeyEncryptionKey) -> None:
    path = tmp_path / "kek"
    path.write_text(kek.to_text() + "\n")  # a trailing newline, as editors and echo add
    assert KeyEncryptionKey.from_env({KEK_FILE_ENV: str(path)}) == kek


def test_kek_from_the_process_environment(
    monkeypatch: pytest.MonkeyPatch, kek: KeyEncryptionKey
) -> None:
    monkeypatch.delenv(KEK_FILE_ENV, raising=False)
    monkeypatch.setenv(KEK_ENV, kek.to_text())
    assert KeyEncryptionKey.from_env() == kek


def test_kek_under_another_name_for_rotation(kek: KeyEncryptionKey) -> None:
    env = {"MICROCRED_KEK_OLD": kek.to_text()}
    assert KeyEncryptionKey.from_env(env, name="MICROCRED_KEK_OLD") == kek


def test_missing_kek_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEK_ENV, raising=False)
    monkeypatch.delenv(KEK_FILE_ENV, raising=False)
    with pytest.raises(KeystoreError, match=r"set MICROCRED_KEK .* or MICROCRED_KEK_FILE") as exc:
        KeyEncryptionKey.from_env()
    assert exc.value.code == "kek-missing"
    with pytest.raises(KeystoreError, match="no key-encryption key"):
        KeyEncryptionKey.from_env({KEK_ENV: ""})


def test_missing_kek_file(tmp_path: Path) -> None:
    with pytest.raises(KeystoreError, match="does not exist") as excinfo:
        KeyEncryptionKey.from_env({KEK_FILE_ENV: str(tmp_path / "absent")})
    assert excinfo.value.code == "kek-missing"
    with pytest.raises(KeystoreError, match="cannot read"):
        KeyEncryptionKey.from_env({KEK_FILE_ENV: str(tmp_path)})  # a directory


def test_both_env_and_file_is_ambiguous(tmp_path: Path, kek: KeyEncryptionKey) -> None:
    path = tmp_path / "kek"
    path.write_text(kek.to_text())
    with pytest.raises(KeystoreError, match="only one") as excinfo:
        KeyEncryptionKey.from_env({KEK_ENV: kek.to_text(), KEK_FILE_ENV: str(path)})
    assert excinfo.value.code == "kek-ambiguous"


@pytest.mark.parametrize(
    "text",
    [
        "   ",
        "not base64 at all!",
        base64.urlsafe_b64encode(bytes(range(1, 17))).decode(),  # 16 bytes: AES-128 size
        base64.urlsafe_b64encode(bytes(range(1, 34))).decode(),  # 33 bytes
        base64.urlsafe_b64encode(bytes(32)).decode(),  # all zero
        "A" * 41,  # length 41 (mod 4 == 1) is never base64
    ],
)
def test_malformed_kek_is_refused(text: str) -> None:
    with pytest.raises(KeystoreError) as excinfo:
        KeyEncryptionKey.from_env({KEK_ENV: text})
    assert excinfo.value.code == "kek-malformed"
    assert "MICROCRED_KEK" in excinfo.value.message or "zero" in excinfo.value.message


def test_kek_accepts_padding_and_blanks(kek: KeyEncryptionKey) -> None:
    assert KeyEncryptionKey.from_text(f"  {kek.to_text()}=\n") == kek


def test_kek_repr_and_errors_never_show_the_key(kek: KeyEncryptionKey) -> None:
    assert kek.to_text() not in repr(kek)
    assert repr(kek) == f"KeyEncryptionKey(kid={kek.kid!r})"
    bad = kek.to_text()[:-2] + "!!"
    with pytest.raises(KeystoreError) as excinfo:
        KeyEncryptionKey.from_text(bad)
    assert bad not in str(excinfo.value)


def test_kek_id_is_the_sha256_prefix() -> None:
    import hashlib

    raw = bytes(range(32))
    assert KeyEncryptionKey(raw).kid == hashlib.sha256(raw).hexdigest()[:16]


# --- rotation ---------------------------------------------------------------------------


def test_rewrap_moves_a_key_to_the_new_kek(kek: KeyEncryptionKey) -> None:
    new = KeyEncryptionKey.from_text(generate_kek())
    sealed = seal(SECRET, kek, AD)
    rewrapped = rewrap(sealed, kek, new, AD)
    assert sealed_kid(sealed) == kek.kid and sealed_kid(rewrapped) == new.kid
    assert unseal(rewrapped, new, AD) == SECRET
    with pytest.raises(KeystoreError):
        unseal(rewrapped, kek, AD)
    # running the rotation again leaves the already-moved value alone
    assert rewrap(rewrapped, kek, new, AD) == rewrapped


def test_rewrap_checks_the_associated_data(kek: KeyEncryptionKey) -> None:
    new = KeyEncryptionKey.from_text(generate_kek())
    sealed = seal(SECRET, kek, AD)
    with pytest.raises(KeystoreError):
        rewrap(sealed, kek, new, key_owner_ad("provider-2", "key-2024"))
    with pytest.raises(KeystoreError):
        rewrap(rewrap(sealed, kek, new, AD), kek, new, key_owner_ad("provider-2", "key-2024"))


def test_rewrap_with_the_wrong_old_kek(kek: KeyEncryptionKey) -> None:
    stranger = KeyEncryptionKey.from_text(generate_kek())
    new = KeyEncryptionKey.from_text(generate_kek())
    with pytest.raises(KeystoreError) as excinfo:
        rewrap(seal(SECRET, kek, AD), stranger, new, AD)
    assert excinfo.value.code == "wrong-kek"


def test_unseal_any_during_a_rotation(kek: KeyEncryptionKey) -> None:
    new = KeyEncryptionKey.from_text(generate_kek())
    old_sealed, new_sealed = seal(SECRET, kek, AD), seal(SECRET, new, AD)
    assert unseal_any(old_sealed, [new, kek], AD) == SECRET
    assert unseal_any(new_sealed, [new, kek], AD) == SECRET
    with pytest.raises(KeystoreError, match="not loaded"):
        unseal_any(old_sealed, [new], AD)
