"""W3C Bitstring Status List v1.0: revocation and suspension of issued credentials.

Spec: https://www.w3.org/TR/vc-bitstring-status-list/ (section links below are anchors in it).

Why a bitstring: the status of every credential a provider issued sits in one list of
131,072 bits (or more), so a verifier fetching the list reveals nothing about *which*
credential it is checking (group or "herd" privacy, `#revocation-bitstring-length`), and the
published list stays a few hundred bytes thanks to GZIP.

What this module does, and what it leaves to its callers:

- :class:`StatusList` holds the bits (index 0 is the left-most, most significant bit of the
  first byte, `#encodedList`), and encodes/decodes ``encodedList`` (multibase base64url, no
  padding, of GZIP, `#bitstring-generation-algorithm` and `#bitstring-expansion-algorithm`).
  Decoding is bounded, because the list comes from the network and a few kilobytes of GZIP
  can expand to gigabytes.
- :func:`allocate_index` picks a random free index (`#bitstringstatuslistentry`: indexes
  SHOULD be assigned randomly, so position reveals neither recency nor group size). Which
  indexes are used is the caller's record (the database of issued credentials); an index is
  never given out twice, even after the credential it was given to is revoked.
- :func:`status_entry` and :func:`status_list_credential` build the two documents of
  `#data-model`; the list credential comes back *unsigned*, signing is the caller's.
- :func:`check_status` is the validate algorithm (`#validate-algorithm`) *after* its step 4:
  the caller has already dereferenced the list credential and verified its proof.

Only ``statusSize`` 1 and the purposes ``revocation`` and ``suspension`` are supported (a
conforming processor MAY support only size 1, `#conformance`); anything else is refused
with a coded error rather than misread.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import struct
import zlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random
from typing import Any, Final, Literal, TypeGuard

from microcred.credentials.errors import CredentialError

StatusPurpose = Literal["revocation", "suspension"]
PURPOSES: Final[tuple[StatusPurpose, ...]] = ("revocation", "suspension")

#: `#validate-algorithm` step 2: minimumNumberOfEntries (16 KiB of single bits).
MIN_ENTRIES: Final = 131_072
DEFAULT_SIZE: Final = MIN_ENTRIES
#: Largest bitstring accepted when decoding (128 Mi entries): far above any real list, far
#: below what a GZIP bomb would otherwise make us allocate.
MAX_DECODED_BYTES: Final = 16 * 1024 * 1024

CREDENTIALS_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
ENTRY_TYPE: Final = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE: Final = "BitstringStatusListCredential"
LIST_TYPE: Final = "BitstringStatusList"
MULTIBASE_BASE64URL: Final = "u"

#: GZIP member header (RFC 1952 §2.3): magic, CM=8 (deflate), no flags, MTIME=0, XFL=0,
#: OS=3. Written by hand rather than by :mod:`gzip` so the bytes never depend on the clock or
#: the Python version: re-encoding an unchanged list gives the same ``encodedList`` (and the
#: spec's example in `#bitstringstatuslistcredential` is reproduced byte for byte).
_GZIP_HEADER: Final = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_INDEX_TEXT = re.compile(r"[0-9]{1,20}")
#: Random draws before :func:`allocate_index` falls back to listing the free indexes: with a
#: list at most half full, 64 misses in a row happen with probability 2**-64.
_RANDOM_TRIES: Final = 64
_SYSTEM_RANDOM: Final = secrets.SystemRandom()


class StatusListError(CredentialError):
    """A status list, entry or list credential that cannot be used, with a stable ``code``.

    ``spec_error`` names the matching error of `#processing-errors` (or of VC Data Model
    2.0, ``MALFORMED_VALUE_ERROR`` and ``RANGE_ERROR``) so an HTTP layer can answer with the
    RFC 9457 problem type the spec prescribes; it is ``None`` for issuer-side errors the spec
    does not cover (a full list, say).
    """

    code = "status-list-error"

    def __init__(self, code: str, message: str, spec_error: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.spec_error = spec_error


def _malformed(code: str, message: str) -> StatusListError:
    return StatusListError(code, message, "MALFORMED_VALUE_ERROR")


def _check_purpose(purpose: object) -> StatusPurpose:
    if purpose not in PURPOSES:
        raise StatusListError(
            "status-purpose-unsupported",
            f"status purpose {purpose!r} is not supported (expected one of {list(PURPOSES)})",
            "STATUS_VERIFICATION_ERROR",
        )
    return purpose


def _is_index(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class StatusList:
    """A bitstring of ``size`` single-bit statuses for one purpose.

    A set bit (1) means the credential at that index is revoked (or suspended); 0 means it
    is not (`#conceptual-framework`). Suspension is reversible, revocation is not (the
    purposes table of `#bitstringstatuslistentry`); this class does not police that, the
    audit-logged service that flips the bits does.
    """

    __slots__ = ("_bits", "purpose")

    def __init__(
        self,
        size: int = DEFAULT_SIZE,
        purpose: StatusPurpose = "revocation",
        *,
        min_entries: int = MIN_ENTRIES,
    ) -> None:
        if not _is_index(size) or size <= 0 or size % 8:
            raise _malformed(
                "status-list-size",
                f"a status list size must be a positive multiple of 8, got {size!r}",
            )
        if size < min_entries:
            raise StatusListError(
                "status-list-length",
                f"a status list needs at least {min_entries} entries for herd privacy, got {size}",
                "STATUS_LIST_LENGTH_ERROR",
            )
        if size > MAX_DECODED_BYTES * 8:
            raise _malformed(
                "status-list-too-large",
                f"a status list holds at most {MAX_DECODED_BYTES * 8} entries, got {size}",
            )
        self.purpose: StatusPurpose = _check_purpose(purpose)
        self._bits = bytearray(size // 8)

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        purpose: StatusPurpose = "revocation",
        *,
        min_entries: int = MIN_ENTRIES,
    ) -> StatusList:
        """A list over an uncompressed bitstring (8 entries per byte, first entry = MSB)."""
        status_list = cls(len(data) * 8, purpose, min_entries=min_entries)
        status_list._bits[:] = data
        return status_list

    @property
    def size(self) -> int:
        """Number of entries (bits)."""
        return len(self._bits) * 8

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StatusList):
            return NotImplemented
        return self.purpose == other.purpose and self._bits == other._bits

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"StatusList(size={self.size}, purpose={self.purpose!r}, set={self.count()})"

    def _locate(self, index: int) -> tuple[int, int]:
        if not _is_index(index):
            raise TypeError(f"a status list index is an int, got {type(index).__name__}")
        if not 0 <= index < self.size:
            raise StatusListError(
                "status-index-out-of-range",
                f"index {index} is outside the status list (0..{self.size - 1})",
                "RANGE_ERROR",
            )
        # `#encodedList`: index 0 is the left-most bit, i.e. the MSB of byte 0.
        return index >> 3, 0x80 >> (index & 7)

    def get(self, index: int) -> bool:
        """Whether the status at ``index`` is set (revoked / suspended)."""
        byte, mask = self._locate(index)
        return bool(self._bits[byte] & mask)

    def set(self, index: int, value: bool = True) -> None:
        """Set (or, with ``value=False``, clear) the status at ``index``."""
        byte, mask = self._locate(index)
        if value:
            self._bits[byte] |= mask
        else:
            self._bits[byte] &= ~mask & 0xFF

    def clear(self, index: int) -> None:
        """Clear the status at ``index`` (reinstate a suspended credential)."""
        self.set(index, False)

    def count(self) -> int:
        """Number of set statuses."""
        return sum(byte.bit_count() for byte in self._bits)

    def set_indexes(self) -> list[int]:
        """Indexes whose status is set, in ascending order."""
        found: list[int] = []
        for byte_index, byte in enumerate(self._bits):
            if byte:
                base = byte_index * 8
                found.extend(base + bit for bit in range(8) if byte & (0x80 >> bit))
        return found

    def to_bytes(self) -> bytes:
        """The uncompressed bitstring."""
        return bytes(self._bits)

    def encode(self) -> str:
        """The ``encodedList`` value: ``u`` + base64url (no padding) of GZIP of the bits.

        Deterministic: the same bits always give the same string (`#encodedList`,
        `#bitstring-generation-algorithm` step 3).
        """
        return MULTIBASE_BASE64URL + _b64url(_gzip(bytes(self._bits)))

    @classmethod
    def decode(
        cls,
        encoded: str,
        purpose: StatusPurpose = "revocation",
        *,
        min_entries: int = MIN_ENTRIES,
        max_bytes: int = MAX_DECODED_BYTES,
    ) -> StatusList:
        """Parse an ``encodedList`` (`#bitstring-expansion-algorithm`), bounded.

        Raises :class:`StatusListError`: ``status-list-malformed`` (not multibase base64url,
        not GZIP, corrupt or trailing data), ``status-list-too-large`` (expands past
        ``max_bytes``: a GZIP bomb is stopped after at most ``max_bytes + 1`` bytes of
        output), ``status-list-length`` (fewer than ``min_entries`` entries,
        STATUS_LIST_LENGTH_ERROR of `#validate-algorithm` step 9).
        """
        bits = _expand(encoded, max_bytes)
        if len(bits) * 8 < min_entries:
            raise StatusListError(
                "status-list-length",
                f"the status list has {len(bits) * 8} entries, fewer than the {min_entries} "
                "required for herd privacy",
                "STATUS_LIST_LENGTH_ERROR",
            )
        return cls.from_bytes(bits, purpose, min_entries=min_entries)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate
    body = compressor.compress(data) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return _GZIP_HEADER + body + trailer


def _expand(encoded: object, max_bytes: int) -> bytes:
    if not isinstance(encoded, str):
        raise _malformed(
            "status-list-malformed", f"encodedList must be a string, got {type(encoded).__name__}"
        )
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise _malformed(
            "status-list-malformed",
            "encodedList must be multibase base64url (no padding), starting with 'u'; got "
            f"prefix {encoded[:1]!r}",
        )
    body = encoded[1:]
    # Longest useful value: incompressible bits at the size limit plus GZIP's stored-block
    # overhead (5 bytes per 64 KiB block, 18 of header and trailer), in base64. Checked
    # before any decoding so a huge string costs nothing.
    encoded_limit = 1 + (max_bytes + 4096) * 4 // 3 + 4
    if len(encoded) > encoded_limit:
        raise _malformed(
            "status-list-too-large",
            f"encodedList is {len(encoded)} characters, more than the {encoded_limit} a list "
            f"of at most {max_bytes} bytes needs",
        )
    if "=" in body:
        raise _malformed("status-list-malformed", "encodedList must be base64url without padding")
    if not _BASE64URL.fullmatch(body) or len(body) % 4 == 1:
        raise _malformed("status-list-malformed", "encodedList is not valid base64url")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise _malformed("status-list-malformed", "encodedList is not valid base64url") from None
    if not compressed.startswith(b"\x1f\x8b"):
        raise _malformed(
            "status-list-malformed", "encodedList is not GZIP data (RFC 1952 magic bytes missing)"
        )
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)  # GZIP wrapper only, CRC checked
    try:
        bits = decompressor.decompress(compressed, max_bytes + 1)
    except zlib.error as exc:
        raise _malformed(
            "status-list-malformed", f"encodedList GZIP data is corrupt: {exc}"
        ) from None
    if len(bits) > max_bytes:
        raise _malformed(
            "status-list-too-large",
            f"encodedList expands to more than {max_bytes} bytes (refused: a real status list "
            "is far smaller, this looks like a GZIP bomb)",
        )
    if not decompressor.eof:
        raise _malformed("status-list-malformed", "encodedList GZIP data is truncated")
    if decompressor.unused_data:
        raise _malformed(
            "status-list-malformed", "encodedList has data after the GZIP member (refused)"
        )
    return bits


def allocate_index(
    used: Collection[int] | Callable[[int], bool],
    *,
    size: int = DEFAULT_SIZE,
    rng: Random | None = None,
) -> int:
    """A random index in ``range(size)`` that ``used`` does not hold, uniformly chosen.

    `#bitstringstatuslistentry` (``statusListIndex``): indexes SHOULD be random, so that
    neither the order of issue nor the number of credentials can be read from them.
    ``used`` is every index ever handed out on this list (revoked ones included: an index is
    never reused, or a new credential would inherit an old one's status history), as a
    collection or as an ``is_used(index)`` predicate. ``rng`` defaults to the operating
    system's CSPRNG; tests pass a seeded :class:`random.Random`.

    Raises :class:`StatusListError` ``status-list-full`` when no index is free: the caller
    then opens a new list.
    """
    if not _is_index(size) or size <= 0:
        raise ValueError(f"size must be a positive int, got {size!r}")
    rng = rng if rng is not None else _SYSTEM_RANDOM
    is_used: Callable[[int], bool] = used if callable(used) else used.__contains__
    if not callable(used) and sum(1 for index in used if 0 <= index < size) >= size:
        raise _full(size)
    # Rejection sampling: uniform over the free indexes, and fast while the list is not
    # nearly full.
    for _ in range(_RANDOM_TRIES):
        candidate = rng.randrange(size)
        if not is_used(candidate):
            return candidate
    free = [index for index in range(size) if not is_used(index)]
    if not free:
        raise _full(size)
    return rng.choice(free)


def _full(size: int) -> StatusListError:
    return StatusListError(
        "status-list-full", f"all {size} indexes of this status list are used; open a new list"
    )


def status_entry(list_credential_url: str, index: int, purpose: StatusPurpose) -> dict[str, str]:
    """The ``credentialStatus`` value for one credential (`#bitstringstatuslistentry`).

    The ``id`` is ``<list URL>#<index>``: unique per credential and, as the spec requires,
    not the URL of the list itself. ``statusListIndex`` is a base-10 string, as the spec
    requires (an integer there is a conformance error some verifiers reject).
    """
    _check_url(list_credential_url, "list_credential_url")
    if not _is_index(index) or index < 0:
        raise ValueError(f"a status list index is a non-negative int, got {index!r}")
    return {
        "id": f"{list_credential_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": _check_purpose(purpose),
        "statusListIndex": str(index),
        "statusListCredential": list_credential_url,
    }


def status_list_credential(
    url: str,
    issuer_id: str,
    purpose: StatusPurpose,
    encoded_list: str,
    valid_from: datetime,
    *,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` (`#bitstringstatuslistcredential`).

    Only the VC 2.0 context is listed: it defines ``BitstringStatusListCredential``,
    ``BitstringStatusList``, ``encodedList`` and ``statusPurpose`` itself (the separate
    status-list context is for VC 1.1 documents). ``encoded_list`` is decoded once to make
    sure a broken list is never signed and published. The subject ``id`` is ``<url>#list``.
    """
    _check_url(url, "url")
    _check_url(issuer_id, "issuer_id")
    StatusList.decode(encoded_list, _check_purpose(purpose))
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer_id,
        "validFrom": _datetime_stamp(valid_from, "valid_from"),
    }
    if valid_until is not None:
        credential["validUntil"] = _datetime_stamp(valid_until, "valid_until")
    credential["credentialSubject"] = {
        "id": f"{url}#list",
        "type": LIST_TYPE,
        "statusPurpose": purpose,
        "encodedList": encoded_list,
    }
    return credential


