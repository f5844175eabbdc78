"""The level-by-level pre-pass of the format limits agrees with the depth-first walk that
words their errors: it accepts exactly the values the walk accepts."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.verify import VerificationContext
from microcred.verify.pipeline import _complexity, _complexity_error, _within

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3) | st.tuples(st.integers()),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=3), inner, max_size=4)
        | st.dictionaries(st.text(max_size=2), inner, max_size=3).map(OrderedDict)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(_json, st.integers(1, 60), st.integers(1, 8))
def test_prepass_accepts_exactly_what_the_walk_accepts(
    value: Any, max_nodes: int, max_depth: int
) -> None:
    ctx = dataclasses.replace(VerificationContext(), max_nodes=max_nodes, max_depth=max_depth)
    walk = _complexity_error(value, ctx, "it")
    assert _within(value, max_nodes, max_depth) is (walk is None)
    found = _complexity(value, ctx, "it")
    assert (found is None) is (walk is None)
    if walk is not None:
        assert found is not None and found.reason == walk.reason
