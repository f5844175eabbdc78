"""The public micro-credential catalogue: search and facet counts over published specifications.

Public API: the names below. The engine (tantivy) stays behind :class:`SearchIndex`, so the web
layer, the CLI and the bench depend on these types only.
"""

from microcred.catalogue.entry import (
    ECTS_BUCKETS,
    CatalogueEntry,
    ects_bucket,
    entry_from_spec,
    isced_with_broader,
)
from microcred.catalogue.query import (
    FACETS,
    MAX_PER_PAGE,
    MAX_TEXT_LENGTH,
    SORTS,
    FacetCount,
    Hit,
    SearchQuery,
    SearchQueryError,
    SearchResult,
    Sort,
)
from microcred.catalogue.search import SearchIndex, SearchIndexError

__all__ = [
    "ECTS_BUCKETS",
    "FACETS",
    "MAX_PER_PAGE",
    "MAX_TEXT_LENGTH",
    "SORTS",
    "CatalogueEntry",
    "FacetCount",
    "Hit",
    "SearchIndex",
    "SearchIndexError",
    "SearchQuery",
    "SearchQueryError",
    "SearchResult",
    "Sort",
    "ects_bucket",
    "entry_from_spec",
    "isced_with_broader",
]
