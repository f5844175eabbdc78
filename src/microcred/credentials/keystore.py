"""Private signing keys encrypted at rest under a key-encryption key (KEK).

Why: the brief's trust model says private keys never sit in the database in clear, and
issue 4 asks that a database dump hold no usable private key. So the database stores only
*sealed* strings; the KEK that opens them lives outside the database, in the process
environment (``MICROCRED_KEK``) or in a file it names (``MICROCRED_KEK_FILE``, for
Docker/Kubernetes secrets and systemd credentials). See ``docs/keys-and-backup.md``.

Construction: AES-256-GCM (NIST SP 800-38D) through ``cryptography``'s ``AESGCM``, with a
fresh random 96-bit nonce per seal (SP 800-38D §8.2.2; with one seal per key generation or
rotation, far from the 2**32 random-nonce limit of §8.3). The sealed form is text::

    mck1.<kid>.<nonce>.<ciphertext+tag>      (nonce and ciphertext base64url, no padding)

- ``mck1`` versions the format, so it can change without guessing;
- ``kid`` is the first 8 bytes of SHA-256 of the KEK, in hex: it says *which* KEK sealed the
  blob, so a wrong KEK is reported as such and a KEK rotation (:func:`rewrap`) can find what
  still needs re-sealing; the KEK is 256 random bits, so its hash reveals nothing usable;
- the associated data binds the sealed key to its owner (see :func:`key_owner_ad`): a sealed
  blob copied onto another provider's row does not open. The version and kid are
  authenticated too, so none of the four parts can be changed unnoticed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEK_ENV: Final = "MICROCRED_KEK"
KEK_FILE_ENV: Final = "MICROCRED_KEK_FILE"
KEK_LENGTH: Final = 32
NONCE_LENGTH: Final = 12
TAG_LENGTH: Final = 16
VERSION: Final = "mck1"
#: A sealed value longer than this is refused before decoding (private keys are tiny).
MAX_SEALED_LENGTH: Final = 8192
MAX_PLAINTEXT_LENGTH: Final = 4096

_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_KID = re.compile(r"[0-9a-f]{16}")


class KeystoreError(Exception):
    """A KEK (or identifier key) that is missing or malformed, or a sealed key that cannot be
    opened.

    ``code`` is stable (kebab-case) for programs and logs; messages never contain key
    material.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def secret_from_env(
    name: str, environ: Mapping[str, str] | None = None, *, code: str, what: str, hint: str
) -> tuple[str, str]:
    """The text of a secret from ``$name`` or from the file named by ``$name_FILE``, and where
    it came from (for messages).

    Exactly one of the two must be set; the KEK and the learner-identifier key are both read
    this way. Errors are :class:`KeystoreError` with codes ``<code>-ambiguous`` and
    ``<code>-missing``; ``what`` names the secret and ``hint`` says what to set.
    """
    env = os.environ if environ is None else environ
    file_name = f"{name}_FILE"
    value = env.get(name, "")
    path = env.get(file_name, "")
    if value and path:
        raise KeystoreError(
            f"{code}-ambiguous", f"both {name} and {file_name} are set; set only one of them"
        )
    if value:
        return value, name
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KeystoreError(
                f"{code}-missing", f"{file_name} names {path!r}, which does not exist"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise KeystoreError(
                f"{code}-missing", f"cannot read the key file {path!r} named by {file_name}: {exc}"
            ) from None
        return text, f"the key file {path!r} ({file_name})"
    raise KeystoreError(f"{code}-missing", f"no {what}: {hint}; see docs/keys-and-backup.md")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str, what: str) -> bytes:
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise KeystoreError("sealed-key-malformed", f"sealed key: {what} is not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise KeystoreError(
            "sealed-key-malformed", f"sealed key: {what} is not base64url"
        ) from None


