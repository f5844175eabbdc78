"""The catalogue search service: BM25 full text plus facet counts, on tantivy.

Why tantivy (see ``docs/decisions/0005-catalogue-search-tantivy.md``): at 1,000,000
specifications with 11 counted facets, SQL ``GROUP BY`` (SQLite FTS5, PostgreSQL GIN) is
seconds per query, and in-process bitmaps are fast for facets but slow for text. tantivy
gives BM25 and terms aggregations over columnar "fast fields" in one embedded library.

The database stays the source of truth; this index is a derived copy that
:meth:`SearchIndex.rebuild` recreates from entries at any time. One process writes (tantivy
holds a lock file on the index directory); any number of processes may read the same
directory: their readers pick up commits by themselves, and the writing process reloads its
own reader right after each :meth:`SearchIndex.commit` so it reads its writes.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy

from microcred.catalogue.entry import ECTS_BUCKETS, CatalogueEntry
from microcred.catalogue.plan import QueryPlan, text_query
from microcred.catalogue.query import (
    FACETS,
    FacetCount,
    Hit,
    SearchQuery,
    SearchResult,
)
from microcred.catalogue.schema import (
    TEXT_TOKENIZER,
    build_schema,
    count_field,
    decode_counts,
    facet_field,
    text_analyzer,
    to_document,
)

__all__ = ["SearchIndex", "SearchIndexError"]

#: Most values a facet lists: only the provider facet has a long tail worth trimming (a page
#: cannot show thousands of providers). Counts are exact either way.
_FACET_SIZE = {"provider": 100}
#: Facets whose value *combinations* are many (thousands at 1,000,000 entries). Counting
#: combinations costs the same whatever the number of matching documents (~10 ms each, per
#: distinct key), counting on the multi-valued column costs in proportion to the matching
#: documents (~45 ms per million): below this many matches the multi-valued column wins.
_HEAVY = frozenset({"field", "country"})
_SMALL_RESULT = 150_000
#: Distinct keys (value combinations, see ``schema.facet_key``) counted per facet and per
#: index segment. Far above what any facet has, so tantivy never returns approximate counts
#: (its default, 10 x size per segment, would).
_MAX_KEYS = 100_000
_WRITER_HEAP = 256_000_000
_ECTS_ORDER = {label: i for i, (label, _, _) in enumerate(ECTS_BUCKETS)}


class SearchIndexError(RuntimeError):
    """The index cannot be opened or written (wrong schema, locked by another writer)."""


class SearchIndex:
    """The catalogue index, on disk (``path``) or in memory (``path=None``, for tests).

    Writes are staged by :meth:`upsert` and :meth:`delete` and become visible to searches at
    :meth:`commit`; :meth:`rebuild` replaces everything in one commit, so searchers see the old
    catalogue until the new one is complete. The writer is created on first write, so a
    read-only process never takes the writer lock.
    """

    def __init__(self, path: str | Path | None = None, *, threads: int | None = None) -> None:
        self._schema = build_schema()
        self._path = None if path is None else Path(path)
        try:
            if self._path is None:
                self._index = tantivy.Index(self._schema)
            else:
                self._path.mkdir(parents=True, exist_ok=True)
                self._index = tantivy.Index(self._schema, path=str(self._path), reuse=True)
        except ValueError as exc:
            raise SearchIndexError(
                f"cannot open the catalogue index at {self._path}: {exc}; "
                "if it was built by another version, delete the directory and rebuild it"
            ) from exc
        self._analyzer = text_analyzer()
        self._index.register_tokenizer(TEXT_TOKENIZER, self._analyzer)
        self._writer: tantivy.IndexWriter | None = None
        self._write_lock = threading.Lock()
        # tantivy releases the GIL while it searches, so the independent passes of one search
        # (hits, and the aggregations) run side by side on several cores.
        workers = threads if threads is not None else min(4, os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="mc-search")

    # -- writing -------------------------------------------------------------------------

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=_WRITER_HEAP)
            except ValueError as exc:
                raise SearchIndexError(f"cannot write the catalogue index: {exc}") from exc
        return self._writer

    def upsert(self, entries: Iterable[CatalogueEntry]) -> int:
        """Stage entries, replacing any indexed entry with the same id; returns how many.

        tantivy orders operations, so a delete-by-id followed by an add replaces, and the
        same id twice in one batch leaves the last one. Call :meth:`commit` to publish.
        """
        count = 0
        with self._write_lock:
            writer = self._get_writer()
            for entry in entries:
                writer.delete_documents_by_term("id", entry.id)
                writer.add_document(to_document(entry))
                count += 1
        return count

    def delete(self, ids: Iterable[str]) -> None:
        """Stage the removal of entries (withdrawn specifications); unknown ids are ignored."""
        with self._write_lock:
            writer = self._get_writer()
            for entry_id in ids:
                writer.delete_documents_by_term("id", entry_id)

    def commit(self) -> None:
        """Publish staged writes and make this process's next search see them."""
        with self._write_lock:
            if self._writer is not None:
                self._writer.commit()
        self._index.reload()

    def rebuild(self, entries: Iterable[CatalogueEntry]) -> int:
        """Replace the whole index with ``entries`` in one commit; returns how many.

        Waits for background segment merges to finish, because a freshly bulk-loaded index
        has many small segments and every search pays per segment.
        """
        with self._write_lock:
            writer = self._get_writer()
            writer.delete_all_documents()
            count = 0
            for entry in entries:
                writer.add_document(to_document(entry))
                count += 1
            writer.commit()
            writer.wait_merging_threads()  # consumes the writer; the next write makes a new one
            self._writer = None
        self._index.reload()
        return count

    def close(self) -> None:
        """Let merges finish and release the writer lock (readers stay usable)."""
        with self._write_lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None

    def count(self) -> int:
        return self._index.searcher().num_docs

    # -- searching -----------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one catalogue search: a page of hits, the total, and disjunctive facet counts.

        Cost: one top-k collection for the hits and total, one aggregation pass for the
        facets without a selection, and one more pass per facet that has a selection.
        """
        searcher = self._index.searcher()
        plan = QueryPlan(self._schema, self.text_query(query.text), query)
        hits_done = self._pool.submit(self._hits, searcher, plan, query)
        own = [f for f in FACETS if plan.has_own_filter(f)]
        passes = [self._pool.submit(_own_pass, searcher, plan.combined(exclude=f), f) for f in own]
        hits, total = hits_done.result()
        shared = [f for f in FACETS if f not in own]
        if total <= _SMALL_RESULT:
            groups = [(shared, _HEAVY)] if shared else []
        else:  # two passes, so that the two expensive facets count beside the cheap ones
            heavy = [f for f in shared if f in _HEAVY or f == "provider"]
            groups = [
                (g, frozenset[str]()) for g in (heavy, [f for f in shared if f not in heavy]) if g
            ]
        passes += [
            self._pool.submit(_aggregate, searcher, plan.combined(), group, multi)
            for group, multi in groups
        ]
        counts: dict[str, dict[str, int]] = {}
        for done in passes:
            counts.update(done.result())
        facets = {}
        for facet in FACETS:
            selected = query.filters.get(facet, ())
            missing = [v for v in selected if v not in counts[facet]]
            if missing and facet in _FACET_SIZE:
                # Beyond the listed top values the engine did not say: count them one by one.
                broader = plan.combined(exclude=facet)
                for value in missing:
                    counts[facet][value] = _count(searcher, broader, self._schema, facet, value)
            facets[facet] = _listed(facet, counts[facet], selected)
        return SearchResult(
            total=total, hits=hits, facets=facets, page=query.page, per_page=query.per_page
        )

    def text_query(self, text: str) -> tantivy.Query | None:
        """The full-text part of a search (see :func:`~microcred.catalogue.plan.text_query`)."""
        return text_query(self._index, self._schema, self._analyzer, text)

    def _hits(
        self, searcher: tantivy.Searcher, plan: QueryPlan, query: SearchQuery
    ) -> tuple[list[Hit], int]:
        order_by, order = _ORDER[query.sort]
        if query.sort == "relevance" and plan.text is None:
            # Without words every score is equal; newest first is the useful default.
            order_by, order = _ORDER["newest"]
        result = searcher.search(
            plan.combined(),
            limit=query.per_page,
            count=True,
            order_by_field=order_by,
            offset=query.offset,
            order=order,
        )
        hits = []
        for score, address in result.hits:
            data = json.loads(searcher.doc(address).get_first("payload") or b"{}")
            hits.append(_hit(data, float(score) if order_by is None else None))
        return hits, _total(result)

    def close_pool(self) -> None:
        """Stop the search threads (tests and short-lived tools; servers keep them)."""
        self._pool.shutdown(wait=True)


_ORDER: dict[str, tuple[str | None, tantivy.Order]] = {
    "relevance": (None, tantivy.Order.Desc),
    "title": ("title_sort", tantivy.Order.Asc),
    "ects": ("ects", tantivy.Order.Asc),
    "newest": ("updated", tantivy.Order.Desc),
}


def _aggregate(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    facets: list[str],
    multi: frozenset[str] = frozenset(),
) -> dict[str, dict[str, int]]:
    """Per-value counts of the facets over the documents matching ``query``, in one pass.

    By default the terms aggregation runs on a facet's single-valued key column and the
    counts of value combinations are spread onto the values (``schema.decode_counts``); the
    facets in ``multi`` are counted on their multi-valued column instead (cheaper for small
    result sets, see ``_HEAVY``).
    """
    request: dict[str, Any] = {}
    for facet in facets:
        size = _FACET_SIZE.get(facet, _MAX_KEYS)
        column = facet_field(facet) if facet in multi else count_field(facet)
        request[facet] = {"terms": {"field": column, "size": size, "segment_size": _MAX_KEYS}}
    answer = searcher.aggregate(query, request)
    counts: dict[str, dict[str, int]] = {}
    for facet in facets:
        buckets = [
            (str(bucket["key"]), int(bucket["doc_count"]))
            for bucket in answer.get(facet, {}).get("buckets", [])
        ]
        counts[facet] = dict(buckets) if facet in multi else decode_counts(facet, buckets)
    return counts


def _own_pass(
    searcher: tantivy.Searcher, query: tantivy.Query, facet: str
) -> dict[str, dict[str, int]]:
    """Count one facet with its own selection left out (a disjunctive facet).

    For the expensive facets a count first (~2 ms) tells which column is cheaper to count on.
    """
    if facet in _HEAVY and _total(searcher.search(query, limit=1, count=True)) <= _SMALL_RESULT:
        return _aggregate(searcher, query, [facet], _HEAVY)
    return _aggregate(searcher, query, [facet])


def _count(
    searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema, facet: str, value: str
) -> int:
    value_query = tantivy.Query.term_query(schema, facet_field(facet), value)
    both = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, query), (tantivy.Occur.Must, value_query)]
    )
    return _total(searcher.search(both, limit=1, count=True))


def _listed(facet: str, counts: dict[str, int], selected: Sequence[str]) -> list[FacetCount]:
    """Order a facet's counts for display, trim its long tail, keep every selected value."""
    for value in selected:
        counts.setdefault(value, 0)
    items = _ordered(facet, counts)
    limit = _FACET_SIZE.get(facet)
    if limit is not None and len(items) > limit:
        keep = set(selected)
        items = [fc for i, fc in enumerate(items) if i < limit or fc.value in keep]
    return items


def _total(result: tantivy.SearchResult) -> int:
    # ``count`` exists at run time (count=True) but is missing from tantivy's type stub.
    count = getattr(result, "count", None)
    return int(count) if count is not None else 0


def _ordered(facet: str, counts: dict[str, int]) -> list[FacetCount]:
    # EQF levels and ECTS buckets read as scales; the other facets read best by popularity.
    if facet == "eqf":
        items = sorted(counts.items(), key=lambda kv: (not kv[0].isdigit(), kv[0].zfill(3)))
    elif facet == "ects":
        items = sorted(counts.items(), key=lambda kv: (_ECTS_ORDER.get(kv[0], 99), kv[0]))
    else:
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [FacetCount(value, count) for value, count in items]


def _hit(data: dict[str, Any], score: float | None) -> Hit:
    return Hit(
        id=data["id"],
        score=score,
        title=data["title"],
        provider_id=data["provider_id"],
        provider_name=data["provider_name"],
        provider_kind=data["provider_kind"],
        ects=data["ects"],
        eqf=data["eqf"],
        participation_mode=data["participation_mode"],
        languages=tuple(data["languages"]),
        countries=tuple(data["countries"]),
        quality_assured=data["quality_assured"],
        updated=data["updated"],
    )
