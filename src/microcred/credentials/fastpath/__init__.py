"""Fast JSON-LD -> RDF dataset for documents on compiled (pinned, allow-listed) contexts.

Why: signing or verifying one credential with eddsa-rdfc-2022 turns two JSON documents (the
credential and the proof configuration) into RDF. With pyld that costs milliseconds, nearly
all of it re-processing the same few contexts for every node of every document. Here the
contexts are processed once per context set (:mod:`.compiler`) and the compact document is
walked straight into quads (:mod:`.to_quads`); RDFC-1.0 then runs as before.

The contract of :func:`document_to_dataset`: it returns either exactly the quads the general
path (:func:`microcred.credentials.expansion.to_dataset`) would give, up to blank node labels,
which RDFC-1.0 replaces, or ``None``, meaning "not handled: use the general path". It never
returns quads for a document the general path refuses, so every error (undefined term,
relative id, unknown context...) is still raised by the general path, with its message.
It does raise :class:`~microcred.credentials.errors.DocumentTooComplex` itself, from the
same :func:`~microcred.credentials.expansion.check_shape` the general path runs first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from microcred.credentials.expansion import check_shape
from microcred.credentials.fastpath.check import Checker
from microcred.credentials.fastpath.compiler import (
    State,
    Unsupported,
    clear_cache,
    compiled,
    context_key,
)
from microcred.credentials.fastpath.to_quads import EmbeddedRecord, Walker
from microcred.credentials.loader import ContextLoader
from microcred.credentials.nquads import Quad, Term

__all__ = [
    "Checked",
    "Dataset",
    "EmbeddedDataset",
    "check_document",
    "clear_cache",
    "document_is_accepted",
    "document_to_dataset",
    "remember_rows",
    "reuse_embedded",
    "source_rows",
]

#: An RDF dataset as the general path returns it: a list of quads.
Dataset = list[Quad]


def document_to_dataset(document: Mapping[str, Any], loader: ContextLoader) -> Dataset | None:
    """The RDF dataset of ``document``, or ``None`` when the fast path does not handle it."""
    memo = _embedded.get()
    if memo is not None:
        found = memo.find(document, loader)
        # A part of a presentation whose shape check_shape passed (with the same limits), so
        # it passes too: its context is all that is left to look at.
        if found is not None and _root(document, loader, check=False) is not None:
            return found
    root = _root(document, loader)
    if root is None:
        return None
    walker = Walker(None if memo is None else [])
    if not _decided(walker.document, root, document):
        return None
    if memo is not None and walker.embedded:
        memo.add(loader, walker.embedded, walker.quads)
    return walker.quads


class EmbeddedDataset(list[Quad]):
    """The dataset of a credential met inside a presentation (see :func:`reuse_embedded`):
    its quads, and where they lie in the presentation's dataset, ``source``.

    Every quad of it is ``source[i]`` for ``i`` in ``spans``, with the graph ``graph``
    turned into the default graph, so whatever was derived from ``source`` quad by quad (the
    canonicaliser's serialised rows, :func:`source_rows`) serves for it too.
    """

    __slots__ = ("graph", "source", "spans")

    def __init__(
        self,
        quads: list[Quad],
        source: Dataset,
        spans: tuple[tuple[int, int], tuple[int, int]],
        graph: Term | None,
    ) -> None:
        super().__init__(quads)
        self.source = source
        self.spans = spans
        self.graph = graph


def remember_rows(quads: Sequence[Quad], rows: list[Any]) -> None:
    """Keep what the canonicaliser derived from ``quads`` quad by quad (one row per quad, in
    order) while :func:`reuse_embedded` is on, when credentials were found in ``quads``."""
    memo = _embedded.get()
    if memo is not None:
        memo.remember_rows(quads, rows)


def source_rows(quads: Sequence[Quad]) -> list[Any] | None:
    """The rows :func:`remember_rows` kept for the dataset ``quads`` was found in, or None."""
    memo = _embedded.get()
    if memo is None or not isinstance(quads, EmbeddedDataset):
        return None
    return memo.rows_of(quads.source)


#: A memo entry: the members, the quads, the dataset found in, the spans, the graph.
_Entry = tuple[
    tuple[tuple[str, ...], tuple[Any, ...]],
    list[Quad],
    Dataset,
    tuple[tuple[int, int], tuple[int, int]],
    Term | None,
]


class _Embedded:
    """The datasets of the credentials a presentation embeds, without their proofs, as the
    walk of the presentation found them (see :func:`reuse_embedded`).

    An entry is found only for a document with exactly the embedded node object's members
    but ``proof``, in the same order, each the *same object* (``is``), under the same loader:
    what ``{k: v for k, v in credential.items() if k != "proof"}`` gives. The entries hold
    those objects, so their identities cannot be reused while the memo lives.
    """

    __slots__ = ("_entries", "_loader", "_sources")

    def __init__(self) -> None:
        self._loader: ContextLoader | None = None
        self._entries: dict[tuple[int, ...], _Entry] = {}
        #: id -> (a dataset credentials were found in, the canonicaliser's rows of it or None)
        self._sources: dict[int, tuple[Dataset, list[Any] | None]] = {}

    @staticmethod
    def _members(document: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        keys = tuple(key for key in document if key != "proof")
        return keys, tuple(document[key] for key in keys)

    def add(self, loader: ContextLoader, found: list[EmbeddedRecord], source: Dataset) -> None:
        if self._loader is not loader:
            self._loader = loader
            self._entries.clear()
            self._sources.clear()
        self._sources[id(source)] = (source, None)
        for element, quads, spans, graph in found:
            keys, values = self._members(element)
            self._entries[tuple(map(id, values))] = ((keys, values), quads, source, spans, graph)

    def find(self, document: Mapping[str, Any], loader: ContextLoader) -> Dataset | None:
        if self._loader is not loader or "proof" in document or type(document) is not dict:
            return None
        keys, values = self._members(document)
        entry = self._entries.get(tuple(map(id, values)))
        if entry is None:
            return None
        (their_keys, their_values), quads, source, spans, graph = entry
        if their_keys != keys or any(a is not b for a, b in zip(values, their_values, strict=True)):
            return None
        return EmbeddedDataset(quads, source, spans, graph)

    def remember_rows(self, quads: Sequence[Quad], rows: list[Any]) -> None:
        known = self._sources.get(id(quads))
        if known is not None and known[0] is quads and len(rows) == len(quads):
            self._sources[id(quads)] = (known[0], rows)

    def rows_of(self, source: Dataset) -> list[Any] | None:
        known = self._sources.get(id(source))
        return known[1] if known is not None and known[0] is source else None


_embedded: ContextVar[_Embedded | None] = ContextVar("microcred_fastpath_embedded", default=None)


@contextmanager
def reuse_embedded() -> Iterator[None]:
    """Within this block, a credential embedded in a presentation the fast path has walked is
    not walked again when its proof is verified: its dataset is taken from that walk.

    For one verification of one presentation (:func:`microcred.verify.presentation.
    verify_presentation`), during which nothing changes the presentation's values: the memo
    recognises a credential by the identity of its members, not by their content.
    """
    token = _embedded.set(_Embedded())
    try:
        yield
    finally:
        _embedded.reset(token)


def document_is_accepted(document: Mapping[str, Any], loader: ContextLoader) -> bool:
    """True when the fast path proves the general path would expand ``document`` without
    error; False means "not decided here" (run the general expansion), never "refused"."""
    return check_document(document, loader) is not None


def check_document(document: Mapping[str, Any], loader: ContextLoader) -> Checked | None:
    """The verdict of :func:`document_is_accepted` with what the walk learnt on the way, or
    None when not decided here.

    The JSON-LD policy check of eddsa-jcs-2022 needs only that verdict, not the quads.
    """
    # The checker counts values and levels itself, as check_shape would (it refuses beyond
    # them), so the document is not walked once more for its shape.
    root = _root(document, loader, check=False)
    if root is None:
        return None
    checker = Checker()
    if not _decided(checker.document, root, document):
        return None
    return PLAIN if checker.plain_json else NOT_PLAIN


@dataclass(frozen=True, slots=True)
class Checked:
    """A document the general path would accept; ``plain_json``: it holds only plain JSON
    (see :func:`microcred.credentials.jcs.canonical_json`'s ``known_plain``)."""

    plain_json: bool


PLAIN = Checked(plain_json=True)
NOT_PLAIN = Checked(plain_json=False)


def _root(document: Mapping[str, Any], loader: ContextLoader, check: bool = True) -> State | None:
    """The compiled active context of the document's ``@context`` (None: not handled)."""
    if not isinstance(document, Mapping):
        return None
    if check:
        check_shape(document)
    key = context_key(document.get("@context"))
    if key is None:
        return None
    context_set = compiled(loader, key)
    return None if context_set is None else context_set.root


def _decided(walk: Callable[..., object], root: State, document: Mapping[str, Any]) -> bool:
    """Run one walk over the top-level node; False when the general path must decide."""
    try:
        walk(root, document if type(document) is dict else dict(document))
    except Unsupported:
        return False
    except Exception:
        # An unexpected failure here is a gap in the fast path, never a verdict on the
        # document: the general path decides (the tests require no fallback on our own
        # credentials, so such a gap cannot hide).
        return False
    return True
