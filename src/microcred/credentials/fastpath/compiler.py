"""Compiled active contexts: pyld's context processing, done once per context set, as tables.

Why: pyld re-processes every scoped context for every node of every document (about 3 ms per
credential), although microcred's documents use a handful of pinned contexts. Here each
*active context* pyld would reach while expanding is a :class:`State`: the pyld active
context itself (so every answer is pyld's own), a per-term table read from it, and memoised
transitions to the next states (property-scoped, type-scoped, reverted). The transitions are
computed by calling pyld's ``_process_context`` with exactly the arguments its ``_expand``
uses, so the fast path reaches the very active contexts the general path does; it only skips
redoing that work for the next document.

Nothing here decides what a term means: IRIs, coercions, containers, languages and
protected-term errors all come from pyld. Anything pyld refuses, or that the tables do not
model, raises :class:`Unsupported` and the caller falls back to the general path.

Bounds: a compiled context set holds at most :data:`MAX_STATES` states and each state at
most :data:`MAX_MEMO` memoised IRI expansions, so a hostile document cannot grow the cache
without limit; past the bound the document is simply not handled here. Compiled sets are
kept per loader (each loader may serve different context documents) in a small cache.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from microcred.credentials.expansion import RELATIVE_BASE, _options
from microcred.credentials.loader import ContextLoader
from microcred.credentials.nquads import IRI, Term

#: Most active contexts one context set may reach before documents are left to pyld.
MAX_STATES = 256
#: Most memoised IRI expansions per active context.
MAX_MEMO = 4096
#: Compiled context sets kept per loader.
MAX_CONTEXT_SETS = 32

#: An absolute IRI that N-Quads can carry verbatim and that pyld treats as absolute: a scheme,
#: then no whitespace (pyld's test is ``\s``, Unicode-wide), no control character, no DEL and
#: none of the characters IRIREF forbids. Stricter than the general path on purpose: anything
#: else is left to it, which either accepts it the same way or raises the proper error.
# The same characters expansion._BAD_IRI_CHARS refuses (\s covers the Unicode spaces).
_SAFE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x20\x7f-\x9f\ufeff<>"{}|^`\\]*\Z')
_CONTAINERS_HANDLED = frozenset(
    {
        frozenset(),
        frozenset({"@set"}),
        frozenset({"@list"}),
        frozenset({"@graph"}),
        frozenset({"@graph", "@set"}),
        frozenset({"@language"}),
        frozenset({"@language", "@set"}),
    }
)


class Unsupported(Exception):
    """The document uses something the fast path does not model: use the general path."""


def safe_iri(value: Any) -> str:
    """``value`` if it is an absolute IRI the fast path may emit as is; else Unsupported."""
    if type(value) is not str or _SAFE_IRI.match(value) is None or value.startswith(RELATIVE_BASE):
        raise Unsupported(f"IRI {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class TermInfo:
    """What pyld's active context says about one key (``get_context_value`` answers)."""

    iri: str | None  # the key expanded with vocab=True: an IRI, a keyword, or None
    type: str | None  # type mapping: "@id", "@vocab", "@json", "@none" or a datatype IRI
    container: frozenset[str]
    context: Any  # the term's scoped context (object or URL), None if none
    language: str | None  # language for plain strings (term's, else the default)
    direction: str | None
    reverse: bool
    #: The predicate, when ``iri`` is an IRI the fast path may emit (None: keyword, dropped
    #: term or unsafe IRI).
    predicate: Term | None
    #: Whether the container is one the fast path models (see _CONTAINERS_HANDLED).
    container_ok: bool


