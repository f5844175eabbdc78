"""Hypothesis strategies that mutate real JSON documents, for the fuzz tests.

A mutation picks one place in the document (any member or array item, at any depth) and
deletes it, replaces it with another JSON value, duplicates it, changes its type, buries it
deep in arrays, makes it a huge or exotic string, or only reorders the members of the object
around it. The last one is the only mutation that keeps the document *equal* (a dict compares
without order): the fuzz tests use equality to tell a no-op from a change.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
EXOTIC_TEXT = st.sampled_from(
    [
        "x" * 200_000,
        "\u202e\u0000\ud7ff\ufeff",
        "e\u0301",  # not NFC: canonical forms must not be applied silently
        "🎓" * 1000,
        "",
        " ",
        "urn:uuid:00000000-0000-0000-0000-000000000000",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    ]
)


def _places(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``document`` (keys and indexes), the root excluded."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            found.append((*prefix, key))
            found += _places(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.append((*prefix, index))
            found += _places(value, (*prefix, index))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    node = document
    for step in path[:-1]:
        node = node[step]
    return node


def _retyped(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return {"0": value[0]} if value else {}
    if isinstance(value, dict):
        return list(value.values())
    return 0


@st.composite
def mutated(draw: Any, original: dict[str, Any]) -> tuple[str, Any]:
    """(what was done, the mutated copy) for one mutation of ``original``."""
    document = copy.deepcopy(original)
    path = draw(st.sampled_from(_places(document)))
    parent, last = _parent(document, path), path[-1]
    action = draw(
        st.sampled_from(
            ["delete", "replace", "duplicate", "retype", "bury", "exotic", "reorder", "add"]
        )
    )
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = draw(JSON_VALUES.filter(lambda v: v != parent[last]))
    elif action == "duplicate":
        if isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        else:
            parent[f"{last}2"] = copy.deepcopy(parent[last])
    elif action == "retype":
        parent[last] = _retyped(parent[last])
    elif action == "bury":
        value: Any = parent[last]
        for _ in range(draw(st.integers(1, 80))):
            value = [value]
        parent[last] = value
    elif action == "exotic":
        parent[last] = draw(EXOTIC_TEXT.filter(lambda v: v != parent[last]))
    elif action == "add":
        target = parent if isinstance(parent, dict) else document
        target[draw(st.text(min_size=1, max_size=12))] = draw(JSON_VALUES)
    else:  # reorder the members of the object holding the place: equal, and a no-op
        if isinstance(parent, dict):
            items = list(parent.items())
            parent.clear()
            parent.update(reversed(items))
    return f"{action} at {'.'.join(map(str, path))}", document
