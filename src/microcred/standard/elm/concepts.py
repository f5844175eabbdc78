"""ELM concepts mapped to the project's controlled vocabularies, by URI first, then by label.

Kept apart because organisations, elements and the specification all map concepts the same way.
"""

from __future__ import annotations

from typing import Any

from microcred.standard.elm.nodes import Node, as_nodes, concept_label, lang_map, prefixed, string
from microcred.standard.model import LangMap
from microcred.standard.vocab import vocabulary


def concept_code(vocab_name: str, concept: Node) -> str | None:
    """The vocabulary code for an ELM concept: by URI first, then by any of its labels."""
    vocab = vocabulary(vocab_name)
    uri = string(concept.get("id"))
    term = vocab.by_uri(uri) if uri else None
    labels = [*lang_map(concept.get("prefLabel")).values(), string(concept.get("notation")) or ""]
    for label in labels if term is None else []:
        term = vocab.by_label(label) if label else None
        if term is not None:
            break
    return term.code if term is not None else None


def concept_codes(vocab_name: str, value: Any, element: str, notes: list[LangMap]) -> list[str]:
    """Codes for every concept in ``value``; the ones that cannot be mapped become notes."""
    codes = []
    for concept in as_nodes(value):
        code = concept_code(vocab_name, concept)
        if code is not None:
            codes.append(code)
        else:
            notes.append(prefixed(element, concept_label(concept)))
    return codes
