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


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet) without a multibase prefix."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    """Inverse of :func:`b58encode`; raises :class:`InvalidMultibase` on a foreign character."""
    zeros = len(text) - len(text.lstrip("1"))
    number = 0
    for char in text:
        try:
            number = number * 58 + _INDEX[char]
        except KeyError:
            raise InvalidMultibase(f"{char!r} is not a base58btc character") from None
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