class State:
    """One pyld active context plus its term table and memoised transitions."""

    __slots__ = (
        "_local",
        "_prefixes",
        "_property_scoped",
        "_reverted",
        "_scoped",
        "_terms",
        "_type_step",
        "_vocab_iris",
        "check_plans",
        "context_set",
        "ctx",
        "has_previous",
        "node_plans",
    )

    def __init__(self, context_set: ContextSet, ctx: Any) -> None:
        self.context_set = context_set
        self.ctx = ctx
        self.has_previous = bool(ctx.get("previousContext"))
        #: terms pyld may use as a prefix of a compact IRI (``_prefix`` in its mappings)
        self._prefixes = frozenset(
            term for term, mapping in ctx["mappings"].items() if mapping and mapping.get("_prefix")
        )
        self._terms: dict[str, TermInfo] = {}
        self._vocab_iris: dict[str, str] = {}  # safe results only
        self._scoped: dict[str, State] = {}
        self._property_scoped: dict[int, State] = {}
        self._type_step: dict[int, State] = {}
        self._reverted: State | None = None
        self._local: dict[tuple[str, ...], State] = {}
        #: Walker plans for node objects of one shape (see ``to_quads.NodePlan``)
        self.node_plans: dict[Any, Any] = {}
        #: Checker plans for node objects of one shape (see ``check.CheckPlan``)
        self.check_plans: dict[Any, Any] = {}

    # -- the term table --------------------------------------------------------------------

    def term(self, key: str) -> TermInfo:
        """The table row for ``key`` (computed from pyld once, then memoised)."""
        info = self._terms.get(key)
        if info is None:
            info = self._compile_term(key)
            if len(self._terms) < MAX_MEMO:
                self._terms[key] = info
        return info

    def _compile_term(self, key: str) -> TermInfo:
        ctx = self.ctx
        get = jsonld.JsonLdProcessor.get_context_value
        mapping = ctx["mappings"].get(key)
        container = get(ctx, key, "@container")
        if container is None:
            containers: frozenset[str] = frozenset()
        elif isinstance(container, list):
            containers = frozenset(container)
        else:
            containers = frozenset([container])
        iri = self.context_set.processor._expand_iri(ctx, key, vocab=True)
        try:
            predicate: Term | None = Term(IRI, safe_iri(iri))
        except Unsupported:
            predicate = None
        return TermInfo(
            iri=iri,
            type=get(ctx, key, "@type"),
            container=containers,
            context=get(ctx, key, "@context"),
            language=get(ctx, key, "@language"),
            direction=get(ctx, key, "@direction"),
            reverse=bool(mapping and mapping.get("reverse")),
            predicate=predicate,
            container_ok=containers in _CONTAINERS_HANDLED,
        )

    def expand_key(self, key: str) -> str | None:
        """pyld's ``_expand_iri(ctx, key, vocab=True)``: how a JSON key expands."""
        return self.term(key).iri

    # -- IRI values ------------------------------------------------------------------------

    def expand_vocab_value(self, value: str) -> str:
        """A ``@type`` value or ``@type: @vocab`` value: vocab-relative, then document-relative.

        pyld's ``_expand_iri(ctx, value, vocab=True, base=...)``, memoised; the result must be
        a safe absolute IRI (a relative one is the general path's UndefinedTerm).
        """
        iri = self._vocab_iris.get(value)
        if iri is None:
            iri = safe_iri(
                self.context_set.processor._expand_iri(
                    self.ctx, value, vocab=True, base=RELATIVE_BASE
                )
            )
            if len(self._vocab_iris) < MAX_MEMO:
                self._vocab_iris[value] = iri
        return iri

    def expand_id(self, value: str) -> str:
        """An ``@id`` value or ``@type: @id`` value: pyld's document-relative IRI expansion."""
        colon = value.find(":")
        if (
            colon > 0
            and _SAFE_IRI.match(value) is not None
            and not value.startswith(RELATIVE_BASE)
            # pyld: a prefix defined as a term expands unless the suffix starts with "//"
            and (value[:colon] not in self._prefixes or value.startswith("//", colon + 1))
        ):
            return value
        iri = self.context_set.processor._expand_iri(self.ctx, value, base=RELATIVE_BASE)
        return safe_iri(iri)

    # -- transitions (pyld's _expand, step by step) ------------------------------------------

    def scoped(self, key: str) -> State:
        """``term_ctx`` in pyld's ``_expand_object``: the key's scoped context applied."""
        state = self._scoped.get(key)
        if state is None:
            local = self.term(key).context
            state = self.context_set.process(self, local, propagate=True, override_protected=True)
            self._scoped[key] = state
        return state

    def with_property_context(self, local: Any) -> State:
        """The property-scoped context applied again after reverting (pyld's ``_expand``)."""
        state = self._property_scoped.get(id(local))
        if state is None:
            state = self.context_set.process(self, local, override_protected=True)
            self._property_scoped[id(local)] = state
        return state

    def type_step(self, local: Any) -> State:
        """One type-scoped context applied, not propagated (``_prepare_nested_context``)."""
        state = self._type_step.get(id(local))
        if state is None:
            state = self.context_set.process(self, local, propagate=False)
            self._type_step[id(local)] = state
        return state

    def with_local_context(self, context: Any) -> State:
        """A nested node object's own ``@context`` applied (the start of pyld's
        ``_prepare_nested_context``): URLs only, as at the top; anything else is Unsupported.

        This is how a credential embedded in a presentation (under ``verifiableCredential``,
        a ``@graph`` container) brings its own contexts.
        """
        key = context_key(context)
        if key is None:
            raise Unsupported("inline or malformed nested @context")
        state = self._local.get(key)
        if state is None:
            state = self.context_set.process(self, list(key))
            if len(self._local) < MAX_MEMO:
                self._local[key] = state
        return state

    def reverted(self) -> State:
        """pyld's ``_revert_to_previous_context``."""
        if self._reverted is None:
            previous = self.ctx.get("previousContext")
            self._reverted = self if previous is None else self.context_set.state_for(previous)
        return self._reverted


