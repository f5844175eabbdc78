"""Copying JSON values: what signing hands back must not share structure with its input.

``copy.deepcopy`` does the job for any object and pays for it (memo table, dispatch per
value): on a 5 KB credential it cost more than the Ed25519 signature. Credentials are plain
JSON (dicts, lists, strings, numbers, booleans, None), so a copy that knows only those is
enough and several times faster; anything else is copied with ``deepcopy`` all the same.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = ["copy_object", "json_copy"]

_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value (a Mapping comes back as a plain dict)."""
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    if isinstance(value, Mapping):
        return {key: json_copy(item) for key, item in value.items()}
    return copy.deepcopy(value)


def copy_object(value: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of a JSON object, as a plain dict."""
    return {key: json_copy(item) for key, item in value.items()}
