"""Turning a :class:`~microcred.catalogue.query.SearchQuery` into tantivy queries.

Separate from the index so that the two rules that matter for correctness can be read alone:
how free text becomes a query that never fails, and how the filters combine with one facet
left out for disjunctive facet counts.
"""

from __future__ import annotations

import tantivy

from microcred.catalogue.query import SearchQuery
from microcred.catalogue.schema import TEXT_FIELDS, facet_field

__all__ = ["QueryPlan", "text_query"]

#: Words of a malformed query kept for the fallback term query.
_MAX_FALLBACK_TERMS = 32


def text_query(
    index: tantivy.Index, schema: tantivy.Schema, analyzer: tantivy.TextAnalyzer, text: str
) -> tantivy.Query | None:
    """The full-text part of a search, or None when the text has no searchable word.

    The query syntax (quotes for phrases, ``-word``, ``AND``/``OR``) is honoured when the
    text parses; anything that does not parse (unbalanced quotes, stray operators, an
    unknown ``field:``) falls back to "all these words, in any field", so a visitor's
    typing never produces an error page.
    """
    words = analyzer.analyze(text)
    if not words:
        return None
    try:
        return index.parse_query(
            text,
            default_field_names=list(TEXT_FIELDS),
            field_boosts=TEXT_FIELDS,
            conjunction_by_default=True,
        )
    except ValueError:
        pass
    must: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for word in dict.fromkeys(words[:_MAX_FALLBACK_TERMS]):
        per_field = [
            (
                tantivy.Occur.Should,
                tantivy.Query.boost_query(tantivy.Query.term_query(schema, name, word), boost),
            )
            for name, boost in TEXT_FIELDS.items()
        ]
        must.append((tantivy.Occur.Must, tantivy.Query.boolean_query(per_field)))
    return tantivy.Query.boolean_query(must)


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
