"""Our JCS shortcut against the ``rfc8785`` package, on generated and hostile JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.credentials import jcs
from microcred.credentials.jcs import canonical_json

# Keys and strings from every corner: control characters, quotes, backslashes, U+2028,
# characters just below and above the BMP boundary (where UTF-16 and code-point order part).
_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "\u2028", "\ue000", "\uffff"]),
        st.sampled_from(["\U00010000", "\U0001f600", "\U0010ffff"]),
    ),
    max_size=8,
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
)
_json = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(_text, children, max_size=5)
    ),
    max_leaves=30,
)


def reference(value: Any) -> bytes | type[Exception]:
    try:
        return rfc8785.dumps(value)
    except Exception as error:  # the kind of failure is compared
        return type(error)


def assert_same(value: Any) -> None:
    """Same bytes as rfc8785, or the same kind of refusal."""
    expected = reference(value)
    if isinstance(expected, bytes):
        assert canonical_json(value) == expected
    else:
        with pytest.raises(expected):
            canonical_json(value)


@settings(max_examples=1500, deadline=None)
@given(_json)
def test_same_bytes_as_rfc8785(value: Any) -> None:
    assert_same(value)


@pytest.mark.parametrize(
    "value",
    [
        {"\ue000": 1, "\U0001f600": 2},  # UTF-16 order puts the emoji first
        {"a": 1.0, "b": 1e21, "c": 1e-7, "d": -0.0},
        {"big": 2**53 + 1},
        {"edge": 2**53 - 1, "neg": -(2**53) + 1},
        [2**53],
        [-(2**53)],
        ["\x01\x08\x0c\x1f\x7f\u2028"],
        {"nested": [{"z": None, "a": [True, False]}]},
    ],
)
def test_the_cases_where_the_two_orders_or_formats_part(value: Any) -> None:
    assert_same(value)


def test_plain_json_takes_the_fast_path_and_the_rest_does_not() -> None:
    assert jcs._plain(json.loads('{"b": [1, "x", null, true], "a": {"é": -5}}'))
    assert not jcs._plain({"a": 1.5})
    assert not jcs._plain({"\U0001f600": 1})
    assert not jcs._plain([2**53 + 1])
    looped: list[Any] = []
    looped.append(looped)
    assert not jcs._plain(looped)  # gives up instead of walking for ever


def test_lone_surrogate_gets_the_rfc8785_answer() -> None:
    # Not encodable as UTF-8 by the standard encoder: rfc8785 decides.
    assert_same(["\ud800"])
    assert_same({"k\udfff": "v"})


@settings(max_examples=500, deadline=None)
@given(_json)
def test_known_plain_gives_the_same_bytes(value: Any) -> None:
    """What a caller that has checked plainness itself gets: rfc8785's bytes."""
    if not jcs._plain(value):
        return
    assert canonical_json(value, known_plain=True) == rfc8785.dumps(value)


def test_known_plain_still_falls_back_on_a_lone_surrogate() -> None:
    # plainness is about types, numbers and keys; the encoder's refusal still reaches rfc8785
    with pytest.raises(reference(["\ud800"])):  # type: ignore[arg-type]
        canonical_json(["\ud800"], known_plain=True)
