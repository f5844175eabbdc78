"""RDF terms and quads, and their canonical N-Quads serialisation.

Why our own serialiser: pyld's N-Quads writer escapes only ``\\t \\n \\r " \\\\``, while the
canonical form that RDFC-1.0 hashes and signs escapes *every* control character
(U+0000-U+001F and U+007F). A credential whose text holds, say, U+0008 would hash
differently here than in a conforming implementation and fail to verify across them. The
rules (RDF 1.2 N-Quads, "Canonical N-Quads"; RDFC-1.0 §4.1 refers to them):

* ``\\b \\t \\n \\f \\r \\" \\\\`` use their two-character escapes;
* every other character in U+0000-U+001F, and U+007F, is ``\\uXXXX`` with upper-case hex;
* everything else is written as itself (UTF-8).

Spec: https://www.w3.org/TR/rdf-canon/#canonical-quads and
https://www.w3.org/TR/rdf12-n-quads/#canonical-quads.
"""

from __future__ import annotations

import re
from typing import NamedTuple

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

IRI = "iri"
BLANK = "blank"
LITERAL = "literal"

_SHORT_ESCAPES = {
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}
_ESCAPES: dict[int, str] = {code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]}
_ESCAPES.update(_SHORT_ESCAPES)


class Term(NamedTuple):
    """An RDF term. Blank node values keep their ``_:`` prefix, as in N-Quads."""

    kind: str  # IRI | BLANK | LITERAL
    value: str
    datatype: str = ""
    language: str = ""


class Quad(NamedTuple):
    """An RDF quad; ``graph`` is ``None`` for the default graph."""

    subject: Term
    predicate: Term
    object: Term
    graph: Term | None = None


#: Finding nothing to escape (the common case) is several times cheaper than translating.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')


def escape_literal(text: str) -> str:
    """Escape a literal's lexical form for canonical N-Quads (see module docstring)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.translate(_ESCAPES)


def serialize_term(term: Term) -> str:
    """One term in canonical N-Quads form."""
    if term.kind == IRI:
        return f"<{term.value}>"
    if term.kind == BLANK:
        return term.value
    literal = f'"{escape_literal(term.value)}"'
    if term.datatype == RDF_LANGSTRING:
        return f"{literal}@{term.language}"
    if term.datatype and term.datatype != XSD_STRING:
        return f"{literal}^^<{term.datatype}>"
    return literal
