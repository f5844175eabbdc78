"""Reading the audit log: the operator's filtered view, and each record's own history.

The operator sees every row. A record's history is shown to those who may edit the record:
a provider's staff see the rows of their provider, its specifications and its credentials
(by id; a learner is never named in the log); an agency's staff the rows of their agency and
its QA results. Rows are matched by ``target`` (``provider <slug>``, ``specification <S-…>``,
``qa-result <agency>/<id>``…) and by the ``provider`` named in ``details``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from microcred_web.issuing.models import AuditEvent
from microcred_web.operator.guard import require_operator
from microcred_web.register import permissions
from microcred_web.register.models import Agency, Provider, Specification

#: Rows per page of the viewer and of a record's history.
PAGE_SIZE = 50


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


class FilterError(ValueError):
    """Filters that cannot match anything as meant; ``field`` is the one at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def date_range_problem(since: date | None, until: date | None) -> str:
    """The one rule between two filters (the page's form and the API ask it): "" when fine."""
    if since and until and until < since:
        return _("The end date is before the start date.")
    return ""


def search(user: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Every row matching ``filters`` (the viewer form's cleaned data, or the API's query),
    newest first. Raises :class:`FilterError` for an end date before the start date."""
    require_operator(user, "read the audit log")
    problem = date_range_problem(filters.get("since"), filters.get("until"))
    if problem:
        raise FilterError("until", problem)
    rows = AuditEvent.objects.all()
    if filters.get("actor"):
        rows = rows.filter(actor_name__icontains=filters["actor"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("record_type"):
        rows = rows.filter(target__startswith=filters["record_type"] + " ")
    if filters.get("record"):
        rows = rows.filter(target__icontains=filters["record"])
    if filters.get("interface"):
        rows = rows.filter(interface=filters["interface"])
    if filters.get("since"):
        rows = rows.filter(at__gte=_start_of(filters["since"]))
    if filters.get("until"):
        rows = rows.filter(at__lt=_start_of(filters["until"] + timedelta(days=1)))
    return rows.order_by("-at", "-pk")


def _may_edit_provider(user: Any, provider: Provider) -> bool:
    """The provider's staff, or the operator (who edits its record, though not its credentials:
    kept explicit in case ``can_edit_provider`` stops counting the operator)."""
    return permissions.is_operator(user) or permissions.can_edit_provider(user, provider)


def provider_history(user: Any, provider: Provider) -> QuerySet[AuditEvent]:
    """The rows about ``provider``: its record, its specifications, its credentials."""
    permissions.require(_may_edit_provider(user, provider), f"read the history of {provider.slug}")
    specs = [
        f"specification {public_id}"
        for public_id in Specification.objects.filter(provider=provider).values_list(
            "public_id", flat=True
        )
    ]
    return AuditEvent.objects.filter(
        Q(target=f"provider {provider.slug}")
        | Q(details__provider=provider.slug)
        | Q(target__in=specs)
    ).order_by("-at", "-pk")


def specification_history(user: Any, spec: Specification) -> QuerySet[AuditEvent]:
    permissions.require(
        _may_edit_provider(user, spec.provider),
        f"read the history of {spec.public_id}",
    )
    return AuditEvent.objects.filter(target=f"specification {spec.public_id}").order_by(
        "-at", "-pk"
    )


def agency_history(user: Any, agency: Agency) -> QuerySet[AuditEvent]:
    """The rows about ``agency``: its record and its QA results."""
    permissions.require(
        permissions.is_operator(user) or permissions.can_edit_agency(user, agency),
        f"read the history of {agency.slug}",
    )
    return AuditEvent.objects.filter(
        Q(target=f"agency {agency.slug}") | Q(target__startswith=f"qa-result {agency.slug}/")
    ).order_by("-at", "-pk")


#: Rows whose ``target`` is the account name itself (recorded by the sign-in views).
SIGN_IN_ACTIONS = ("sign-in", "sign-out", "sign-in-failed", "sign-in-locked")


def account_history(user: Any, account: Any) -> QuerySet[AuditEvent]:
    """The rows about a staff account: its roles, deactivation, tokens and sign-ins."""
    require_operator(user, "read the history of accounts")
    name = account.get_username()
    return AuditEvent.objects.filter(
        Q(target=f"account {name}")
        | Q(target__startswith="token ", target__endswith=f" of {name}")
        | Q(action__in=SIGN_IN_ACTIONS, target=name)
    ).order_by("-at", "-pk")
