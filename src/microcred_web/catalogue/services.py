"""The one catalogue search service, shared by the HTML pages and the API.

The database is the source of truth; the tantivy index under ``settings.SEARCH_INDEX_DIR`` is a
derived copy. Register services call :func:`specification_changed` after a specification is
written (on transaction commit, so a rolled-back write never reaches the index), QA changes
call :func:`reindex_provider`, and :func:`rebuild_index` (the ``reindex`` command) recreates the
whole index from the database at any time, e.g. nightly, because "quality assured today" ages
with the calendar while nothing in the database changes.

Why the writer is released after every change: tantivy allows one writer per index directory
across processes. Holding it in a web worker would lock out every other worker, the
``reindex`` command and bulk import. Opening a writer costs ~15 ms, cheap for one edit; bulk
work goes through :func:`batch`, which pays it once. Between processes, changes are queued and
applied under a writer lock (:mod:`microcred.catalogue.writers`): none is lost, and a search
after a change has returned sees it (every search checks whether the index moved on).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from pydantic import ValidationError

from microcred.catalogue import (
    FACETS,
    MAX_PER_PAGE,
    CatalogueEntry,
    SearchIndex,
    SearchIndexError,
    SearchQuery,
    SearchQueryError,
    SearchResult,
    entry_from_spec,
)
from microcred.catalogue.writers import PendingChanges, WriterLock
from microcred.register.standing import QAResult as CoreResult
from microcred.register.standing import Standing, standing_on
from microcred.standard.model import MicroCredentialSpec
from microcred_web.register.models import Provider, Specification
from microcred_web.register.services import to_core_result

__all__ = [
    "batch",
    "catalogue_count",
    "entry_for",
    "get_index",
    "parse_query",
    "rebuild_index",
    "reindex_provider",
    "reset_index",
    "search",
    "specification_changed",
]

logger = logging.getLogger("microcred_web.catalogue")

_lock = threading.RLock()
_index: SearchIndex | None = None
_index_path: Path | None = None
_local = threading.local()

#: How long a change waits for the index writer held by another process (a rebuild can take
#: minutes at a million entries) before leaving its change queued for that process to apply.
_WRITE_WAIT_SECONDS = 10.0
#: Tries to open tantivy's writer when a process outside the writer lock holds it.
_WRITE_TRIES = 5
_WRITE_RETRY_SECONDS = 0.05


# -- the process-wide index ----------------------------------------------------------------


def _configured_path() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def get_index() -> SearchIndex:
    """The process-wide index at ``settings.SEARCH_INDEX_DIR``.

    Reopened when the setting changes, so tests that point it at a temporary directory get a
    fresh index without any other hook. On first open, an empty index over a database that has
    catalogue entries (a fresh install, a deleted index directory, data loaded without the
    services) is rebuilt, so the catalogue is never silently empty.
    """
    global _index, _index_path
    path = _configured_path()
    with _lock:
        if _index is not None and _index_path == path:
            return _index
        if _index is not None:
            _index.close()
        _index, _index_path = SearchIndex(path), path
        index = _index
    if index.count() == 0 and _catalogue_queryset().exists():
        lock, pending = _coordination()
        with lock.hold(None):  # several workers starting at once: one rebuilds
            if index.count() == 0:
                logger.info("catalogue index at %s is empty: rebuilding it", path)
                pending.take()
                try:
                    index.rebuild(_entries(_catalogue_queryset()))
                except SearchIndexError:
                    logger.exception("could not rebuild the empty catalogue index; run `reindex`")
                finally:
                    index.close()
    return index


def reset_index() -> None:
    """Forget the process-wide index (tests call it between temporary index directories)."""
    global _index, _index_path
    with _lock:
        if _index is not None:
            _index.close()
        _index, _index_path = None, None


# -- from register rows to catalogue entries -------------------------------------------------


def today() -> date:
    """The day whose QA standing the index shows (one place, so tests can fix the clock)."""
    return date.today()


def _today() -> date:
    return today()


def standing_may_change(after: date, upto: date) -> list[Provider]:
    """Providers whose QA standing may differ on some day in (``after``, ``upto``] from the
    day before, with nothing written: a result taking effect or ending, or its agency's EQAR
    registration beginning or ending, on such a day.

    Why: the index holds each specification's "quality assured" as computed when it was last
    written; a result recorded today to take effect next month changes the standing on that
    day, and the daily ``refresh-standing`` job reindexes these providers then.
    """
    from django.db.models import Q

    from microcred_web.register.models import QAResult

    starts = Q(valid_from__gt=after, valid_from__lte=upto)
    # Valid through valid_until: the standing changes on the day after it.
    ends = Q(valid_until__gte=after, valid_until__lt=upto)
    eqar = Q(agency__eqar_registered_since__gt=after, agency__eqar_registered_since__lte=upto) | Q(
        agency__eqar_registered_until__gte=after, agency__eqar_registered_until__lt=upto
    )
    results = QAResult.objects.filter(starts | ends | eqar).values("pk")
    return list(Provider.objects.filter(qa_results__in=results).distinct().order_by("pk"))


def _catalogue_queryset() -> Any:
    return Specification.objects.filter(status=Specification.Status.PUBLISHED, has_errors=False)


def catalogue_count() -> int:
    """How many specifications belong in the catalogue (the index should hold as many)."""
    return int(_catalogue_queryset().count())


def _core_results(provider: Provider) -> list[CoreResult]:
    results = provider.qa_results.select_related("agency").prefetch_related(
        "covered_specifications"
    )
    return [to_core_result(r) for r in results]


def entry_for(
    spec: Specification,
    *,
    standing: Standing | None = None,
    today: date | None = None,
) -> CatalogueEntry:
    """The catalogue entry of one specification, with the provider's QA standing today.

    ``standing`` may be passed by callers that computed it already (bulk rebuilds).
    """
    provider = spec.provider
    if standing is None:
        standing = standing_on(_core_results(provider), today or _today(), spec.public_id)
    model = MicroCredentialSpec.model_validate(spec.data)
    return entry_from_spec(
        spec.public_id,
        model,
        provider_id=provider.public_id,
        provider_name=provider.name("en"),
        provider_kind=provider.kind,
        quality_assured=standing.quality_assured,
        updated=spec.updated.date().isoformat() if spec.updated else "1970-01-01",
    )


def _entries(
    specs: Any, progress: Callable[[int], None] | None = None, every: int = 10_000
) -> Iterator[CatalogueEntry]:
    """Entries of a queryset, streamed, computing each provider's QA results once."""
    today = _today()
    cached: tuple[int, list[CoreResult]] | None = None
    rows = specs.select_related("provider").order_by("provider_id", "id").iterator(chunk_size=2000)
    for done, spec in enumerate(rows, start=1):
        if cached is None or cached[0] != spec.provider_id:
            cached = (spec.provider_id, _core_results(spec.provider))
        standing = standing_on(cached[1], today, spec.public_id)
        try:
            yield entry_for(spec, standing=standing)
        except (ValidationError, ValueError):
            # Stored data is validated on save; a row that no longer parses (schema moved on)
            # is left out of the search rather than stopping the whole rebuild.
            logger.warning("specification %s cannot be indexed; skipped", spec.public_id)
        if progress is not None and done % every == 0:
            progress(done)


