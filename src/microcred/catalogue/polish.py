"""A light Polish stemmer: strips inflectional endings from folded (ASCII) Polish words.

Why our own: tantivy's stemmers are Snowball's, and Snowball has no Polish. Polish is heavily
inflected (seven cases, three genders): "energia", "energii", "energię", "energią" are one
word, and a search for one form must find the others. The full answers (Stempel, Morfologik)
are dictionaries of several megabytes and a Java or C dependency; for a catalogue search a
*light* stemmer is enough: it removes the longest ending from a fixed list when at least
three letters stay, so that the forms of one paradigm meet on one stem. It does not undo
consonant alternations ("logistyka" / "logistyce"); the n-gram field catches part of those.

It works on text already lowercased and ASCII-folded by the catalogue's base analyzer
(``ą`` -> ``a``, ``ł`` -> ``l``, ...), because the query side only ever sees folded words: a
visitor typing "energie" without the ogonek must meet the same stem.
"""

from __future__ import annotations

__all__ = ["stem"]

#: Endings, folded. Longest match wins, so every form of a paradigm loses the same part
#: ("zarzadzanie", "zarzadzania", "zarzadzaniem" -> "zarzadz"; "mobilnosc", "mobilnosci",
#: "mobilnoscia" -> "mobiln").
_ENDINGS = sorted(
    {
        # verbal nouns (-anie/-enie) in every case
        "owaniami", "owaniach", "owaniem", "owania", "owaniu", "owanie", "owan",
        "aniami", "aniach", "aniem", "ania", "aniu", "anie", "an",
        "eniami", "eniach", "eniem", "enia", "eniu", "enie", "en",
        # abstract nouns in -ość
        "osciami", "osciach", "osciom", "oscia", "osci", "osc",
        # adjectives and the remaining noun endings
        "owego", "owemu", "owych", "owymi", "owej", "owy", "owa", "owe", "owi", "owie",
        "iami", "iach", "iom",
        "ego", "emu", "ych", "ich", "ymi", "imi", "ami", "ach", "om", "ow", "ej", "em",
        "ym", "im", "ie", "ia", "ii", "iu", "io",
        "a", "e", "i", "o", "u", "y",
    },
    key=len,
    reverse=True,
)  # fmt: skip
_MIN_STEM = 3


def stem(word: str) -> str:
    """The stem of one folded, lowercased Polish word (the word itself when it is short)."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word
