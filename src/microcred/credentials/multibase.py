"""Multibase base58btc (prefix ``z``), the only base Data Integrity and Multikey use here.

Own implementation (a dozen lines) rather than a dependency: Multikey values, ``did:key``
identifiers and ``proofValue`` are all base58btc, and nothing else is needed.
Spec: https://www.w3.org/TR/cid-1.0/#multibase-0 and draft-multiformats-multibase
(base58btc = the Bitcoin alphabet, leading zero bytes written as ``1``).
"""

from __future__ import annotations

from microcred.credentials.errors import InvalidMultibase

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
BASE58BTC_PREFIX = "z"
#: Longest accepted multibase string: keys and signatures are under 100 characters, and
#: base58 decoding is quadratic, so a huge value is refused before any work is done.
MAX_MULTIBASE_LENGTH = 512


_ALPHABET_BYTES = ALPHABET.encode("ascii")
#: Alphabet characters to their digit values (bytes.translate); ``_ALPHABET_BYTES`` deleted
#: from a string leaves exactly its foreign characters.
_TO_DIGITS = bytes.maketrans(_ALPHABET_BYTES, bytes(range(58)))
_FROM_DIGITS = bytes.maketrans(bytes(range(58)), _ALPHABET_BYTES)
#: Ten base58 digits at a time: 58**10 < 2**64, so the inner arithmetic stays on small ints.
_CHUNK = 10
_CHUNK_BASE = 58**_CHUNK


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet) without a multibase prefix."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    chunks: list[int] = []
    while number:
        number, chunk = divmod(number, _CHUNK_BASE)
        chunks.append(chunk)
    digits = bytearray()
    for chunk in chunks:  # least significant first, each as ten digits
        for _ in range(_CHUNK):
            chunk, digit = divmod(chunk, 58)
            digits.append(digit)
    while digits and digits[-1] == 0:  # the leading zero digits of the top chunk
        digits.pop()
    digits.reverse()
    return "1" * zeros + digits.translate(_FROM_DIGITS).decode("ascii")


def b58decode(text: str) -> bytes:
    """Inverse of :func:`b58encode`; raises :class:`InvalidMultibase` on a foreign character."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raw = b"\xff"  # reported below as not base58btc
    foreign = raw.translate(None, _ALPHABET_BYTES)
    if foreign:
        char = next(c for c in text if c not in _INDEX)
        raise InvalidMultibase(f"{char!r} is not a base58btc character")
    zeros = len(raw) - len(raw.lstrip(b"1"))
    number = 0
    for digit in raw.translate(_TO_DIGITS):
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    """Multibase-encode ``data`` as base58btc (``z`` + base58)."""
    return BASE58BTC_PREFIX + b58encode(data)


def decode_base58btc(value: str) -> bytes:
    """Decode a ``z``-prefixed multibase string; any other base is refused."""
    if not isinstance(value, str) or not value.startswith(BASE58BTC_PREFIX):
        raise InvalidMultibase("expected a base58btc multibase string starting with 'z'")
    if len(value) > MAX_MULTIBASE_LENGTH:
        raise InvalidMultibase(f"multibase value longer than {MAX_MULTIBASE_LENGTH} characters")
    return b58decode(value[1:])
