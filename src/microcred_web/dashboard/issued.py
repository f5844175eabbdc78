"""The provider's issued-credentials list: search by the learner's name or by the exact
identifier, paged, with only the status changes that apply to each credential.

Why the identifier is matched by its hash: it is stored only as a keyed hash (HMAC,
:func:`~microcred_web.issuing.issue.learner_hash`), so the query is hashed with the same key
and compared; the identifier itself is never stored, shown or logged. A part of an
identifier therefore finds nothing, by design; a part of a name does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q

from microcred_web.issuing import issue as issuing
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord
from microcred_web.register import permissions
from microcred_web.register.models import Provider

PAGE_SIZE = 25
MAX_QUERY_LENGTH = issuing.MAX_IDENTIFIER_LENGTH


class PageNotFound(Exception):
    """A page number that is not a number (400) or past the end (404)."""

    def __init__(self, message: str, status: int, last: int):
        super().__init__(message)
        self.message, self.status, self.last = message, status, last


@dataclass(frozen=True)
class IssuedPage:
    records: list[IssuedCredentialRecord]
    number: int
    pages: int
    total: int
    query: str
    #: Whether the identifier key was available to match the query as an identifier.
    identifier_searched: bool = True
    numbers: list[int] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def applicable_actions(record: IssuedCredentialRecord) -> list[str]:
    """The status changes that make sense now: none once revoked (revocation is final);
    reinstate a suspended one; suspend only one issued with a suspension entry."""
    if record.revoked:
        return []
    if record.suspended:
        return ["reinstate", "revoke"]
    if record.suspension_id is not None:
        return ["suspend", "revoke"]
    return ["revoke"]


def _identifier_hashes(query: str) -> list[str] | None:
    """The hashes the query would have as an identifier (as typed; an e-mail address also in
    lower case, as the wallet matches addresses); None without a usable identifier key."""
    candidates = {query}
    if "@" in query:
        candidates.add(query.lower())
    try:
        return [issuing.learner_hash(candidate) for candidate in sorted(candidates)]
    except IssuingError:
        return None


def search(user: Any, provider: Provider, query: str = "", page: str | None = None) -> IssuedPage:
    """One page of the provider's issued credentials, newest first, matching ``query``."""
    permissions.require(
        permissions.can_view_credentials(user, provider),
        f"read the credentials of {provider.slug}",
    )
    # Control characters dropped: no name or identifier holds one, and PostgreSQL refuses NUL.
    printable = "".join(ch if ch.isprintable() else " " for ch in (query or ""))
    query = " ".join(printable.split())[:MAX_QUERY_LENGTH]
    records = IssuedCredentialRecord.objects.filter(provider=provider)
    searched = True
    if query:
        condition = Q(learner_name__icontains=query)
        hashes = _identifier_hashes(query)
        searched = hashes is not None
        if hashes:
            condition |= Q(learner_hash__in=hashes)
        records = records.filter(condition)
    paginator = Paginator(
        records.select_related("specification").order_by("-issued_at", "-pk"), PAGE_SIZE
    )
    pages = max(paginator.num_pages, 1)
    text = (page or "1").strip()
    if not text.isdigit() or int(text) < 1:
        raise PageNotFound(f"{text[:20]!r} is not a page number", 400, pages)
    number = int(text)
    if number > pages:
        raise PageNotFound(f"there is no page {number}: the list has {pages}", 404, pages)
    window = [n for n in range(number - 2, number + 3) if 1 <= n <= pages]
    return IssuedPage(
        records=list(paginator.page(number).object_list) if paginator.count else [],
        number=number,
        pages=pages,
        total=paginator.count,
        query=query,
        identifier_searched=searched,
        numbers=window,
    )
