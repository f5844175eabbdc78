"""JSON Canonicalization Scheme (RFC 8785): native speed for the common case, ``rfc8785`` otherwise.

Why: eddsa-jcs-2022 canonicalises the document and the proof configuration for every
signature and every verification, and the pure-Python ``rfc8785`` package cost more than the
Ed25519 operation itself (the standard library's C encoder with sorted keys still cost 35 µs
for a 5 KB credential; ``orjson`` writes it in 3 µs, ``docs/decisions/0008``). For most
credentials JCS output is byte for byte what ``orjson`` writes with sorted keys (it writes
no spaces and escapes nothing beyond what JSON requires), because:

* strings: both escape ``"``, ``\\``, ``\\b \\f \\n \\r \\t`` with two characters and the
  other characters below U+0020 as ``\\u00xx`` in lower case, and write everything else
  as itself (RFC 8785 §3.2.2.2; ECMAScript ``JSON.stringify``);
* ``true``, ``false``, ``null`` and integers in the safe range (|n| < 2**53) are written alike;
* object keys sort alike while every key stays in the Basic Multilingual Plane: RFC 8785
  §3.2.3 sorts by UTF-16 code units, ``orjson`` by code points (UTF-8 bytes), and the two
  orders differ only for characters above U+FFFF.

Anything else goes to ``rfc8785``: floating-point numbers (ECMAScript number formatting
differs from ``orjson``'s), larger integers (which RFC 8785 refuses), keys outside the BMP,
lone surrogates (not encodable as UTF-8), objects that are not plain dicts and lists (``orjson``
would write dataclasses, dates and UUIDs its own way).
The tests compare both on generated JSON, hostile strings included.
"""

from __future__ import annotations

from typing import Any

import orjson
import rfc8785

__all__ = ["canonical_json", "plain_json"]

MAX_EXACT_INTEGER = 2**53 - 1  # the I-JSON safe range rfc8785 accepts
#: Beyond this many values the check gives up and rfc8785 decides (a cycle never ends it).
_MAX_VALUES = 200_000
_ASTRAL = "\U00010000"


def canonical_json(value: Any, known_plain: bool = False) -> bytes:
    """The RFC 8785 canonical form of ``value``, as UTF-8.

    ``known_plain``: the caller has walked ``value`` already and found only plain JSON (JSON
    types as plain ``dict``, ``list``, ``str``, ``int`` in the safe range, ``bool``,
    ``None``; keys in the BMP), so it is not walked again. Raises what ``rfc8785.dumps``
    raises for values JCS cannot represent.
    """
    encoded = _orjson(value) if known_plain else _plain_encoded(value)
    if encoded is not None:
        return encoded
    result: bytes = rfc8785.dumps(value)
    return result


def plain_json(value: Any) -> str | None:
    """The canonical form of a value that needs no JCS special case, else None.

    For callers that must fall back to another JCS implementation than ``rfc8785`` (the
    JSON-LD fast path falls back to pyld's, so that its output stays pyld's).
    """
    encoded = _plain_encoded(value)
    return None if encoded is None else encoded.decode("utf-8")


def _plain_encoded(value: Any) -> bytes | None:
    """The canonical form as UTF-8, when ``orjson`` writes it the JCS way."""
    return _orjson(value) if _plain(value) else None


def _orjson(value: Any) -> bytes | None:
    try:
        encoded = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None  # a lone surrogate, or nesting beyond orjson's limit
    return encoded


def _plain(value: Any) -> bool:
    """Whether ``value`` only holds what ``orjson`` writes the JCS way.

    Level by level, strings first: they are most of a credential's values. Keys are tested
    joined (a non-string key makes the join fail); a ``str`` subclass key is written as its
    text by both encoders.
    """
    level = [value]
    count = 0
    while level:
        count += len(level)
        if count > _MAX_VALUES:
            return False
        below: list[Any] = []
        for item in level:
            kind = type(item)
            if kind is str:
                continue
            if kind is dict:
                try:
                    keys = "".join(item)
                except TypeError:
                    return False
                if not keys.isascii() and max(keys) >= _ASTRAL:
                    return False
                below.extend(item.values())
            elif kind is list:
                below.extend(item)
            elif kind is int:
                if not -MAX_EXACT_INTEGER <= item <= MAX_EXACT_INTEGER:
                    return False
            elif kind is not bool and item is not None:
                return False  # floats, str/int subclasses, tuples, other mappings
        level = below
    return True