class KeyEncryptionKey:
    """A 256-bit AES key that seals private keys; never stored in the database.

    Build it with :meth:`from_env` in a running instance, or :meth:`from_text` from a value
    produced by :func:`generate_kek`. Its ``repr`` shows only the ``kid``.
    """

    __slots__ = ("_aead", "_raw", "kid")

    def __init__(self, raw: bytes) -> None:
        if not isinstance(raw, bytes) or len(raw) != KEK_LENGTH:
            length = len(raw) if isinstance(raw, bytes) else type(raw).__name__
            raise KeystoreError(
                "kek-malformed", f"a key-encryption key is {KEK_LENGTH} bytes, got {length}"
            )
        if raw == bytes(KEK_LENGTH):
            raise KeystoreError("kek-malformed", "the key-encryption key is all zero bytes")
        self._raw = raw
        self._aead = AESGCM(raw)
        self.kid: str = hashlib.sha256(raw).digest()[:8].hex()

    @classmethod
    def from_text(cls, text: str, *, source: str = "key-encryption key") -> KeyEncryptionKey:
        """Parse base64url text (43 characters; padding and surrounding blanks tolerated)."""
        value = text.strip().rstrip("=")
        if not value:
            raise KeystoreError("kek-malformed", f"{source} is empty")
        if not _BASE64URL.fullmatch(value) or len(value) % 4 == 1:
            raise KeystoreError(
                "kek-malformed",
                f"{source} is not base64url text (generate one with "
                "microcred.credentials.keystore.generate_kek(), see docs/keys-and-backup.md)",
            )
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        if len(raw) != KEK_LENGTH:
            raise KeystoreError(
                "kek-malformed",
                f"{source} decodes to {len(raw)} bytes; a key-encryption key is {KEK_LENGTH} "
                "bytes (43 base64url characters)",
            )
        return cls(raw)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, name: str = KEK_ENV
    ) -> KeyEncryptionKey:
        """The KEK from ``$name`` or from the file named by ``$name_FILE``.

        Exactly one of the two must be set: there is no default key, because an instance that
        silently used one would seal every provider's key under a value anyone can read in
        this source. ``name`` lets a rotation read the outgoing key from, say,
        ``MICROCRED_KEK_OLD`` / ``MICROCRED_KEK_OLD_FILE``.
        """
        text, source = secret_from_env(
            name,
            environ,
            code="kek",
            what="key-encryption key",
            hint=f"set {name} (base64url, 32 bytes) or {name}_FILE (path to a file holding it)",
        )
        return cls.from_text(text, source=source)

    def to_text(self) -> str:
        """The KEK as base64url text, for backup (handle like the key itself)."""
        return _b64url(self._raw)

    def __repr__(self) -> str:
        return f"KeyEncryptionKey(kid={self.kid!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeyEncryptionKey):
            return NotImplemented
        return hmac.compare_digest(self._raw, other._raw)

    def __hash__(self) -> int:
        return hash(self.kid)

    def _aad(self, associated_data: bytes) -> bytes:
        # Fixed-length prefix (version, kid) then the caller's data: unambiguous.
        return f"{VERSION}.{self.kid}.".encode("ascii") + associated_data


def generate_kek() -> str:
    """A fresh random KEK as base64url text, for ``MICROCRED_KEK`` or its file."""
    return _b64url(secrets.token_bytes(KEK_LENGTH))


def key_owner_ad(provider_id: str | int, key_id: str) -> bytes:
    """Associated data binding a sealed key to its provider and key id.

    The same values must be given to :func:`seal` and :func:`unseal`; swapping sealed blobs
    between providers (or between a provider's keys) then fails authentication.
    """
    parts = (str(provider_id), key_id)
    if any(not isinstance(part, str) or not part or "\0" in part for part in parts):
        raise ValueError("provider_id and key_id must be non-empty and contain no NUL")
    return b"microcred-signing-key\0" + "\0".join(parts).encode("utf-8")


def _check_ad(associated_data: object) -> bytes:
    if not isinstance(associated_data, bytes) or not associated_data:
        raise TypeError("associated_data must be non-empty bytes naming the key's owner")
    return associated_data


