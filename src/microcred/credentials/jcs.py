"""JSON Canonicalization Scheme (RFC 8785): C speed for the common case, ``rfc8785`` otherwise.

Why: eddsa-jcs-2022 canonicalises the document and the proof configuration for every
signature and every verification, and the pure-Python ``rfc8785`` package cost more than the
Ed25519 operation itself. For most credentials JCS output is byte for byte what the standard
library's C encoder writes with sorted keys, no spaces and no ASCII escaping, because:

* strings: both escape ``"``, ``\\``, ``\\b \\f \\n \\r \\t`` with two characters and the
  other characters below U+0020 as ``\\u00xx`` in lower case, and write everything else
  as itself (RFC 8785 §3.2.2.2; ECMAScript ``JSON.stringify``);
* ``true``, ``false``, ``null`` and integers in the safe range (|n| < 2**53) are written alike;
* object keys sort alike while every key stays in the Basic Multilingual Plane: RFC 8785
  §3.2.3 sorts by UTF-16 code units, Python by code points, and the two orders differ only
  for characters above U+FFFF.

Anything else goes to ``rfc8785``: floating-point numbers (ECMAScript number formatting
differs from Python's ``repr``), larger integers (which RFC 8785 refuses), keys outside the
BMP, lone surrogates (not encodable as UTF-8), objects that are not plain dicts and lists.
The tests compare both on generated JSON, hostile strings included.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

__all__ = ["canonical_json", "plain_json"]

_MAX_EXACT_INTEGER = 2**53 - 1  # the I-JSON safe range rfc8785 accepts
#: Beyond this many values the check gives up and rfc8785 decides (a cycle never ends it).
_MAX_VALUES = 200_000
_ASTRAL = "\U00010000"
_encoder = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
)


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical form of ``value``, as UTF-8.

    Raises what ``rfc8785.dumps`` raises for values JCS cannot represent.
    """
    encoded = _plain_encoded(value)
    if encoded is not None:
        return encoded[1]
    result: bytes = rfc8785.dumps(value)
    return result


def plain_json(value: Any) -> str | None:
    """The canonical form of a value that needs no JCS special case, else None.

    For callers that must fall back to another JCS implementation than ``rfc8785`` (the
    JSON-LD fast path falls back to pyld's, so that its output stays pyld's).
    """
    encoded = _plain_encoded(value)
    return None if encoded is None else encoded[0]


def _plain_encoded(value: Any) -> tuple[str, bytes] | None:
    """The canonical text and its UTF-8 bytes, when the standard encoder writes them."""
    if not _plain(value):
        return None
    text = _encoder.encode(value)
    try:
        return text, text.encode("utf-8")
    except UnicodeEncodeError:
        return None  # a lone surrogate


def _plain(value: Any) -> bool:
    """Whether ``value`` only holds what the standard encoder writes the JCS way."""
    stack = [value]
    budget = _MAX_VALUES
    while stack:
        budget -= 1
        if budget < 0:
            return False
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -_MAX_EXACT_INTEGER <= item <= _MAX_EXACT_INTEGER:
                continue
            return False
        if kind is dict:
            for key in item:
                if type(key) is not str or (not key.isascii() and max(key) >= _ASTRAL):
                    return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        else:
            return False  # floats, str/int subclasses, tuples, other mappings
    return True