# -- keeping the index in step ----------------------------------------------------------------
#
# Several processes write the index (web workers, `reindex`, imports): every change goes
# through the queue and the writer lock of microcred.catalogue.writers, and the one holding
# the lock re-reads the queued rows from the database, so no change is lost and the last
# writer always indexes the last committed state.


def _coordination() -> tuple[WriterLock, PendingChanges]:
    path = _configured_path()
    return WriterLock(path), PendingChanges(path)


def _queue(specs: Iterable[Specification]) -> None:
    """Queue changed specifications and apply the queue (waiting for the writer at most
    ``_WRITE_WAIT_SECONDS``: past that, the process holding it applies them)."""
    get_index()  # opened (and rebuilt if empty) before the lock is taken
    lock, pending = _coordination()
    pending.add(f"{spec.pk}:{spec.public_id}" for spec in specs)
    _drain(lock, pending, _WRITE_WAIT_SECONDS)


def _drain(lock: WriterLock, pending: PendingChanges, wait: float | None) -> None:
    # The lock is taken at least once even when the queue looks empty: another process may
    # have taken this change from the queue and still be applying it, and only its release
    # of the lock says the index holds it (else a search right after the change returned
    # could miss it). Then look at the queue again after each release: a process that queued
    # while the lock was held and stopped waiting relies on the holder's last look
    # (writers.py explains why).
    while True:
        with lock.hold(wait) as held:
            if not held:
                logger.info("catalogue index busy: change queued for the process writing it")
                return
            while items := pending.take():
                try:
                    _apply(items)
                except Exception:
                    pending.add(items)  # kept for the next writer, never dropped
                    logger.exception("catalogue index not updated yet; the change stays queued")
                    return
        if pending.empty():
            return


def _apply(items: list[str]) -> None:
    """Index the queued rows as the database has them now (under the writer lock)."""
    queued = {int(pk): public_id for pk, public_id in (item.split(":", 1) for item in items)}
    fresh = Specification.objects.select_related("provider").in_bulk(list(queued))
    upserts: list[CatalogueEntry] = []
    deletes: list[str] = []
    standing_cache: dict[int, list[CoreResult]] = {}
    today = _today()
    for pk, public_id in queued.items():
        spec = fresh.get(pk)
        if spec is None or not spec.in_catalogue:
            deletes.append(public_id if spec is None else spec.public_id)
            continue
        if spec.provider_id not in standing_cache:
            standing_cache[spec.provider_id] = _core_results(spec.provider)
        standing = standing_on(standing_cache[spec.provider_id], today, spec.public_id)
        try:
            upserts.append(entry_for(spec, standing=standing))
        except (ValidationError, ValueError):
            logger.warning("specification %s cannot be indexed; removed", spec.public_id)
            deletes.append(spec.public_id)
    index = get_index()
    for attempt in range(_WRITE_TRIES):
        try:
            if deletes:
                index.delete(deletes)
            if upserts:
                index.upsert(upserts)
            index.commit()
            index.close()
            return
        except SearchIndexError:
            # Only a writer outside this protocol (an older process) holds tantivy's lock.
            index.close()
            if attempt + 1 == _WRITE_TRIES:
                raise
            time.sleep(_WRITE_RETRY_SECONDS * (attempt + 1))


