"""Who may write what. Every write in views, API and import goes through these checks.

Register operator: everything. Agency staff: QA results of their own agency (for any provider)
and their own agency record. Provider staff: their own provider and its specifications only.
"""

from __future__ import annotations

from typing import Any

from microcred_web.register.models import Agency, Membership, Provider, QAResult, Role


class PermissionDenied(Exception):
    """The user may not do this; the message says what and why, for a 403."""


def _memberships(user: Any) -> list[Membership]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached: list[Membership] | None = getattr(user, "_microcred_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user))
        user._microcred_memberships = cached
    return cached


def is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        m.role == Role.OPERATOR for m in _memberships(user)
    )


def can_edit_provider(user: Any, provider: Provider) -> bool:
    return is_operator(user) or any(
        m.role == Role.PROVIDER and m.provider_id == provider.pk for m in _memberships(user)
    )


def can_create_provider(user: Any) -> bool:
    return is_operator(user)


def can_edit_agency(user: Any, agency: Agency) -> bool:
    return is_operator(user) or any(
        m.role == Role.AGENCY and m.agency_id == agency.pk for m in _memberships(user)
    )


def can_record_qa_result(user: Any, agency: Agency) -> bool:
    return can_edit_agency(user, agency)


def can_edit_qa_result(user: Any, result: QAResult) -> bool:
    return can_edit_agency(user, result.agency)


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(f"not allowed to {what}")
