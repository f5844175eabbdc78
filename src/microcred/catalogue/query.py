"""The catalogue's search request and answer, independent of the search engine.

These types are what the web layer and the API speak. They validate at construction, so a bad
parameter (unknown facet, page 0, 500 results per page) is refused with one exception type,
:class:`SearchQueryError`, which the web layer turns into a 400/422 answer, before any index
work is done. Free text is *not* validated for syntax: whatever a visitor types must give
results or none, never an error (see :mod:`microcred.catalogue.search`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from microcred.standard.model import LangMap

__all__ = [
    "FACETS",
    "MAX_OFFSET",
    "MAX_PER_PAGE",
    "MAX_TEXT_LENGTH",
    "SORTS",
    "FacetCount",
    "Hit",
    "SearchQuery",
    "SearchQueryError",
    "SearchResult",
    "Sort",
]

#: The facets, in the order the catalogue shows them. The names double as URL parameters.
FACETS: tuple[str, ...] = (
    "field",
    "eqf",
    "ects",
    "mode",
    "language",
    "country",
    "provider_kind",
    "qa",
    "stackability",
    "assessment",
    "provider",
)

Sort = Literal["relevance", "title", "ects", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "title", "ects", "newest")

#: Longer text is not a search but a paste accident or an attack on the query parser.
MAX_TEXT_LENGTH = 500
MAX_PER_PAGE = 100
#: Deep pages cost the engine a top-(offset + n) collection each; nobody reads page 5,000,
#: and crawlers should use the open-data export instead.
MAX_OFFSET = 10_000
#: More selected values than this in one facet is not a human choice.
MAX_VALUES_PER_FACET = 200
_MAX_VALUE_LENGTH = 200


class SearchQueryError(ValueError):
    """A search parameter that cannot be honoured (as opposed to text that matches nothing)."""


@dataclass(frozen=True)
class SearchQuery:
    """One catalogue search: text, facet selections, ECTS range, sort and page.

    ``filters`` maps a facet name to the selected values: values of one facet are OR-ed,
    facets are AND-ed (so "language en or fr, at EQF 6" reads as it is ticked). A bare string
    is accepted as a single value because query strings often arrive that way. ECTS bounds
    are inclusive. After construction ``filters`` is a read-only mapping of facet -> tuple of
    distinct values, with facets that have no values dropped.
    """

    text: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    ects_min: float | None = None
    ects_max: float | None = None
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise SearchQueryError("text must be a string")
        if len(self.text) > MAX_TEXT_LENGTH:
            raise SearchQueryError(
                f"search text is {len(self.text)} characters; at most {MAX_TEXT_LENGTH} allowed"
            )
        object.__setattr__(self, "filters", MappingProxyType(_clean_filters(self.filters)))
        for name in ("ects_min", "ects_max"):
            bound = getattr(self, name)
            if bound is not None and (
                isinstance(bound, bool)
                or not isinstance(bound, int | float)
                or not math.isfinite(bound)
                or bound < 0
            ):
                raise SearchQueryError(f"{name} must be a finite number >= 0, not {bound!r}")
        if (
            self.ects_min is not None
            and self.ects_max is not None
            and self.ects_min > self.ects_max
        ):
            raise SearchQueryError(f"ects_min {self.ects_min} is above ects_max {self.ects_max}")
        if self.sort not in SORTS:
            raise SearchQueryError(f"unknown sort {self.sort!r}; known: {', '.join(SORTS)}")
        if isinstance(self.page, bool) or not isinstance(self.page, int) or self.page < 1:
            raise SearchQueryError(f"page must be an integer >= 1, not {self.page!r}")
        if (
            isinstance(self.per_page, bool)
            or not isinstance(self.per_page, int)
            or not 1 <= self.per_page <= MAX_PER_PAGE
        ):
            raise SearchQueryError(
                f"per_page must be an integer from 1 to {MAX_PER_PAGE}, not {self.per_page!r}"
            )
        if self.offset + self.per_page > MAX_OFFSET:
            raise SearchQueryError(
                f"page {self.page} is too deep: at most {MAX_OFFSET} results can be paged through"
            )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _clean_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    if not isinstance(filters, Mapping):
        raise SearchQueryError("filters must be a mapping of facet name -> values")
    cleaned: dict[str, tuple[str, ...]] = {}
    for facet, raw in filters.items():
        if facet not in FACETS:
            raise SearchQueryError(f"unknown facet {facet!r}; known: {', '.join(FACETS)}")
        values = (raw,) if isinstance(raw, str) else raw
        if not isinstance(values, Sequence | set | frozenset):
            raise SearchQueryError(f"values of facet {facet!r} must be a list of strings")
        if len(values) > MAX_VALUES_PER_FACET:
            raise SearchQueryError(
                f"facet {facet!r} has {len(values)} values; at most {MAX_VALUES_PER_FACET}"
            )
        distinct: dict[str, None] = {}
        for value in values:
            if not isinstance(value, str):
                raise SearchQueryError(f"facet {facet!r} values must be strings, not {value!r}")
            if len(value) > _MAX_VALUE_LENGTH:
                raise SearchQueryError(f"facet {facet!r} value is too long")
            if value.strip():
                distinct[value.strip()] = None
        if distinct:
            cleaned[facet] = tuple(distinct)
    return cleaned


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class Hit:
    """One result, carrying what a result list shows so no database round trip is needed.

    ``score`` is the BM25 relevance; it is None when the results are sorted by something else
    (the engine does not compute it then).
    """

    id: str
    score: float | None
    title: LangMap
    provider_id: str
    provider_name: str
    provider_kind: str
    ects: float | None
    eqf: int | None
    participation_mode: str | None
    languages: tuple[str, ...]
    countries: tuple[str, ...]
    quality_assured: bool
    updated: str


@dataclass(frozen=True)
class SearchResult:
    """The page of hits, the total, and counts for every facet in :data:`FACETS`.

    Facet counts are *disjunctive*: the counts of a facet are computed with every filter
    applied except that facet's own selection (for ``ects`` that also leaves out the ECTS
    range), so ticking one more value of a facet shows how many results it would add, as on
    any shop or catalogue site. Values are ordered by count (highest first) then value, except
    ``eqf`` and ``ects``, which keep their natural order. A selected value always appears, with
    count 0 if nothing matches it.
    """

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
