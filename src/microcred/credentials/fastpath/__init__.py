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

from collections.abc import Callable, Mapping
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
]

#: An RDF dataset as the general path returns it: a list of quads.
Dataset = list[Quad]


def document_to_dataset(document: Mapping[str, Any], loader: ContextLoader) -> Dataset | None:
    """The RDF dataset of ``document``, or ``None`` when the fast path does not handle it."""
    root = _root(document, loader)
    if root is None:
        return None
    walker = Walker()
    return walker.quads if _decided(walker.document, root, document) else None


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
