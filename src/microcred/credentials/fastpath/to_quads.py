"""Compact JSON-LD straight to quads, over compiled contexts, for the subset microcred signs.

The general path runs pyld's expansion, then pyld's toRDF (which expands the expanded form
again, builds a node map, then writes triples). This module walks the compact document once
and emits the same quads, asking :mod:`.compiler` for every context decision. It follows
pyld 3.3.0's ``_expand`` / ``_expand_object`` / ``_expand_value`` / ``_create_node_map`` /
``_object_to_rdf`` step by step, including what is *not* in the JSON-LD specification but
decides the output:

* keys are visited in sorted order, and type-scoped contexts are applied per sorted ``@type``
  value, looked up in the context that was active before any of them (repeats included);
* a nested node object reverts a non-propagated (type-scoped) context unless it is a bare
  ``{"id": ...}`` reference, then re-applies the property-scoped context;
* duplicate values of one property of one node are merged the way pyld's node map merges
  them (``compare_values``: ``1 == 1.0``, but ``1 != True``; node references by ``@id``);
* literals take pyld's lexical forms (``_canonicalize_double``, JCS for ``@json``).

Where the general path would raise (undefined term, relative or malformed IRI, invalid
language tag...) or behave in a way not modelled here (``@value`` objects, ``@reverse``,
``@nest``, index maps, blank node ids, inline contexts, values pyld would merge although
their RDF differs, quads pyld would emit twice...), the walk raises
:class:`~.compiler.Unsupported` and the caller uses the general path, which then gives its
own answer or its own error. The fast path never decides a question the general path would
decide differently; the tests compare the two on thousands of documents.

Blank nodes are labelled ``_:b0``, ``_:b1``... in walk order; RDFC-1.0 relabels them, and
its output does not depend on input labels.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

from pyld import jsonld

from microcred.credentials.fastpath.compiler import MAX_MEMO, State, TermInfo, Unsupported, safe_iri
from microcred.credentials.fastpath.plans import (
    GRAPH,
    JSON,
    LANGUAGE_MAP,
    LANGUAGE_TAG,
    LIST,
    XSD_DOUBLE,
    PropertyPlan,
    child_state,
    node_plan,
    property_plan,
    shape_entry,
)
from microcred.credentials.jcs import plain_json
from microcred.credentials.nquads import BLANK, IRI, LITERAL, RDF_LANGSTRING, XSD_STRING, Quad, Term

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
RDF_JSON = RDF + "JSON"
#: Building the NamedTuples through ``tuple.__new__`` skips their generated ``__new__``
#: (a Python-level call per term and per quad, a tenth of the walk).
_new = tuple.__new__
RDF_TYPE = Term(IRI, RDF + "type")
RDF_FIRST = Term(IRI, RDF + "first")
RDF_REST = Term(IRI, RDF + "rest")
RDF_NIL = Term(IRI, RDF + "nil")

_JSON_KEY = ("@json",)

#: One RDF object with the key pyld's node map would compare it by (None: never merged).
_Object = tuple[Term, Hashable | None]


def _arrayify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _canonical_double(value: float | int) -> str:
    """pyld's ``_canonicalize_double`` (the general path's lexical form for doubles)."""
    return str(jsonld._canonicalize_double(value))


def check_json_literal(value: Any) -> None:
    """Only plain JSON in an ``@json`` value: what pyld's JCS serialiser sees in both paths."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(key) is str for key in item):
                raise Unsupported("non-string key in a JSON literal")
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float:
            if not math.isfinite(item):
                raise Unsupported("non-finite number in a JSON literal")
        elif kind not in (str, int, bool) and item is not None:
            raise Unsupported(f"{kind.__name__} in a JSON literal")


