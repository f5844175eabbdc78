"""The learner-identifier key of this instance, and the database's record of which one it is.

Issuing is idempotent only while every learner hash is made under the same key
(:mod:`microcred.credentials.identifier_key`). So the database records the key's fingerprint
with the first credential, and :func:`usable_key` refuses a configured key whose fingerprint
differs: a wrong key stops issuing with a clear message instead of silently duplicating every
learner's credential. The system check (:mod:`microcred_web.issuing.checks`) says the same at
start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from microcred.credentials.identifier_key import IDENTIFIER_KEY_ENV, IdentifierKey
from microcred.credentials.keystore import KeystoreError
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord, KeyFingerprint

ADOPT_HINT = "manage.py identifier_key --adopt"
LEGACY_HINT = (
    " They were issued before the identifier key was separate: set "
    f"{IDENTIFIER_KEY_ENV} to the value MICROCRED_SECRET_KEY had then."
)


def configured_key() -> IdentifierKey:
    """The key from the environment; :class:`IssuingError` ``identifier-key-missing`` /
    ``-malformed`` / ``-ambiguous`` when it is not usable."""
    try:
        return IdentifierKey.from_env()
    except KeystoreError as error:
        message = f"credentials cannot be issued: {error.message}"
        recorded = recorded_fingerprint()
        if recorded is not None and recorded.source == "legacy-secret-key":
            message += f" ({LEGACY_HINT.strip()})"
        raise IssuingError(error.code, message) from None


def recorded_fingerprint() -> KeyFingerprint | None:
    return KeyFingerprint.objects.filter(name=KeyFingerprint.IDENTIFIER_KEY).first()


@dataclass(frozen=True)
class KeyState:
    """How the configured key compares with the database: for the check and the command."""

    configured: str | None
    recorded: str | None
    source: str | None
    credentials: int
    problem: str | None


def mismatch_message(configured: str, recorded: KeyFingerprint) -> str:
    legacy = LEGACY_HINT if recorded.source == "legacy-secret-key" else ""
    return (
        f"the configured {IDENTIFIER_KEY_ENV} (fingerprint {configured}) is not the key this "
        f"database's learner hashes were made under (fingerprint {recorded.fingerprint}); "
        f"issuing with it would give every learner a second credential.{legacy} Restore the "
        "right key (docs/keys-and-backup.md)."
    )


def state(*, count: bool = True) -> KeyState:
    """The configured and recorded fingerprints and what is wrong, if anything.

    ``count=False`` (the start-up check) only asks whether any credential exists: counting
    millions of rows at every start would be slow on PostgreSQL.
    """
    try:
        key: IdentifierKey | None = IdentifierKey.from_env()
        problem = None
    except KeystoreError as error:
        key, problem = None, error.message
    recorded = recorded_fingerprint()
    issued = IssuedCredentialRecord.objects
    credentials = issued.count() if count else int(issued.exists())
    if key is not None and recorded is not None and recorded.fingerprint != key.fingerprint:
        if credentials:
            problem = mismatch_message(key.fingerprint, recorded)
    elif key is not None and recorded is None and credentials:
        problem = unconfirmed_message(issued.count())
    return KeyState(
        configured=key.fingerprint if key else None,
        recorded=recorded.fingerprint if recorded else None,
        source=recorded.source if recorded else None,
        credentials=credentials,
        problem=problem,
    )


def unconfirmed_message(credentials: int) -> str:
    return (
        f"this database holds {credentials} credentials but no record of the identifier key "
        f"they were issued under; set {IDENTIFIER_KEY_ENV} to that key and run {ADOPT_HINT} "
        "(docs/keys-and-backup.md)"
    )


def usable_key() -> IdentifierKey:
    """The configured key, once checked against (or recorded as) the database's.

    The first issue records the fingerprint. A recorded fingerprint that differs refuses
    (``identifier-key-mismatch``) while any credential exists; with none, nothing depends on
    the old key and the new one replaces it.
    """
    key = configured_key()
    recorded = recorded_fingerprint()
    if recorded is not None and recorded.fingerprint == key.fingerprint:
        return key
    if IssuedCredentialRecord.objects.exists():
        if recorded is None:
            raise IssuingError(
                "identifier-key-unconfirmed",
                unconfirmed_message(IssuedCredentialRecord.objects.count()),
            )
        raise IssuingError("identifier-key-mismatch", mismatch_message(key.fingerprint, recorded))
    record(key, "first-issue", replace=recorded is not None)
    return key


def record(key: IdentifierKey, source: str, *, replace: bool = False) -> None:
    """Make ``key`` the database's identifier key: where none is recorded (first issue), or
    in place of the recorded one with ``replace`` (``--adopt``; a record no credential uses).

    Without ``replace``, a record another process made meanwhile wins, and a different key is
    then refused: two processes with different keys cannot both issue the first credentials.
    """
    name = KeyFingerprint.IDENTIFIER_KEY
    defaults = {"fingerprint": key.fingerprint, "source": source}
    try:
        with transaction.atomic():
            if replace:
                KeyFingerprint.objects.update_or_create(name=name, defaults=defaults)
                return
            recorded, _ = KeyFingerprint.objects.get_or_create(name=name, defaults=defaults)
    except IntegrityError:  # created by another process between our read and our insert
        recorded = KeyFingerprint.objects.get(name=name)
    if recorded.fingerprint != key.fingerprint:
        raise IssuingError("identifier-key-mismatch", mismatch_message(key.fingerprint, recorded))