def _check_url(value: object, name: str) -> None:
    if not isinstance(value, str) or ":" not in value or "#" in value or value != value.strip():
        raise ValueError(f"{name} must be an absolute URL without fragment, got {value!r}")


def _datetime_stamp(value: datetime, name: str) -> str:
    """XML Schema dateTimeStamp in UTC, second precision (what VC 2.0 `validFrom` takes)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class StatusResult:
    """Outcome of :func:`check_status` (the ``result`` map of `#validate-algorithm`)."""

    purpose: StatusPurpose
    #: The bit: True means revoked (purpose ``revocation``) or suspended (``suspension``).
    set: bool

    @property
    def valid(self) -> bool:
        """`#validate-algorithm` step 13: valid when the status bit is 0."""
        return not self.set


def check_status(
    entry: Mapping[str, Any],
    list_credential: Mapping[str, Any],
    *,
    min_entries: int = MIN_ENTRIES,
    max_bytes: int = MAX_DECODED_BYTES,
) -> StatusResult:
    """`#validate-algorithm` from step 5 on: read one credential's status from its list.

    ``entry`` is one ``credentialStatus`` object of the credential being verified;
    ``list_credential`` is the dereferenced ``BitstringStatusListCredential`` whose proof
    the caller has already verified (step 4); the list credential's own validity window
    (``validFrom``/``validUntil``) and caching (``ttl``) are the caller's too. Every mismatch
    is a :class:`StatusListError` with a code: ``status-entry-malformed``,
    ``status-list-credential-malformed``, ``status-list-mismatch`` (the list is not the one
    the entry names), ``status-purpose-mismatch``, ``status-purpose-unsupported``,
    ``status-size-unsupported``, the decoding codes of :meth:`StatusList.decode`, and
    ``status-index-out-of-range``.
    """
    purpose, index, list_url = _parse_entry(entry)
    subject = _parse_list_credential(list_credential, list_url)
    list_purposes = subject.get("statusPurpose")
    if isinstance(list_purposes, str):
        list_purposes = [list_purposes]
    if (
        not isinstance(list_purposes, list)
        or not list_purposes
        or not all(isinstance(item, str) for item in list_purposes)
    ):
        raise _malformed(
            "status-list-credential-malformed",
            "credentialSubject.statusPurpose of the status list must be one or more strings",
        )
    if purpose not in list_purposes:
        raise StatusListError(
            "status-purpose-mismatch",
            f"the entry's statusPurpose {purpose!r} is not a purpose of the status list "
            f"({', '.join(map(repr, list_purposes))})",
            "STATUS_VERIFICATION_ERROR",
        )
    status_list = StatusList.decode(
        subject.get("encodedList"),  # type: ignore[arg-type]  # _expand checks the type
        purpose,
        min_entries=min_entries,
        max_bytes=max_bytes,
    )
    return StatusResult(purpose=purpose, set=status_list.get(index))


def _parse_entry(entry: object) -> tuple[StatusPurpose, int, str]:
    def bad(message: str) -> StatusListError:
        return _malformed("status-entry-malformed", f"credentialStatus entry: {message}")

    if not isinstance(entry, Mapping):
        raise bad("must be an object")
    if not _has_type(entry.get("type"), ENTRY_TYPE):
        raise bad(f"type must be {ENTRY_TYPE!r}, got {entry.get('type')!r}")
    purpose = entry.get("statusPurpose")
    if not isinstance(purpose, str):
        raise bad("statusPurpose must be a string")
    checked = _check_purpose(purpose)
    size = entry.get("statusSize", 1)
    if size != 1 or isinstance(size, bool):
        raise StatusListError(
            "status-size-unsupported",
            f"statusSize {size!r} is not supported (only single-bit statuses)",
            "STATUS_VERIFICATION_ERROR",
        )
    index_text = entry.get("statusListIndex")
    if not isinstance(index_text, str) or not _INDEX_TEXT.fullmatch(index_text):
        raise bad(
            f"statusListIndex must be a non-negative integer written as a base-10 string, "
            f"got {index_text!r}"
        )
    list_url = entry.get("statusListCredential")
    if not isinstance(list_url, str) or not list_url:
        raise bad("statusListCredential must be a URL")
    if entry.get("id") == list_url:
        raise bad("id must not be the URL of the status list")
    return checked, int(index_text), list_url


def _parse_list_credential(credential: object, list_url: str) -> Mapping[str, Any]:
    def bad(message: str) -> StatusListError:
        return _malformed("status-list-credential-malformed", f"status list credential: {message}")

    if not isinstance(credential, Mapping):
        raise bad("must be an object")
    if not _has_type(credential.get("type"), LIST_CREDENTIAL_TYPE):
        raise bad(f"type must include {LIST_CREDENTIAL_TYPE!r}")
    credential_id = credential.get("id")
    if credential_id is not None and credential_id != list_url:
        raise StatusListError(
            "status-list-mismatch",
            f"the status list credential is {credential_id!r}, but the entry points to "
            f"{list_url!r}",
            "STATUS_VERIFICATION_ERROR",
        )
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping):
        raise bad("credentialSubject must be one object")
    if not _has_type(subject.get("type"), LIST_TYPE):
        raise bad(f"credentialSubject.type must be {LIST_TYPE!r}")
    return subject


def _has_type(value: object, expected: str) -> bool:
    if isinstance(value, str):
        return value == expected
    return isinstance(value, list) and expected in value
