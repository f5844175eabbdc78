"""The public indexes of the register: ``/providers/`` and ``/agencies/``.

Names are language maps (JSON), so neither a portable SQL ``LIKE`` nor an ordering by name
works in the database: SQLite stores ``"Université"`` as ``"Universit\\u00e9"``, and a text
cast of the JSON would match the language keys (``en``). The register holds thousands of
organisations, not millions, so the names are read (four narrow columns) and matched in
Python, accent- and case-blind in every language a name is given in; only the page shown is
then read in full, with its QA results for the standing today.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import Generic, TypeVar

from django.db.models import Prefetch

from microcred.register.standing import Standing, standing_on
from microcred_web.register.models import Agency, Provider, QAResult
from microcred_web.register.services import to_core_result

#: Rows on one page of an index.
PER_PAGE = 50
#: A longer search text is refused (a name is never this long).
MAX_QUERY = 200

T = TypeVar("T")


class DirectoryQueryError(ValueError):
    """A bad ``q`` or ``page``: the message names the field, for a 400 answer."""


@dataclass
class IndexPage(Generic[T]):
    """One page of an index. ``past_end`` is set when ``page`` is beyond the last page."""

    rows: list[T]
    total: int
    page: int
    pages: int
    per_page: int = PER_PAGE
    past_end: bool = False

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)


@dataclass
class ProviderRow:
    provider: Provider
    name: str
    standing: Standing
    #: The agency whose result the standing rests on, when it is in the register.
    agency: Agency | None = None


@dataclass
class AgencyRow:
    agency: Agency
    name: str
    countries: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Case- and accent-blind form of ``text``: "Université" and "universite" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_page(raw: str | None) -> int:
    if raw is None or raw.strip() == "":
        return 1
    try:
        page = int(raw.strip())
    except ValueError:
        raise DirectoryQueryError("Page must be a whole number") from None
    if page < 1:
        raise DirectoryQueryError("Page must be 1 or more")
    return page


def parse_q(raw: str | None) -> str:
    q = (raw or "").strip()
    if len(q) > MAX_QUERY:
        raise DirectoryQueryError(f"Search text must be at most {MAX_QUERY} characters")
    return q


def _matches(q: str, names: Iterable[str]) -> bool:
    words = fold(q).split()
    haystack = " ".join(fold(n) for n in names if isinstance(n, str))
    return all(word in haystack for word in words)


def _paginate(ids: Sequence[int], page: int) -> tuple[list[int], int, bool]:
    pages = ceil(len(ids) / PER_PAGE)
    if page > max(pages, 1):
        return [], pages, True
    start = (page - 1) * PER_PAGE
    return list(ids[start : start + PER_PAGE]), pages, False


def _agency_for(standing: Standing, agencies: dict[str, Agency]) -> Agency | None:
    if standing.basis is None:
        return None
    return agencies.get(standing.basis.agency.key)


def providers(q: str, page: int, today: date | None = None) -> IndexPage[ProviderRow]:
    """Providers whose legal or display name (any language) contains every word of ``q``,
    by name, with their QA standing on ``today``."""
    day = today or date.today()
    names = Provider.objects.values_list("pk", "slug", "legal_name", "display_name")
    found: list[tuple[str, int]] = []
    for pk, slug, legal, display in names:
        legal, display = legal or {}, display or {}
        if q and not _matches(q, [slug, *legal.values(), *display.values()]):
            continue
        shown = display or legal
        name = shown.get("en") or next(iter(shown.values()), slug)
        found.append((fold(name), pk))
    found.sort()
    ids, pages, past_end = _paginate([pk for _, pk in found], page)
    results = QAResult.objects.select_related("agency").prefetch_related("covered_specifications")
    rows_by_pk = {
        p.pk: p
        for p in Provider.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("qa_results", queryset=results)
        )
    }
    rows = []
    for pk in ids:
        provider = rows_by_pk[pk]
        own = list(provider.qa_results.all())
        agencies = {r.agency.public_id: r.agency for r in own}
        standing = standing_on([to_core_result(r) for r in own], day)
        rows.append(
            ProviderRow(provider, provider.name(), standing, _agency_for(standing, agencies))
        )
    return IndexPage(rows, len(found), page, pages, past_end=past_end)


def agencies(q: str, page: int) -> IndexPage[AgencyRow]:
    """Agencies whose name (any language) or acronym contains every word of ``q``."""
    found: list[tuple[str, int]] = []
    for pk, acronym, name in Agency.objects.values_list("pk", "acronym", "name"):
        name = name or {}
        if q and not _matches(q, [acronym, *name.values()]):
            continue
        found.append((fold(acronym), pk))
    found.sort()
    ids, pages, past_end = _paginate([pk for _, pk in found], page)
    by_pk = Agency.objects.in_bulk(ids)
    rows = [AgencyRow(by_pk[pk], by_pk[pk].display(), list(by_pk[pk].countries)) for pk in ids]
    return IndexPage(rows, len(found), page, pages, past_end=past_end)


def agency_of(standing: Standing) -> Agency | None:
    """The register's agency behind a standing (its basis), for a link from the QA statement."""
    if standing.basis is None or not standing.basis.agency.key:
        return None
    return Agency.objects.filter(public_id=standing.basis.agency.key).first()