class ContextSet:
    """Everything compiled for one ``@context`` value under one loader."""

    def __init__(self, loader: ContextLoader, context: Sequence[str]) -> None:
        self.processor = jsonld.JsonLdProcessor()
        options = _options(loader)
        # The general path's options, but holding the loader weakly: this object is cached
        # under the loader in a WeakKeyDictionary, and a strong reference back would keep
        # every loader (and its compiled contexts) alive for ever.
        weak_loader = weakref.proxy(loader)
        options["documentLoader"] = weak_loader
        options["contextResolver"] = ContextResolver(loader.resolved_cache, weak_loader)
        # the defaults pyld's expand() adds before any context processing
        options.update(isFrame=False, keepFreeFloatingNodes=False, extractAllScripts=False)
        self.options = options
        self._states: dict[int, State] = {}
        self._lock = threading.Lock()
        initial = self.processor._get_initial_context(options)
        # pyld's _prepare_nested_context on the top-level node: process its @context
        self.root = self.process(self.state_for(initial), list(context))

    def state_for(self, ctx: Any) -> State:
        """The one :class:`State` for a pyld active context object (identity-keyed)."""
        state = self._states.get(id(ctx))
        if state is None:
            with self._lock:
                state = self._states.get(id(ctx))
                if state is None:
                    if len(self._states) >= MAX_STATES:
                        raise Unsupported("too many active contexts for one context set")
                    state = State(self, ctx)
                    self._states[id(ctx)] = state
        return state

    def process(
        self,
        state: State,
        local: Any,
        *,
        propagate: bool = True,
        override_protected: bool = False,
    ) -> State:
        """pyld's ``_process_context``; any error it raises means "not handled here"."""
        try:
            ctx = self.processor._process_context(
                state.ctx,
                local,
                self.options,
                override_protected=override_protected,
                propagate=propagate,
            )
        except Exception as error:  # pyld's errors, the loader's ContextNotAllowed, its bugs
            raise Unsupported(f"context processing failed: {error!r}") from error
        return self.state_for(ctx)


_lock = threading.Lock()
_MISSING = object()
_by_loader: weakref.WeakKeyDictionary[
    ContextLoader, OrderedDict[tuple[str, ...], ContextSet | None]
] = weakref.WeakKeyDictionary()


def context_key(context: Any) -> tuple[str, ...] | None:
    """The cache key of a document's ``@context``: URLs only (inline contexts: None)."""
    if type(context) is str:
        return (context,)
    if type(context) is list and all(type(item) is str for item in context):
        return tuple(context)
    return None


def compiled(loader: ContextLoader, key: tuple[str, ...]) -> ContextSet | None:
    """The compiled context set for ``key`` under ``loader`` (None: pyld refused it).

    A hit, the case of nearly every call, reads the cache without the lock (a dictionary read
    is atomic in CPython) and does not reorder it, so the cache evicts the set compiled
    longest ago rather than the one used longest ago.
    """
    cache = _by_loader.get(loader)
    if cache is not None:
        hit = cache.get(key, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
    with _lock:
        cache = _by_loader.get(loader)
        if cache is None:
            cache = OrderedDict()
            _by_loader[loader] = cache
        if key in cache:
            return cache[key]
    try:
        context_set: ContextSet | None = ContextSet(loader, key)
    except Unsupported:
        context_set = None
    with _lock:
        cache[key] = context_set
        while len(cache) > MAX_CONTEXT_SETS:
            cache.popitem(last=False)
    return context_set


def clear_cache() -> None:
    """Forget every compiled context set (tests, benchmarks of the cold path)."""
    with _lock:
        _by_loader.clear()
