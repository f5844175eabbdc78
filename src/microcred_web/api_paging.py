"""The one shape of a paged list in the API: ``count``, ``page``, ``per_page``, ``items``.

Every list endpoint (the register's, the operator's) answers the same way, so a client pages
through all of them with one loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.db.models import QuerySet


class Paged(Protocol):
    page: int
    per_page: int


def page_of(queryset: QuerySet[Any], paging: Paged, shape: Callable[[Any], Any]) -> dict[str, Any]:
    """One page of ``queryset``, each row through ``shape``, with the total count."""
    start = (paging.page - 1) * paging.per_page
    return {
        "count": queryset.count(),
        "page": paging.page,
        "per_page": paging.per_page,
        "items": [shape(row) for row in queryset[start : start + paging.per_page]],
    }
