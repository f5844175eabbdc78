"""Plans shared by the two walks of the fast path: node shapes and properties, worked out once.

A *node plan* is what pyld's ``_prepare_nested_context`` and ``_expand_object`` decide for a
node object of one shape (its keys and ``@type`` values) in one active context: the context
after type-scoped contexts, the key holding ``@id``, the ``@type`` IRIs and the properties. A
*property plan* (:data:`PropertyPlan`) is what pyld's ``_expand_object`` decides for one key
before it looks at the value: the context its values expand in, its container, what a string
value becomes. Both are memoised per shape on the :class:`~.compiler.State`, so the
thousandth credential of a kind repeats none of it; the quad walk (:mod:`.to_quads`) and the
check-only walk (:mod:`.check`) read the same plans, so they decide alike.
"""

from __future__ import annotations

import re
from typing import Any

from microcred.credentials.fastpath.compiler import MAX_MEMO, State, TermInfo, Unsupported, safe_iri

XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
#: The same test as expansion.LANGUAGE_TAG, which the general path applies to every tag.
LANGUAGE_TAG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
_NODE_KEYWORDS = frozenset({"@id", "@type"})
#: Marks the shape of a top-level node (where ``@context`` is allowed); never a JSON key.
TOP = object()


def shape_entry(
    shapes: dict[Any, Any], state: State, element: dict[str, Any], top: bool
) -> tuple[str | None, dict[Any, Any]]:
    """The memoised entry of a node object's shape in ``shapes`` (a walk's memo on ``state``):
    the key expanding to ``@type`` and the walk's plans by ``@type`` value.

    The shape is the keys in document order (and whether the node is the top-level one), so
    finding it costs no sort; pyld's order (sorted keys) decides the ``@type`` key.
    """
    shape = (*element, TOP) if top else tuple(element)
    entry: tuple[str | None, dict[Any, Any]] | None = shapes.get(shape)
    if entry is None:
        entry = (first_type_key(state, tuple(sorted(element))), {})
        if len(shapes) < MAX_MEMO:
            shapes[shape] = entry
    return entry


#: How the walker handles node objects of one shape in one context: the active context after
#: type-scoped contexts, the key holding ``@id`` (if any), the expanded ``@type`` IRIs and the
#: properties with their term rows. Memoised per (keys, @type values, top) on the State, so
#: the thousandth credential of a kind skips every term lookup of its node keys.
NodePlan = tuple[State, str | None, tuple[str, ...], tuple[tuple[str, TermInfo], ...]]


def first_type_key(state: State, keys: tuple[str, ...]) -> str | None:
    """The first key (in sorted order) that expands to ``@type`` in ``state``."""
    for key in keys:
        if type(key) is str and state.term(key).iri == "@type":
            return key
    return None


def node_plan(state: State, keys: tuple[Any, ...], names: tuple[Any, ...], top: bool) -> NodePlan:
    """Work out a :data:`NodePlan` as pyld's ``_prepare_nested_context`` and ``_expand_object``
    would; raises :class:`Unsupported` for what the fast path does not model."""
    # type-scoped contexts, as _prepare_nested_context applies them
    active = state
    type_key = None
    for key in keys:
        if type(key) is not str:
            raise Unsupported("non-string key")
        if active.term(key).iri != "@type":
            continue
        if type_key is not None:
            raise Unsupported("two keys expand to @type")
        type_key = key
        for name in sorted(name for name in names if type(name) is str):
            local = state.term(name).context
            if local is not None and local is not False:
                active = active.type_step(local)
    id_key: str | None = None
    types: list[str] = []
    properties: list[tuple[str, TermInfo]] = []
    for key in keys:
        if key[:1] == "@" and key not in _NODE_KEYWORDS:
            if top and key == "@context":
                continue
            raise Unsupported(f"keyword {key!r}")
        info = active.term(key)
        expanded = info.iri
        if info.predicate is not None:
            properties.append((key, info))
        elif expanded == "@id":
            if id_key is not None:
                raise Unsupported("@id must be one string")
            id_key = key
        elif expanded == "@type":
            if key != type_key:
                raise Unsupported("@type alias defined by a type-scoped context")
            for name in names:
                if type(name) is not str:
                    raise Unsupported("@type value must be a string")
                # type values expand in the context before type-scoped contexts
                types.append(state.expand_vocab_value(name))
        else:
            # dropped (UndefinedTerm in the general path), a keyword not modelled, or an
            # IRI the fast path will not write
            raise Unsupported(f"key {key!r} expands to {expanded!r}")
    return active, id_key, tuple(types), tuple(properties)