def _sync(specs: Mapping[int, Specification]) -> None:
    if specs:
        _queue(specs.values())


def specification_changed(spec: Specification) -> None:
    """Put the specification in the index if it belongs in the catalogue, else take it out.

    Called by the register services on commit. Inside :func:`batch` the change is only
    noted and applied once when the batch ends.
    """
    pending: dict[int, Specification] | None = getattr(_local, "pending", None)
    if pending is not None:
        pending[spec.pk] = spec
        return
    _sync({spec.pk: spec})


def reindex_provider(provider: Provider) -> int:
    """Re-index every specification of a provider (its name, kind or QA standing changed).

    Returns how many specifications were looked at.
    """
    specs = {s.pk: s for s in provider.specifications.select_related("provider")}
    pending: dict[int, Specification] | None = getattr(_local, "pending", None)
    if pending is not None:
        pending.update(specs)
    else:
        _sync(specs)
    return len(specs)


@contextmanager
def batch() -> Iterator[None]:
    """Collect specification changes and index them in one commit at the end.

    For bulk import: one writer and one commit for the whole file instead of one per row.
    Nested batches join the outer one.
    """
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = {}
    try:
        yield
    finally:
        pending, _local.pending = _local.pending, None
        # The rows are re-read when applied (deleted ones leave the index).
        _sync(pending)


def rebuild_index(progress: Callable[[int], None] | None = None) -> int:
    """Replace the index with every catalogue specification in the database; returns the count.

    Streams rows with ``iterator()`` so memory stays flat at a million specifications.
    ``progress`` is called with the running count every 10,000 entries.
    """
    index = get_index()
    lock, pending = _coordination()
    with lock.hold(None):
        # Changes queued until now are in the database the rebuild reads: drop them.
        pending.take()
        try:
            count = index.rebuild(_entries(_catalogue_queryset(), progress))
        finally:
            index.close()
    _drain(lock, pending, _WRITE_WAIT_SECONDS)  # what was queued while rebuilding
    return count


# -- searching --------------------------------------------------------------------------------


def search(query: SearchQuery) -> SearchResult:
    """Run a catalogue search (see :class:`microcred.catalogue.SearchQuery`)."""
    return get_index().search(query)


_FIELD_NAMES = {
    "ects_min": "Minimum ECTS",
    "ects_max": "Maximum ECTS",
    "page": "Page",
    "per_page": "Results per page",
}


def _number(params: Any, name: str) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        # Decimal commas are how most of Europe writes 2,5 ECTS.
        return float(raw.replace(",", "."))
    except ValueError:
        raise SearchQueryError(
            f"{_FIELD_NAMES[name]} must be a number such as 5 or 2.5, not {raw[:40]!r}"
        ) from None


def _integer(params: Any, name: str, default: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SearchQueryError(
            f"{_FIELD_NAMES[name]} must be a whole number, not {raw[:40]!r}"
        ) from None


def parse_query(params: Any, *, per_page: int = 20) -> SearchQuery:
    """Build a search from URL parameters (a ``QueryDict`` or any mapping with ``getlist``).

    Parameters: ``q``; one parameter per facet in :data:`FACETS`, repeated for several
    values; ``ects_min``; ``ects_max``; ``sort``; ``page``; ``per_page``. Every bad value
    raises :class:`SearchQueryError` with a message fit to show the visitor; other parameters
    (``lang``, tracking tags) are ignored.
    """
    filters = {facet: params.getlist(facet) for facet in FACETS if params.getlist(facet)}
    ects_min = _number(params, "ects_min")
    ects_max = _number(params, "ects_max")
    for name, value in (("ects_min", ects_min), ("ects_max", ects_max)):
        if value is not None and not (0 <= value < float("inf")):
            raise SearchQueryError(f"{_FIELD_NAMES[name]} must be zero or more")
    if ects_min is not None and ects_max is not None and ects_min > ects_max:
        raise SearchQueryError(f"Minimum ECTS ({ects_min:g}) is above maximum ECTS ({ects_max:g})")
    size = _integer(params, "per_page", per_page)
    if not 1 <= size <= MAX_PER_PAGE:
        raise SearchQueryError(f"Results per page must be from 1 to {MAX_PER_PAGE}")
    page = _integer(params, "page", 1)
    if page < 1:
        raise SearchQueryError("Page must be 1 or more")
    sort = params.get("sort") or "relevance"  # as sent: the API document lists the values
    return SearchQuery(
        text=params.get("q") or "",
        filters=filters,
        ects_min=ects_min,
        ects_max=ects_max,
        sort=sort,  # type: ignore[arg-type]  # checked by SearchQuery
        page=page,
        per_page=size,
    )