def literal(value: Any, datatype: str | None, language: str | None) -> _Object:
    """A JSON scalar as an RDF literal, as pyld's ``_object_to_rdf`` writes it.

    The branch order is pyld's: boolean; number with a fractional part (canonical double);
    explicit ``xsd:double``; integer of magnitude >= 1e21 (double form); other integer;
    string (language-tagged or typed).
    """
    kind = type(value)
    if kind is bool:
        term = Term(LITERAL, "true" if value else "false", datatype or XSD_BOOLEAN)
        return term, ("b", value, datatype, language)
    if kind is float and not math.isfinite(value):
        raise Unsupported("non-finite number")
    if kind is float and not value.is_integer():
        term = Term(LITERAL, _canonical_double(value), datatype or XSD_DOUBLE)
        return term, ("n", value, datatype, language)
    if kind is int or kind is float:
        try:
            if datatype == XSD_DOUBLE:
                term = Term(LITERAL, _canonical_double(float(value)), XSD_DOUBLE)
            elif abs(value) >= 1e21:
                term = Term(LITERAL, _canonical_double(value), datatype or XSD_DOUBLE)
            else:
                term = Term(LITERAL, str(int(value)), datatype or XSD_INTEGER)
        except (OverflowError, ValueError) as error:  # pyld crashes on these: not ours to say
            raise Unsupported("integer too large for a double") from error
        return term, ("n", value, datatype, language)
    if kind is str:
        if datatype == XSD_DOUBLE:
            raise Unsupported("string typed xsd:double (pyld reformats it)")
        if language is not None:
            if LANGUAGE_TAG.fullmatch(language) is None:
                raise Unsupported(f"language tag {language!r}")
            term = _new(Term, (LITERAL, value, RDF_LANGSTRING, language))
        else:
            term = _new(Term, (LITERAL, value, datatype or XSD_STRING, ""))
        return term, ("s", value, datatype, language)
    raise Unsupported(f"{kind.__name__} value")


def scalar_datatype(info: TermInfo) -> str | None:
    """The datatype pyld's ``_expand_value`` gives a scalar that is not an IRI under ``info``."""
    coercion = info.type
    if coercion is not None and coercion not in ("@id", "@vocab", "@none"):
        return safe_iri(coercion)  # "@json" here would be a redefinition: refused
    return None


def json_lexical(value: Any) -> str:
    """The lexical form of an ``@json`` literal, as pyld writes it (JCS).

    Plain JSON (no floats, safe integers, keys in the BMP) has one JCS form, which the C
    encoder writes; anything else is left to pyld's serialiser.
    """
    check_json_literal(value)
    lexical = plain_json(value)
    if lexical is None:
        try:
            lexical = jsonld.canonicalize(value).decode("utf-8")
        except Exception as error:  # pyld's JCS refuses it: so does the general path
            raise Unsupported("JSON literal not serialisable") from error
    return str(lexical)


#: How the walker handles node objects of one shape in one context: the active context after
#: type-scoped contexts, the key holding ``@id`` (if any), the expanded ``@type`` IRIs and the
#: property plans. Memoised per shape and ``@type`` values on the State.
WalkPlan = tuple[State, str | None, tuple[str, ...], tuple[PropertyPlan, ...]]


def _walk_plan(state: State, keys: tuple[Any, ...], names: tuple[Any, ...], top: bool) -> WalkPlan:
    active, id_key, types, properties = node_plan(state, keys, names, top)
    plans = tuple(property_plan(active, key, info) for key, info in properties)
    return active, id_key, types, plans


#: What :meth:`Walker._record` notes of a credential met inside a presentation: the node
#: object, its quads as a walk of it alone gives them, where those quads lie in the walk's
#: own list (two half-open spans, around the proof's), and the named graph it was in.
EmbeddedRecord = tuple[
    dict[str, Any], list[Quad], tuple[tuple[int, int], tuple[int, int]], Term | None
]


