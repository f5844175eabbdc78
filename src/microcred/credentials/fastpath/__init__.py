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

from collections.abc import Mapping
from typing import Any

from microcred.credentials.expansion import check_shape
from microcred.credentials.fastpath.compiler import (
    Unsupported,
    clear_cache,
    compiled,
    context_key,
)
from microcred.credentials.fastpath.to_quads import Checker, Walker
from microcred.credentials.loader import ContextLoader
from microcred.credentials.nquads import Quad

__all__ = ["Dataset", "clear_cache", "document_is_accepted", "document_to_dataset"]

#: An RDF dataset as the general path returns it: a list of quads.
Dataset = list[Quad]


def document_to_dataset(document: Mapping[str, Any], loader: ContextLoader) -> Dataset | None:
    """The RDF dataset of ``document``, or ``None`` when the fast path does not handle it."""
    return _walk(Walker(), document, loader)


def document_is_accepted(document: Mapping[str, Any], loader: ContextLoader) -> bool:
    """True when the fast path proves the general path would expand ``document`` without
    error; False means "not decided here" (run the general expansion), never "refused".

    The JSON-LD policy check of eddsa-jcs-2022 needs only that verdict, not the quads.
    """
    return _walk(Checker(), document, loader) is not None


def _walk(walker: Walker, document: Mapping[str, Any], loader: ContextLoader) -> Dataset | None:
    if not isinstance(document, Mapping):
        return None
    check_shape(document)
    key = context_key(document.get("@context"))
    if key is None:
        return None
    context_set = compiled(loader, key)
    if context_set is None:
        return None
    try:
        return walker.document(context_set.root, dict(document))
    except Unsupported:
        return None
    except Exception:
        # An unexpected failure here is a gap in the fast path, never a verdict on the
        # document: the general path decides (the tests require no fallback on our own
        # credentials, so such a gap cannot hide).
        return None
