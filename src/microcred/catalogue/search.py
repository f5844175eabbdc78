"""The catalogue search service: BM25 full text plus facet counts, on tantivy.

Why tantivy (see ``docs/decisions/0005-catalogue-search-tantivy.md``): at 1,000,000
specifications with 11 counted facets, SQL ``GROUP BY`` (SQLite FTS5, PostgreSQL GIN) is
seconds per query, and in-process bitmaps are fast for facets but slow for text. tantivy
gives BM25 and terms aggregations over columnar "fast fields" in one embedded library.

The database stays the source of truth; this index is a derived copy that
:meth:`SearchIndex.rebuild` recreates from entries at any time. One process writes (tantivy
holds a lock file on the index directory); any number of processes may read the same
directory. Each instance reloads its reader when the index's ``meta.json`` changes (read
at every search, a few hundred bytes) and right after its own :meth:`SearchIndex.commit`, so it
reads its writes; controlling the reload ourselves is what lets the facet counts over the
whole catalogue be computed once per index version and reused (see ``_base_counts``).
"""

from __future__ import annotations

import json
import os
import shutil
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
    OVERFLOW_MARK,
    SCHEMA_VERSION,
    SLOT_EMPTY,
    Analysis,
    build_schema,
    facet_field,
    overflow_field,
    slot_count,
    slot_field,
    to_document,
)

__all__ = ["SearchIndex", "SearchIndexError", "index_directory"]

