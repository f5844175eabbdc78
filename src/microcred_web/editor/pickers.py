"""The options of the vocabulary pickers, from the core's code lists (English labels)."""

from __future__ import annotations

import functools

from microcred.standard.vocab import NAMES, vocabulary


@functools.cache
def options(name: str) -> list[tuple[str, str]]:
    """``(code, "code – label")`` for every term of the vocabulary ``name`` ([] if unknown).

    Codes are shown with labels so that a provider who knows the code (``0613``, ``NL``) finds
    it as fast as one who knows the name; the picker's search matches both.
    """
    if name not in NAMES:
        return []
    vocab = vocabulary(name)
    out = []
    for term in vocab:
        label = term.label if term.label.lower() != term.code.lower() else term.code
        out.append((term.code, f"{term.code} – {label}" if name != "eqf" else term.label))
    return out


@functools.cache
def language_tags() -> list[tuple[str, str]]:
    """The language tags offered for a multilingual text (any BCP 47 tag may be typed)."""
    return [(t.code, t.label) for t in vocabulary("languages")]