class Walker:
    """Emits the quads of one document; raises Unsupported to hand it to the general path."""

    __slots__ = ("_blank_count", "_buckets", "embedded", "quads")

    def __init__(self, embedded: list[EmbeddedRecord] | None = None) -> None:
        self.quads: list[Quad] = []
        #: When a list: each node object with its own ``@context`` and a ``proof`` met inside
        #: a named graph (a credential in a presentation) is appended with the quads the walk
        #: of it *without* its proof at the top would give (see :func:`.reuse_embedded`).
        self.embedded = embedded
        #: (graph, subject, predicate) -> (pyld merge keys seen, objects emitted) as two sets,
        #: or (merge key, object) of the one value emitted so far
        self._buckets: dict[tuple[str, str, str], tuple[Any, Any]] = {}
        self._blank_count = 0

    def blank(self) -> Term:
        term = _new(Term, (BLANK, f"_:b{self._blank_count}", "", ""))
        self._blank_count += 1
        return term

    def emit(
        self,
        graph: Term | None,
        subject: Term,
        predicate: Term,
        obj: Term,
        merge_key: Hashable | None,
    ) -> None:
        """Add one quad, merging values as pyld's node map does (``allowDuplicate: False``).

        pyld merges per node and property, whichever compact keys the values came from;
        ``@type`` values and an explicit rdf:type property are kept apart (their merge keys
        differ), as in pyld, and then caught by the duplicate-quad check if they coincide.
        """
        bucket_key = ("" if graph is None else graph.value, subject.value, predicate.value)
        bucket = self._buckets.get(bucket_key)
        if bucket is None:
            # The first value of a property (by far the most common case) needs no sets yet.
            self._buckets[bucket_key] = (merge_key, obj)
            self.quads.append(_new(Quad, (subject, predicate, obj, graph)))
            return
        if type(bucket[0]) is not set:
            first_key, first_obj = bucket
            bucket = self._buckets[bucket_key] = (
                set() if first_key is None else {first_key},
                {first_obj},
            )
        merge_keys, objects = bucket
        if merge_key is not None:
            if merge_key in merge_keys:
                if merge_key == _JSON_KEY:
                    # pyld compares JSON literals with Python ==, where {"a": 1} == {"a": True}
                    raise Unsupported("two JSON literals for one property")
                return
            merge_keys.add(merge_key)
        if obj in objects:
            # values pyld keeps apart but that give the same quad: it would emit it twice
            raise Unsupported("the general path emits this quad twice")
        objects.add(obj)
        self.quads.append(_new(Quad, (subject, predicate, obj, graph)))

    # -- nodes ---------------------------------------------------------------------------

    def document(self, root: State, document: dict[str, Any]) -> list[Quad]:
        """The quads of a top-level node object whose ``@context`` compiled to ``root``."""
        self.node(root, document, None, top=True)
        return self.quads

    def node(self, state: State, element: dict[str, Any], graph: Term | None, top: bool) -> Term:
        """A node object, given the context pyld passes to ``_prepare_nested_context``.

        Returns its subject (named or a fresh blank node); its quads go to ``graph``.
        """
        record = False
        if not top and "@context" in element:
            # its own context, processed where pyld does, before any @type is looked at;
            # a node with @context is then planned like a top-level one (@context skipped)
            state = state.with_local_context(element["@context"])
            top = True
            record = self.embedded is not None and graph is not None and "proof" in element
        type_key, plans = shape_entry(state.node_plans, state, element, top)
        if type_key is None:
            names: tuple[Any, ...] = ()
        else:
            value = element[type_key]
            names = (value,) if type(value) is not list else tuple(value)
        # only plans for string names are stored, so a hit proves them strings
        plan = plans.get(names)
        if plan is None:
            plan = _walk_plan(state, tuple(sorted(element)), names, top)
            if len(plans) < MAX_MEMO:
                plans[names] = plan
        active, id_key, types, properties = plan
        if id_key is not None:
            value = element[id_key]
            if type(value) is not str:
                raise Unsupported("@id must be one string")
            subject = Term(IRI, active.expand_id(value))
        else:
            subject = self.blank()
        start = len(self.quads)
        for iri in types:
            self.emit(graph, subject, RDF_TYPE, _new(Term, (IRI, iri, "", "")), ("@type", iri))
        if not record:
            for prop in properties:
                self.property(prop, element[prop[0]], graph, subject)
            return subject
        proof_start = proof_end = start
        for prop in properties:
            if prop[0] == "proof":
                proof_start = len(self.quads)
                self.property(prop, element["proof"], graph, subject)
                proof_end = len(self.quads)
            else:
                self.property(prop, element[prop[0]], graph, subject)
        self._record(element, graph, start, proof_start, proof_end)
        return subject

    def _record(
        self, element: dict[str, Any], graph: Term | None, start: int, cut: int, end: int
    ) -> None:
        """Note the quads of ``element`` without its ``proof``, as at the top of a document.

        Everything the ``proof`` property emitted lies in ``quads[cut:end]``: the one quad
        linking the node to the proof's graph (a fresh blank node, so it merges with nothing)
        and the proof's own quads, in that graph. What the node's other properties emitted in
        ``graph`` is what a walk of the node alone emits in the default graph; their own named
        graphs stay named graphs. The walk of the node alone would start from the same active
        context (pyld reaches it from the initial context, here after the ``null`` scoped
        context of the container): the tests compare the two walks.
        """
        assert self.embedded is not None
        quads = self.quads
        stop = len(quads)
        alone = [
            _new(Quad, (q[0], q[1], q[2], None)) if q[3] is graph else q
            for part in (quads[start:cut], quads[end:stop])
            for q in part
        ]
        self.embedded.append((element, alone, ((start, cut), (end, stop)), graph))

    # -- properties ------------------------------------------------------------------------

    def property(self, prop: PropertyPlan, value: Any, graph: Term | None, subject: Term) -> None:
        """One property of a node: its values, through the key's container."""
        mode = prop[1]
        info = prop[5]
        predicate = info.predicate
        assert predicate is not None
        if mode == LANGUAGE_MAP and type(value) is dict:
            self.language_map(info, prop[2], value, graph, subject, predicate)
            return
        if mode == JSON:
            obj = Term(LITERAL, json_lexical(value), RDF_JSON)
            self.emit(graph, subject, predicate, obj, _JSON_KEY)
            return
        if value is None:
            return
        if mode == GRAPH:
            self.graph_values(prop[2], prop[0], value, graph, subject, predicate)
            return
        in_list = mode == LIST
        objects: list[_Object] = []
        self.values(prop, value, graph, in_list, objects)
        if in_list:
            self.emit(graph, subject, predicate, self.rdf_list(objects, graph), None)
            return
        for obj, merge_key in objects:
            self.emit(graph, subject, predicate, obj, merge_key)

    def values(
        self,
        prop: PropertyPlan,
        value: Any,
        graph: Term | None,
        in_list: bool,
        out: list[_Object],
    ) -> None:
        """pyld's ``_expand(term_ctx, key, value)``: arrays flattened, nulls dropped."""
        term_state, info = prop[2], prop[4]
        for item in value if type(value) is list else (value,):
            if type(item) is list:
                if in_list:
                    raise Unsupported("list of lists")
                self.values(prop, item, graph, in_list, out)
            elif type(item) is dict:
                out.append(self.node_value(prop, item, graph))
            elif item is not None:
                out.append(self.scalar(term_state, info, item))

    def node_value(self, prop: PropertyPlan, value: dict[str, Any], graph: Term | None) -> _Object:
        """A node object as a property value: its subject, compared by pyld by ``@id``."""
        # the plan's child context, unless a small object may keep a type-scoped one
        may_keep, child = prop[6], prop[7]
        if may_keep and len(value) <= 2:
            child = child_state(prop[2], prop[0], value)
        subject = self.node(child, value, graph, False)
        if subject.kind == IRI:
            return subject, ("@id", subject.value)
        return subject, None

    def scalar(self, term_state: State, info: TermInfo, value: Any) -> _Object:
        """pyld's ``_expand_value`` then ``_object_to_rdf``, for one JSON scalar."""
        coercion = info.type
        if type(value) is str:
            if coercion == "@id":
                iri = term_state.expand_id(value)
                return _new(Term, (IRI, iri, "", "")), ("@id", iri)
            if coercion == "@vocab":
                iri = term_state.expand_vocab_value(value)
                return _new(Term, (IRI, iri, "", "")), ("@id", iri)
        datatype = scalar_datatype(info)
        language: str | None = None
        if datatype is None and type(value) is str:
            if info.direction is not None:
                raise Unsupported("base direction")
            language = info.language
        return literal(value, datatype, language)

    def language_map(
        self,
        info: TermInfo,
        term_state: State,
        value: dict[str, Any],
        graph: Term | None,
        subject: Term,
        predicate: Term,
    ) -> None:
        """pyld's ``_expand_language_map``: one language-tagged string per entry."""
        if info.direction is not None:
            raise Unsupported("base direction")
        for language in sorted(value):
            if type(language) is not str:
                raise Unsupported("non-string key")
            tag = None if term_state.term(language).iri == "@none" else language.lower()
            for item in _arrayify(value[language]):
                if item is None:
                    continue
                if type(item) is not str:
                    raise Unsupported("language map value must be a string")
                obj, merge_key = literal(item, None, tag)
                self.emit(graph, subject, predicate, obj, merge_key)

    def graph_values(
        self,
        term_state: State,
        key: str,
        value: Any,
        graph: Term | None,
        subject: Term,
        predicate: Term,
    ) -> None:
        """A ``@graph`` container: each node object becomes a named graph of its own.

        pyld wraps each expanded value in ``{"@graph": [value]}``, a blank node whose graph
        holds the value; only node objects are modelled here.
        """
        items: list[Any] = []
        stack = [value]
        while stack:
            current = stack.pop()
            if type(current) is list:
                stack.extend(reversed(current))
            elif current is not None:
                items.append(current)
        for item in items:
            if type(item) is not dict:
                raise Unsupported("non-object value in a graph container")
            name = self.blank()
            self.node(child_state(term_state, key, item), item, name, False)
            self.emit(graph, subject, predicate, name, None)

    def rdf_list(self, objects: list[_Object], graph: Term | None) -> Term:
        """An RDF collection (pyld's ``_list_to_rdf``); returns its head.

        Its nodes are fresh blank nodes, so its quads can neither merge nor repeat.
        """
        if not objects:
            return RDF_NIL
        head = self.blank()
        node = head
        append = self.quads.append
        for index, (obj, _) in enumerate(objects):
            rest = RDF_NIL if index == len(objects) - 1 else self.blank()
            append(_new(Quad, (node, RDF_FIRST, obj, graph)))
            append(_new(Quad, (node, RDF_REST, rest, graph)))
            node = rest
        return head