def child_state(term_state: State, key: str, element: dict[str, Any]) -> State:
    """The context for a node object under ``key`` (the top of pyld's ``_expand``)."""
    must_revert = True
    if term_state.has_previous and len(element) <= 2 and "@context" not in element:
        for child_key in sorted(element):
            expanded = term_state.term(child_key).iri
            if expanded == "@value":
                raise Unsupported("value object")
            if expanded == "@id" and len(element) == 1:
                must_revert = False
                break
    state = term_state.reverted() if must_revert else term_state
    local = term_state.term(key).context
    if local is not None:
        state = state.with_property_context(local)
    return state


# What a string value of a property must be (the walker's ``scalar`` for a ``str``).
TEXT = 0  # any string: a plain, typed or language-tagged literal with a valid tag
ID = 1  # a document-relative IRI (``@type: @id``)
VOCAB = 2  # a vocabulary-relative IRI (``@type: @vocab``)
REFUSED = 3  # the walker declines every string here

# How a property's value is read (the walker's ``property``).
VALUES = 0  # node objects and scalars, arrays flattened
LIST = 1  # the same inside a ``@list`` container (no list of lists)
LANGUAGE_MAP = 2  # a ``@language`` container, when the value is an object
JSON = 3  # ``@type: @json``
GRAPH = 4  # a ``@graph`` container

#: One property of a node shape: key, how its value is read, the context its values expand
#: in, what a string may be, the term row for non-string scalars, the row of the key in the
#: node's own context (for language maps), whether node objects under it may keep a
#: type-scoped context (then small ones are worked out one by one, as the walker does), and
#: the context of every other node object under it.
PropertyPlan = tuple[str, int, State, int, TermInfo, TermInfo, bool, State]


def string_kind(info: TermInfo) -> int:
    """What the walker's ``scalar`` and ``literal`` accept as a string under this term."""
    coercion = info.type
    if coercion == "@id":
        return ID
    if coercion == "@vocab":
        return VOCAB
    if coercion is not None and coercion != "@none":
        try:
            datatype = safe_iri(coercion)
        except Unsupported:
            return REFUSED
        return REFUSED if datatype == XSD_DOUBLE else TEXT
    if info.direction is not None:
        return REFUSED
    if info.language is not None and LANGUAGE_TAG.fullmatch(info.language) is None:
        return REFUSED
    return TEXT


def property_plan(active: State, key: str, info: TermInfo) -> PropertyPlan:
    """The walker's ``property`` up to the point where it looks at the value."""
    container = info.container
    if not info.container_ok:
        raise Unsupported(f"container {sorted(container)} on {key!r}")
    if info.reverse:
        raise Unsupported("reverse property")
    term_state = active
    term_info = info
    graph = "@graph" in container and info.type != "@json"
    if info.context is not None:
        term_state = active.scoped(key)
        term_info = term_state.term(key)
        if term_info.reverse:
            raise Unsupported(f"{key!r} made a reverse property by its own scoped context")
        if not graph and (
            term_info.predicate != info.predicate or term_info.container != container
        ):
            raise Unsupported(f"{key!r} redefined by its own scoped context")
        # A @graph container holds only node objects (the walks refuse anything else), and
        # pyld reads of the key in term_ctx only its scoped context and whether it is a
        # reverse property: so the scoped context may redefine or drop the key itself, as
        # VC 2.0's ``"verifiableCredential": {..., "@context": null}`` does (then each
        # embedded credential expands from the initial context, with its own @context).
    if info.type == "@json":
        # The walker reads a language map first; a @json term with any container is declined
        # here, which is only ever more cautious.
        if container - {"@set"}:
            raise Unsupported("@json value in a container")
        mode = JSON
    elif "@language" in container:
        mode = LANGUAGE_MAP
    elif "@graph" in container:
        mode = GRAPH
    elif "@list" in container:
        mode = LIST
    else:
        mode = VALUES
    # what child_state gives a node object of more than two keys, or any without a
    # previous context to keep
    reverted = term_state.reverted()
    local = term_state.term(key).context
    child = reverted if local is None else reverted.with_property_context(local)
    kind = string_kind(term_info)
    return key, mode, term_state, kind, term_info, info, term_state.has_previous, child
