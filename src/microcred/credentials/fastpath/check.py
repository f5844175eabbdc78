"""Does the general path accept this document? A walk over compiled check plans, no quads.

Why: eddsa-jcs-2022 signs JSON, not RDF, yet microcred's JSON-LD policy still refuses what a
JSON-LD consumer would read differently (undefined terms, malformed or relative IRIs,
unknown contexts). Asking :class:`~.to_quads.Walker` for that verdict built every term and
merge key only to throw them away, and cost more than signing. Here each node shape (active
context, keys, ``@type`` values) is compiled once into a :data:`CheckPlan` that says, per
property, what its values may be, so a credential of a known shape costs a dictionary lookup
per node and an IRI test per IRI value.

On the way it notes whether the document holds only plain JSON (no floating-point number,
no integer beyond 2**53, no key outside the Basic Multilingual Plane): then
:func:`microcred.credentials.jcs.canonical_json` need not walk it again to know that the
fast encoder writes its JCS form (:attr:`Checker.plain_json`).

The contract: :meth:`Checker.document` returns normally only where the quad walk
(:class:`~.to_quads.Walker`) would not raise :class:`Unsupported`, ignoring the two refusals
that are about *writing* quads as pyld does (merged values, quads written twice), never about
expansion failing. Every test it makes is the walker's, taken from the same helpers; the tests
compare the two verdicts on generated, hostile and mutated documents.
"""

from __future__ import annotations

from typing import Any

from microcred.credentials.errors import DocumentTooComplex
from microcred.credentials.expansion import MAX_DEPTH, MAX_VALUES, check_shape
from microcred.credentials.fastpath.compiler import MAX_MEMO, State, TermInfo, Unsupported
from microcred.credentials.fastpath.plans import (
    ID,
    JSON,
    LANGUAGE_MAP,
    LANGUAGE_TAG,
    LIST,
    TEXT,
    VALUES,
    VOCAB,
    PropertyPlan,
    child_state,
    node_plan,
    property_plan,
    shape_entry,
)
from microcred.credentials.fastpath.to_quads import (
    check_json_literal,
    json_lexical,
    literal,
    scalar_datatype,
)
from microcred.credentials.jcs import MAX_EXACT_INTEGER as _MAX_EXACT
from microcred.credentials.jcs import plain_json

#: A node shape: the node's active context, the key holding ``@id`` (or None), the keys whose
#: string values need no test (plain literals), every property by key, the properties whose
#: values always need a look, and whether every key is in the Basic Multilingual Plane.
CheckPlan = tuple[
    State,
    str | None,
    tuple[str, ...],
    dict[str, PropertyPlan],
    tuple[PropertyPlan, ...],
    bool,
]
_ASTRAL = "\U00010000"


def _check_plan(
    state: State, keys: tuple[Any, ...], names: tuple[Any, ...], top: bool
) -> CheckPlan:
    active, id_key, _types, properties = node_plan(state, keys, names, top)
    checks = [property_plan(active, key, info) for key, info in properties]
    text = tuple(c[0] for c in checks if c[1] <= LANGUAGE_MAP and c[3] == TEXT)
    others = tuple(c for c in checks if c[0] not in text)
    bmp = all(key.isascii() or max(key) < _ASTRAL for key in keys)
    return active, id_key, text, {c[0]: c for c in checks}, others, bmp


