"""The learner-identifier key: the secret that keys the hash of every learner identifier.

Why a secret of its own: issuing is idempotent on (specification, learner), and the learner is
known to the database only as a keyed hash of the identifier (so that a dump does not let anyone
confirm a guessed e-mail address). If that key changed, the same learner would hash to a new
value and a re-issue would make a second credential. It was once the Django ``SECRET_KEY``,
which operators rotate (and which changes from the debug key to a production key): now it is
``MICROCRED_IDENTIFIER_KEY`` (or a file named by ``MICROCRED_IDENTIFIER_KEY_FILE``), read like
the KEK (:func:`~microcred.credentials.keystore.secret_from_env`), never derived from anything.

The key is text (its UTF-8 bytes are the HMAC key): a fresh one is 43 base64url characters
(:func:`generate_identifier_key`), but any text of at least :data:`MIN_LENGTH` characters is
taken, so that a database whose hashes were made under an old ``SECRET_KEY`` keeps working by
setting this variable to that old value (hashes cannot be re-keyed without the identifiers).

Its :attr:`IdentifierKey.fingerprint` is an HMAC of a fixed label under the key: it says whether
two keys are the same without revealing either (recorded in the database and in backups).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Final

from microcred.credentials.keystore import KeystoreError, secret_from_env

IDENTIFIER_KEY_ENV: Final = "MICROCRED_IDENTIFIER_KEY"
MIN_LENGTH: Final = 16
#: Prefix of every hashed identifier; unchanged since the hash was keyed by SECRET_KEY, so that
#: the old key value gives the old hashes.
_HASH_CONTEXT: Final = b"microcred.issuing.learner-identifier.v1\0"
_FINGERPRINT_LABEL: Final = b"microcred.identifier-key.fingerprint.v1"
FINGERPRINT_LENGTH: Final = 32


def fingerprint_of(text: str) -> str:
    """The fingerprint of key text (32 hex characters); also for a legacy ``SECRET_KEY``."""
    digest = hmac.new(text.encode("utf-8"), _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()
    return digest[:FINGERPRINT_LENGTH]


class IdentifierKey:
    """The key of learner-identifier hashes. Its ``repr`` shows only the fingerprint."""

    __slots__ = ("_key", "fingerprint")

    def __init__(self, text: str, *, source: str = IDENTIFIER_KEY_ENV) -> None:
        value = text.strip()
        if len(value) < MIN_LENGTH:
            raise KeystoreError(
                "identifier-key-malformed",
                f"{source} is {'empty' if not value else 'too short'}: the identifier key is "
                f"at least {MIN_LENGTH} characters (make one with microcred.credentials."
                "identifier_key.generate_identifier_key(), see docs/keys-and-backup.md)",
            )
        self._key = value.encode("utf-8")
        self.fingerprint: str = fingerprint_of(value)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> IdentifierKey:
        """The key from ``MICROCRED_IDENTIFIER_KEY`` or the file ``MICROCRED_IDENTIFIER_KEY_FILE``
        names (exactly one). No default: a default would be a key anyone can read here."""
        text, source = secret_from_env(
            IDENTIFIER_KEY_ENV,
            environ,
            code="identifier-key",
            what="learner-identifier key",
            hint=(
                f"set {IDENTIFIER_KEY_ENV} (random text, at least {MIN_LENGTH} characters) or "
                f"{IDENTIFIER_KEY_ENV}_FILE (path to a file holding it)"
            ),
        )
        return cls(text, source=source)

    def hash(self, identifier: str) -> str:
        """HMAC-SHA256 of the trimmed identifier, in hex (64 characters)."""
        normalised = identifier.strip().encode("utf-8")
        return hmac.new(self._key, _HASH_CONTEXT + normalised, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return f"IdentifierKey(fingerprint={self.fingerprint!r})"


def generate_identifier_key() -> str:
    """A fresh random identifier key (32 bytes from the OS CSPRNG, as base64url text)."""
    return secrets.token_urlsafe(32)
