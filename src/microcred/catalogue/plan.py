"""Turning a :class:`~microcred.catalogue.query.SearchQuery` into tantivy queries.

Separate from the index so that the two rules that matter for correctness can be read alone:
how free text becomes a query that never fails, and how the filters combine with one facet
left out for disjunctive facet counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import tantivy

from microcred.catalogue.query import SearchQuery
from microcred.catalogue.schema import (
    DESCRIPTION_BOOST,
    GRAM_FIELD,
    OTHER,
    STEMMERS,
    TEXT_FIELDS,
    TITLE_BOOST,
    Analysis,
    facet_field,
)

__all__ = ["GRAM_SCORE", "QueryPlan", "text_query"]

#: Words of a query kept (a longer text is a paste, not a search).
_MAX_TERMS = 32
#: The n-gram clause is built from the shortest stem of a word among the languages that has
#: at least this many letters: shorter stems ("dat" of "datos") are parts of too many words.
_MIN_GRAM_SOURCE = 5
#: The score a word's n-gram match adds, whatever its BM25 would be: below what a stemmed
#: match in any field gives (a title match scores ~3 x idf), so exact and stemmed matches rank
#: first and a compound found through its parts comes after them.
GRAM_SCORE = 0.5
#: Query syntax that :func:`text_query` leaves to tantivy's parser: quotes, a leading "-" or
#: "+", field:, grouping, boosts, wildcards and the AND/OR/NOT operators.
_SYNTAX = re.compile(r'["():^*~\[\]{}]|(?:^|\s)[-+]|\b(?:AND|OR|NOT)\b')


def text_query(
    index: tantivy.Index, schema: tantivy.Schema, analysis: Analysis, text: str
) -> tantivy.Query | None:
    """The full-text part of a search, or None when the text has no searchable word.

    Plain words (the common case) are all required; each may match, in any language, through
    the stem of that language in its title and description fields, the folded word in the
    fields of unknown language, or (for words of five letters and more) its character
    4-grams in the titles, at a lower, constant score. The visitor's language is not known,
    so every language is tried; a text is only ever indexed in its own language's field.

    Query syntax (quotes for phrases, ``-word``, ``AND``/``OR``) is honoured when the text
    parses: tantivy analyses each field's part with that field's analyzer, so phrases are
    stemmed per language too (the n-gram field and Polish stemming are left out there).
    Anything that does not parse falls back to the words, so a visitor's typing never
    produces an error page.
    """
    words = analysis.base.analyze(text)
    if not words:
        return None
    if _SYNTAX.search(text):
        try:
            return index.parse_query(
                text,
                default_field_names=list(TEXT_FIELDS),
                field_boosts=TEXT_FIELDS,
                conjunction_by_default=True,
            )
        except ValueError:
            pass
    must = [
        (tantivy.Occur.Must, _word_query(schema, analysis, word))
        for word in dict.fromkeys(words[:_MAX_TERMS])
    ]
    return must[0][1] if len(must) == 1 else tantivy.Query.boolean_query(must)


def _word_query(schema: tantivy.Schema, analysis: Analysis, word: str) -> tantivy.Query:
    """One folded word, in every field it can match (see :func:`text_query`)."""
    should: list[tuple[tantivy.Occur, tantivy.Query]] = []

    def term(name: str, value: str, boost: float) -> None:
        query = tantivy.Query.term_query(schema, name, value)
        should.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, boost)))

    stems = {lang: analysis.stem(lang, word) for lang in STEMMERS}
    for lang, stem in stems.items():
        term(f"title_{lang}", stem, TITLE_BOOST)
        term(f"description_{lang}", stem, DESCRIPTION_BOOST)
    term(f"title_{OTHER}", word, TITLE_BOOST)
    term(f"description_{OTHER}", word, DESCRIPTION_BOOST)
    term("provider_text", word, TEXT_FIELDS["provider_text"])
    term("outcomes", word, TEXT_FIELDS["outcomes"])
    grams = _grams(analysis, word, stems.values())
    if grams:
        every = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, tantivy.Query.term_query(schema, GRAM_FIELD, g)) for g in grams]
        )
        should.append((tantivy.Occur.Should, tantivy.Query.const_score_query(every, GRAM_SCORE)))
    return tantivy.Query.boolean_query(should)


def _grams(analysis: Analysis, word: str, stems: Iterable[str]) -> list[str]:
    """The 4-grams a title must all contain to match ``word`` as part of a longer word.

    Taken from the word's shortest stem (of at least five letters) in any language, so that
    "Roboters" and "Roboter" both look for "robot" and find "Industrierobotern", and "energie"
    looks for "energ" and finds "Energieeffizienz" and "energetyka".
    """
    sources = [s for s in (*stems, word) if len(s) >= _MIN_GRAM_SOURCE]
    if not sources:
        return []
    source = min(sources, key=len)
    return list(dict.fromkeys(analysis.grams.analyze(source)))


class QueryPlan:
    """The parts of one search as tantivy queries, combinable with one facet left out."""

    def __init__(
        self, schema: tantivy.Schema, text: tantivy.Query | None, query: SearchQuery
    ) -> None:
        self.text = text
        self.filters: dict[str, tantivy.Query] = {
            facet: tantivy.Query.term_set_query(schema, facet_field(facet), list(values))
            for facet, values in query.filters.items()
        }
        self.ects_range: tantivy.Query | None = None
        if query.ects_min is not None or query.ects_max is not None:
            self.ects_range = tantivy.Query.range_query(
                schema,
                "ects",
                tantivy.FieldType.Float,
                lower_bound=float(query.ects_min) if query.ects_min is not None else None,
                upper_bound=float(query.ects_max) if query.ects_max is not None else None,
            )

    def has_own_filter(self, facet: str) -> bool:
        # The ECTS range belongs to the ECTS facet: its counts ignore the range too.
        return facet in self.filters or (facet == "ects" and self.ects_range is not None)

    def combined(self, exclude: str | None = None) -> tantivy.Query:
        """Text AND every filter, except those of the facet ``exclude`` (None: all of them)."""
        clauses = self._clauses(exclude)
        if not clauses:
            return tantivy.Query.all_query()
        if len(clauses) == 1:
            return clauses[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in clauses])

    def is_everything(self, exclude: str | None = None) -> bool:
        """Whether :meth:`combined` with the same ``exclude`` matches the whole catalogue."""
        return not self._clauses(exclude)

    def _clauses(self, exclude: str | None) -> list[tantivy.Query]:
        clauses: list[tantivy.Query] = []
        if self.text is not None:
            clauses.append(self.text)
        for facet, filter_query in self.filters.items():
            if facet != exclude:
                clauses.append(filter_query)
        if self.ects_range is not None and exclude != "ects":
            clauses.append(self.ects_range)
        return clauses