def seal(private_key_bytes: bytes, kek: KeyEncryptionKey, associated_data: bytes) -> str:
    """Encrypt a private key for storage: ``mck1.<kid>.<nonce>.<ciphertext>``."""
    if not isinstance(private_key_bytes, bytes) or not private_key_bytes:
        raise TypeError("private_key_bytes must be non-empty bytes")
    if len(private_key_bytes) > MAX_PLAINTEXT_LENGTH:
        raise ValueError(f"a private key longer than {MAX_PLAINTEXT_LENGTH} bytes is refused")
    aad = kek._aad(_check_ad(associated_data))
    nonce = secrets.token_bytes(NONCE_LENGTH)
    ciphertext = kek._aead.encrypt(nonce, private_key_bytes, aad)
    return f"{VERSION}.{kek.kid}.{_b64url(nonce)}.{_b64url(ciphertext)}"


def _parse(sealed: object) -> tuple[str, bytes, bytes]:
    if not isinstance(sealed, str):
        raise KeystoreError("sealed-key-malformed", "a sealed key is a string")
    if len(sealed) > MAX_SEALED_LENGTH:
        raise KeystoreError("sealed-key-malformed", "sealed key is too long")
    parts = sealed.split(".")
    if parts[0] != VERSION:
        raise KeystoreError(
            "sealed-key-version",
            f"not a sealed key of a known format (expected prefix {VERSION!r})",
        )
    if len(parts) != 4 or not _KID.fullmatch(parts[1]):
        raise KeystoreError(
            "sealed-key-malformed", f"a sealed key has the form {VERSION}.<kid>.<nonce>.<data>"
        )
    nonce = _unb64url(parts[2], "nonce")
    ciphertext = _unb64url(parts[3], "ciphertext")
    if len(nonce) != NONCE_LENGTH or len(ciphertext) <= TAG_LENGTH:
        raise KeystoreError("sealed-key-malformed", "sealed key: nonce or ciphertext too short")
    return parts[1], nonce, ciphertext


def sealed_kid(sealed: str) -> str:
    """The id of the KEK that sealed ``sealed`` (to find what a rotation must rewrap)."""
    return _parse(sealed)[0]


def unseal(sealed: str, kek: KeyEncryptionKey, associated_data: bytes) -> bytes:
    """Decrypt a sealed private key; :class:`KeystoreError` on any mismatch.

    Codes: ``wrong-kek`` (sealed under another KEK), ``unseal-failed`` (authentication
    failed: the blob was altered or belongs to another owner, two cases AES-GCM
    deliberately cannot tell apart), ``sealed-key-malformed`` / ``sealed-key-version``.
    """
    kid, nonce, ciphertext = _parse(sealed)
    if kid != kek.kid:
        raise KeystoreError(
            "wrong-kek",
            f"the key was sealed under KEK {kid}, but the loaded KEK is {kek.kid}: wrong "
            f"{KEK_ENV}, or a KEK rotation not finished (see docs/keys-and-backup.md)",
        )
    aad = kek._aad(_check_ad(associated_data))
    try:
        return kek._aead.decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise KeystoreError(
            "unseal-failed",
            "the sealed key does not authenticate: it was altered, or it belongs to another "
            "provider or key (associated data mismatch)",
        ) from None


def unseal_any(sealed: str, keks: Iterable[KeyEncryptionKey], associated_data: bytes) -> bytes:
    """:func:`unseal` with whichever of ``keks`` sealed the value (during a rotation)."""
    kid = sealed_kid(sealed)
    for kek in keks:
        if kek.kid == kid:
            return unseal(sealed, kek, associated_data)
    raise KeystoreError("wrong-kek", f"the key was sealed under KEK {kid}, which is not loaded")


def rewrap(
    sealed: str, old: KeyEncryptionKey, new: KeyEncryptionKey, associated_data: bytes
) -> str:
    """Re-seal under ``new`` a key sealed under ``old`` (KEK rotation).

    Idempotent: a value already sealed under ``new`` is checked and returned unchanged, so
    an interrupted rotation can simply be run again. The associated data is needed because
    it is part of what the old seal authenticates.
    """
    if sealed_kid(sealed) == new.kid:
        unseal(sealed, new, associated_data)
        return sealed
    return seal(unseal(sealed, old, associated_data), new, associated_data)