#: Most values a facet lists: only the provider facet has a long tail worth trimming (a page
#: cannot show thousands of providers). Counts are exact either way: the provider facet has a
#: single slot and no overflow (one provider per specification), so its top values are exact.
_FACET_SIZE = {"provider": 100}
#: Distinct values counted per column and per index segment. Far above what any facet has, so
#: tantivy never returns approximate counts (its default, 10 x size per segment, would).
_MAX_KEYS = 100_000
_WRITER_HEAP = 256_000_000
#: A rebuild writes with one thread and a large budget, so a million entries land in one or
#: two segments: every search pays per segment (per counted value, for each facet column).
_REBUILD_HEAP = 1_500_000_000
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
        self._root = None if path is None else Path(path)
        self._path = None if self._root is None else index_directory(self._root)
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
        self._analysis = Analysis()
        self._analysis.register(self._index)
        self._index.config_reader(reload_policy="manual")
        self._writer: tantivy.IndexWriter | None = None
        self._write_lock = threading.Lock()
        # Which version of the index this instance reads: bumped at every reload, so that
        # what is cached for one version (the whole-catalogue counts) is never used for another.
        self._read_lock = threading.Lock()
        self._generation = 0
        self._meta_seen = self._meta_stamp()
        self._searcher = self._index.searcher()
        self._base: tuple[int, dict[str, dict[str, int]]] | None = None
        # tantivy releases the GIL while it searches, so the independent passes of one search
        # (hits, and the aggregations) run side by side on several cores.
        workers = threads if threads is not None else min(4, os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="mc-search")

    # -- which version is read ------------------------------------------------------------

    def _meta_stamp(self) -> bytes | None:
        """What identifies the committed version: the bytes of ``meta.json``.

        tantivy replaces the file atomically at each commit and it names an ever-growing
        ``opstamp``, so its content changes with every commit. Its ``stat`` would not do:
        file times move in coarse ticks and inode numbers are reused, so two quick commits
        from another process could look unchanged and leave this reader stale.
        """
        if self._path is None:
            return None
        try:
            return (self._path / "meta.json").read_bytes()
        except OSError:
            return None

    def _reload(self) -> None:
        with self._read_lock:
            self._meta_seen = self._meta_stamp()
            self._index.reload()
            self._searcher = self._index.searcher()
            self._generation += 1

    def _current(self) -> tuple[tantivy.Searcher, int]:
        """The searcher to use and its version, reloading first if another process committed."""
        if self._meta_stamp() != self._meta_seen:
            self._reload()
        with self._read_lock:
            return self._searcher, self._generation

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
        self._reload()

    def rebuild(self, entries: Iterable[CatalogueEntry]) -> int:
        """Replace the whole index with ``entries`` in one commit; returns how many.

        Waits for background segment merges to finish, because a freshly bulk-loaded index
        has many small segments and every search pays per segment.
        """
        with self._write_lock:
            if self._writer is not None:  # an incremental writer holds the lock: swap it
                self._writer.wait_merging_threads()
                self._writer = None
            try:
                writer = self._index.writer(heap_size=_REBUILD_HEAP, num_threads=1)
            except ValueError as exc:
                raise SearchIndexError(f"cannot write the catalogue index: {exc}") from exc
            writer.delete_all_documents()
            count = 0
            for entry in entries:
                writer.add_document(to_document(entry))
                count += 1
            writer.commit()
            writer.wait_merging_threads()  # consumes the writer; the next write makes a new one
        self._reload()
        if self._root is not None:
            _remove_stale_versions(self._root)
        return count

    def close(self) -> None:
        """Let merges finish and release the writer lock (readers stay usable)."""
        with self._write_lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None

    def count(self) -> int:
        return self._current()[0].num_docs

    def segment_count(self) -> int:
        """Index segments read (each search pays per segment; a rebuild leaves one or two)."""
        return self._current()[0].num_segments

    # -- searching -----------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """Run one catalogue search: a page of hits, the total, and disjunctive facet counts.

        Cost: one top-k collection for the hits and total, one aggregation pass for the
        facets without a selection, and one more pass per facet that has a selection. A pass
        over the whole catalogue (no text, no other filter) is answered from the counts
        cached for the index version instead.
        """
        searcher, generation = self._current()
        plan = QueryPlan(self._schema, self.text_query(query.text), query)
        hits_done = self._pool.submit(self._hits, searcher, plan, query)
        counts: dict[str, dict[str, int]] = {}
        passes = []
        for facet in FACETS:
            if not plan.has_own_filter(facet):
                continue
            if plan.is_everything(exclude=facet):
                counts[facet] = self._base_counts(searcher, generation)[facet]
            else:
                passes.append(
                    self._pool.submit(_aggregate, searcher, plan.combined(exclude=facet), [facet])
                )
        shared = [f for f in FACETS if not plan.has_own_filter(f)]
        if shared and plan.is_everything():
            base = self._base_counts(searcher, generation)
            counts.update({f: base[f] for f in shared})
        elif shared:
            passes.append(self._pool.submit(_aggregate, searcher, plan.combined(), shared))
        hits, total = hits_done.result()
        for done in passes:
            counts.update(done.result())
        facets = {}
        for facet in FACETS:
            selected = query.filters.get(facet, ())
            mine = dict(counts[facet])
            missing = [v for v in selected if v not in mine]
            if missing and facet in _FACET_SIZE:
                # Beyond the listed top values the engine did not say: count them one by one.
                broader = plan.combined(exclude=facet)
                for value in missing:
                    mine[value] = _count(searcher, broader, self._schema, facet, value)
            facets[facet] = _listed(facet, mine, selected)
        return SearchResult(
            total=total, hits=hits, facets=facets, page=query.page, per_page=query.per_page
        )

    def _base_counts(
        self, searcher: tantivy.Searcher, generation: int
    ) -> dict[str, dict[str, int]]:
        """Every facet's counts over the whole catalogue, computed once per index version.

        The empty search and every search with a single facet selected need them (that
        facet's counts leave its own selection out), and they are the costliest pass: all
        documents. Computed with the searcher of ``generation``, and cached only for it.
        """
        cached = self._base
        if cached is not None and cached[0] == generation:
            return cached[1]
        counts = _aggregate(searcher, tantivy.Query.all_query(), list(FACETS))
        with self._read_lock:
            if generation == self._generation:
                self._base = (generation, counts)
        return counts

    def text_query(self, text: str) -> tantivy.Query | None:
        """The full-text part of a search (see :func:`~microcred.catalogue.plan.text_query`)."""
        return text_query(self._index, self._schema, self._analysis, text)

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


def index_directory(root: Path) -> Path:
    """Where the index of this :data:`~microcred.catalogue.schema.SCHEMA_VERSION` lives.

    One subdirectory per version: after an upgrade that changed the analysis, the new code
    finds an empty index (and the web layer rebuilds it from the database) rather than
    reading terms made by the old analyzers, which would open fine and miss words.
    """
    return root / f"schema-{SCHEMA_VERSION}"


def _remove_stale_versions(root: Path) -> None:
    """Delete indexes of other schema versions under ``root``, once this one is rebuilt.

    Also the files of an index from before versioned directories (version 1, in ``root``
    itself), which tantivy lists in ``.managed.json``. The lock and queue files of
    :mod:`~microcred.catalogue.writers` stay.
    """
    for old in root.glob("schema-*"):
        if old.is_dir() and old != index_directory(root):
            shutil.rmtree(old, ignore_errors=True)
    managed = root / ".managed.json"
    try:
        names = json.loads(managed.read_bytes())
    except (OSError, ValueError):
        return
    for name in [*names, ".managed.json", ".tantivy-meta.lock", ".tantivy-writer.lock"]:
        if isinstance(name, str) and "/" not in name:
            (root / name).unlink(missing_ok=True)


_ORDER: dict[str, tuple[str | None, tantivy.Order]] = {
    "relevance": (None, tantivy.Order.Desc),
    "title": ("title_sort", tantivy.Order.Asc),
    "ects": ("ects", tantivy.Order.Asc),
    "newest": ("updated", tantivy.Order.Desc),
}


def _aggregate(
    searcher: tantivy.Searcher, query: tantivy.Query, facets: list[str]
) -> dict[str, dict[str, int]]:
    """Per-value counts of the facets over the documents matching ``query``, in one pass.

    A facet is counted on each of its slot columns and, when some document in the index has
    more values than slots, on its overflow column; the sums are exact because a document
    puts each of its values in one column only (see ``schema.SLOTS``).
    """
    request: dict[str, Any] = {}
    for facet in facets:
        size = _FACET_SIZE.get(facet, _MAX_KEYS)
        columns = [slot_field(facet, slot) for slot in range(slot_count(facet))]
        if searcher.doc_freq(OVERFLOW_MARK, facet):
            columns.append(overflow_field(facet))
        for column in columns:
            request[column] = {"terms": {"field": column, "size": size, "segment_size": _MAX_KEYS}}
    answer = searcher.aggregate(query, request)
    counts: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for column, result in answer.items():
        facet = _COLUMN_FACET[column]
        mine = counts[facet]
        for bucket in result.get("buckets", []):
            key = str(bucket["key"])
            if key != SLOT_EMPTY:
                mine[key] = mine.get(key, 0) + int(bucket["doc_count"])
    return counts


_COLUMN_FACET = {
    column: facet
    for facet in FACETS
    for column in [overflow_field(facet)] + [slot_field(facet, i) for i in range(slot_count(facet))]
}


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
