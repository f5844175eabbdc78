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

from collections.abc import Callable, Iterator, Mapping
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
from microcred.credentials.fastpath.to_quads import Walker
from microcred.credentials.loader import ContextLoader
from microcred.credentials.nquads import Quad

__all__ = [
    "Checked",
    "Dataset",
    "check_document",
    "clear_cache",
    "document_is_accepted",
    "document_to_dataset",
    "reuse_embedded",
]

#: An RDF dataset as the general path returns it: a list of quads.
Dataset = list[Quad]


def document_to_dataset(document: Mapping[str, Any], loader: ContextLoader) -> Dataset | None:
    """The RDF dataset of ``document``, or ``None`` when the fast path does not handle it."""
    root = _root(document, loader)
    if root is None:
        return None
    memo = _embedded.get()
    if memo is not None:
        found = memo.find(document, loader)
        if found is not None:
            return found
    walker = Walker(None if memo is None else [])
    if not _decided(walker.document, root, document):
        return None
    if memo is not None and walker.embedded:
        memo.add(loader, walker.embedded)
    return walker.quads


class _Embedded:
    """The datasets of the credentials a presentation embeds, without their proofs, as the
    walk of the presentation found them (see :func:`reuse_embedded`).

    An entry is found only for a document with exactly the embedded node object's members
    but ``proof``, in the same order, each the *same object* (``is``), under the same loader:
    what ``{k: v for k, v in credential.items() if k != "proof"}`` gives. The entries hold
    those objects, so their identities cannot be reused while the memo lives.
    """

    __slots__ = ("_entries", "_loader")

    def __init__(self) -> None:
        self._loader: ContextLoader | None = None
        self._entries: dict[tuple[int, ...], tuple[tuple[Any, ...], Dataset]] = {}

    @staticmethod
    def _members(document: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        keys = tuple(key for key in document if key != "proof")
        return keys, tuple(document[key] for key in keys)

    def add(self, loader: ContextLoader, found: list[tuple[dict[str, Any], Dataset]]) -> None:
        if self._loader is not loader:
            self._loader = loader
            self._entries.clear()
        for element, quads in found:
            keys, values = self._members(element)
            self._entries[tuple(map(id, values))] = ((keys, values), quads)

    def find(self, document: Mapping[str, Any], loader: ContextLoader) -> Dataset | None:
        if self._loader is not loader or "proof" in document or type(document) is not dict:
            return None
        keys, values = self._members(document)
        entry = self._entries.get(tuple(map(id, values)))
        if entry is None:
            return None
        (their_keys, their_values), quads = entry
        if their_keys != keys or any(a is not b for a, b in zip(values, their_values, strict=True)):
            return None
        return list(quads)


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