class Checker:
    """Raises :class:`Unsupported` where the quad walk would; returns otherwise."""

    __slots__ = ("_left", "plain_json")

    def __init__(self) -> None:
        # check_shape counts the document itself too
        self._left = MAX_VALUES - 1
        #: False once the walk meets a value JCS must write with its own number or key rules
        self.plain_json = True

    def document(self, root: State, document: dict[str, Any]) -> None:
        """Check a top-level node object whose ``@context`` compiled to ``root``."""
        context = document.get("@context")
        if type(context) is list:
            self._left -= len(context)  # the plans skip it, check_shape counts it
        self.node(root, document, True, 1)

    def _take(self, count: int) -> None:
        self._left -= count
        if self._left < 0:
            raise Unsupported("more values than the general path accepts")

    def _subtree(self, value: Any, depth: int) -> None:
        """Count a value the walk does not visit value by value against the limits."""
        try:
            count = check_shape(value, MAX_DEPTH - depth + 1, self._left + 1)
        except DocumentTooComplex as error:
            raise Unsupported(error.message) from error
        self._take(count - 1)  # the value itself was counted with its parent

    def node(self, state: State, element: dict[str, Any], top: bool, depth: int) -> None:
        """One node object at ``depth`` (the document is 1), as check_shape counts levels."""
        if depth > MAX_DEPTH:
            raise Unsupported("nested deeper than the general path accepts")
        self._left -= len(element)
        if self._left < 0:
            raise Unsupported("more values than the general path accepts")
        if not top and "@context" in element:
            # the walker's nested context (an embedded credential's own @context)
            context = element["@context"]
            if type(context) is list:
                # a level and values of its own for check_shape
                self._left -= len(context)
                if depth >= MAX_DEPTH or self._left < 0:
                    raise Unsupported("beyond the general path's limits")
            state = state.with_local_context(context)
            top = True
        type_key, plans = shape_entry(state.check_plans, state, element, top)
        if type_key is None:
            memo: Any = None
            names: tuple[Any, ...] = ()
        else:
            memo = element[type_key]
            if type(memo) is list:
                memo = names = tuple(memo)
                # an array of types is a level and values of its own for check_shape
                self._left -= len(names)
                if depth >= MAX_DEPTH or self._left < 0:
                    raise Unsupported("beyond the general path's limits")
            else:
                names = (memo,)  # memoised by the value itself: one name, no tuple to hash
        # only plans for string names are stored, so a hit proves them strings
        plan = plans.get(memo)
        if plan is None:
            plan = _check_plan(state, tuple(sorted(element)), names, top)
            if len(plans) < MAX_MEMO:
                plans[memo] = plan
        active, id_key, text, by_key, others, bmp = plan
        if not bmp:
            self.plain_json = False
        if id_key is not None:
            value = element[id_key]
            if type(value) is not str:
                raise Unsupported("@id must be one string")
            active.expand_id(value)
        depth += 1  # of the values
        for key in text:
            value = element[key]
            if type(value) is not str:
                prop = by_key[key]
                if type(value) is dict and prop[1] == VALUES and (not prop[6] or len(value) > 2):
                    self.node(prop[7], value, False, depth)
                else:
                    self.property(prop, value, depth)
        for prop in others:
            value = element[prop[0]]
            kind = type(value)
            # the common cases inline: an IRI, one node object, an array
            if kind is str and prop[1] <= LANGUAGE_MAP:
                _check_string(prop[2], prop[3], value)
            elif kind is dict and prop[1] == VALUES and (not prop[6] or len(value) > 2):
                self.node(prop[7], value, False, depth)
            elif kind is list and prop[1] == VALUES:
                self.values(prop, value, False, depth)
            else:
                self.property(prop, value, depth)

    def property(self, prop: PropertyPlan, value: Any, depth: int) -> None:
        """The walker's ``property`` from the point where it looks at the value."""
        mode = prop[1]
        if mode <= LANGUAGE_MAP:
            if type(value) is str:
                if prop[3] != TEXT:
                    _check_string(prop[2], prop[3], value)
            elif value is None:
                return
            elif type(value) is dict and mode == LANGUAGE_MAP:
                self._subtree(value, depth)
                self.language_map(prop[5], prop[2], value)
            else:
                self.values(prop, value, mode == LIST, depth)
        elif mode == JSON:
            self._subtree(value, depth)
            if not _check_json_value(value):
                self.plain_json = False
        elif value is not None:
            self._subtree(value, depth)  # counted again node by node: only ever stricter
            self.graph(prop[2], prop[0], value, depth)

    def values(self, prop: PropertyPlan, value: Any, in_list: bool, depth: int) -> None:
        """The walker's ``values``: arrays flattened, nulls dropped, each value checked."""
        key, _mode, term_state, string_kind, info, _info, may_keep, child = prop
        if type(value) is list:
            if depth > MAX_DEPTH:
                raise Unsupported("nested deeper than the general path accepts")
            self._take(len(value))
            items: Any = value
            depth += 1
        else:
            items = (value,)
        for item in items:
            kind = type(item)
            if kind is str:
                if string_kind != TEXT:
                    _check_string(term_state, string_kind, item)
            elif kind is dict:
                if may_keep and len(item) <= 2:
                    self.node(child_state(term_state, key, item), item, False, depth)
                else:
                    self.node(child, item, False, depth)
            elif kind is list:
                if in_list:
                    raise Unsupported("list of lists")
                self.values(prop, item, in_list, depth)
            elif item is not None:
                literal(item, scalar_datatype(info), None)
                if kind is float or (kind is int and not -_MAX_EXACT <= item <= _MAX_EXACT):
                    self.plain_json = False

    def language_map(self, info: TermInfo, term_state: State, value: dict[str, Any]) -> None:
        """The walker's ``language_map``."""
        if info.direction is not None:
            raise Unsupported("base direction")
        for language, entry in value.items():
            if type(language) is not str:
                raise Unsupported("non-string key")
            if not language.isascii():
                self.plain_json = False  # may be an alias of @none outside the BMP
            tag = None if term_state.term(language).iri == "@none" else language.lower()
            for item in entry if type(entry) is list else (entry,):
                if item is None:
                    continue
                if type(item) is not str:
                    raise Unsupported("language map value must be a string")
                if tag is not None and LANGUAGE_TAG.fullmatch(tag) is None:
                    raise Unsupported(f"language tag {tag!r}")

    def graph(self, term_state: State, key: str, value: Any, depth: int) -> None:
        """The walker's ``graph_values``: only node objects, each a named graph.

        Node objects are checked at the depth of the value: an upper bound is not needed, as
        the whole value has passed :meth:`_subtree` already."""
        stack = [value]
        while stack:
            current = stack.pop()
            if type(current) is list:
                stack.extend(current)
            elif current is None:
                continue
            elif type(current) is dict:
                self.node(child_state(term_state, key, current), current, False, depth)
            else:
                raise Unsupported("non-object value in a graph container")


def _check_json_value(value: Any) -> bool:
    """The walker's ``@json`` tests (plain JSON pyld's serialiser can write); True when the
    fast encoder writes it."""
    check_json_literal(value)
    if plain_json(value) is not None:
        return True
    json_lexical(value)
    return False


def _check_string(term_state: State, string_kind: int, value: str) -> None:
    """The walker's ``scalar`` for a string that is not a plain literal."""
    if string_kind == ID:
        term_state.expand_id(value)
    elif string_kind == VOCAB:
        term_state.expand_vocab_value(value)
    else:
        raise Unsupported("string value the fast path does not write")
