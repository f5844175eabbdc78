"""Staff accounts and their roles, as the operator manages them.

Learners' wallet accounts are not staff accounts and never listed here: the operator has no
business with a learner's address. Deactivating an account keeps it (its audit trail names
it) but stops it: ``is_active`` off (Django refuses its sign-in and its sessions), every API
token revoked, one audit row with the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet

from microcred_web.issuing.audit import record_event
from microcred_web.operator.guard import require_operator
from microcred_web.register.models import Agency, ApiToken, Membership, Provider, Role


class AccountRefused(Exception):
    """A refusal; ``field`` is the form field at fault, ``code`` the API's stable code (and
    ``conflict`` says the account's state, not the input, is in the way: a 409)."""

    def __init__(
        self, message: str, field: str = "", code: str = "refused", *, conflict: bool = False
    ) -> None:
        super().__init__(message)
        self.message, self.field, self.code, self.conflict = message, field, code, conflict


def staff_accounts(user: Any, query: str = "") -> QuerySet[Any]:
    require_operator(user, "list accounts")
    accounts = get_user_model().objects.filter(learner__isnull=True).order_by("username")
    if query:
        accounts = accounts.filter(Q(username__icontains=query) | Q(email__icontains=query))
    return accounts.prefetch_related("memberships__provider", "memberships__agency")


def staff_account(user: Any, pk: int) -> Any:
    require_operator(user, "read accounts")
    return get_user_model().objects.filter(pk=pk, learner__isnull=True).first()


def staff_account_named(user: Any, username: str) -> Any:
    """The staff account called ``username`` (the API names accounts by name; never a
    learner's wallet account)."""
    require_operator(user, "read accounts")
    return get_user_model().objects.filter(username=username, learner__isnull=True).first()


def grant(user: Any, account: Any, role: str, organisation: str = "") -> Membership:
    """Give ``account`` a role (for the provider or agency named by slug where it needs one)."""
    require_operator(user, "grant roles")
    organisation = organisation.strip()
    target: dict[str, Any] = {}
    if role == Role.PROVIDER:
        provider = Provider.objects.filter(slug=organisation).first()
        if provider is None:
            raise AccountRefused(
                f"no provider {organisation!r}", "organisation", "unknown-organisation"
            )
        target = {"provider": provider}
    elif role == Role.AGENCY:
        agency = Agency.objects.filter(slug=organisation).first()
        if agency is None:
            raise AccountRefused(
                f"no agency {organisation!r}", "organisation", "unknown-organisation"
            )
        target = {"agency": agency}
    elif role == Role.OPERATOR:
        if organisation:
            raise AccountRefused(
                "the operator's role is not tied to an organisation",
                "organisation",
                "no-organisation-needed",
            )
    else:
        raise AccountRefused(f"unknown role {role!r}", "role", "unknown-role")
    with transaction.atomic():
        existing = Membership.objects.filter(user=account, role=role, **target).first()
        if existing is not None:
            raise AccountRefused(
                "the account has this role already", "role", "already-granted", conflict=True
            )
        membership = Membership.objects.create(user=account, role=role, **target)
        record_event(
            user,
            "membership-granted",
            f"account {account.get_username()}",
            details={"role": role, **{k: v.slug for k, v in target.items()}},
        )
    return membership


def remove(user: Any, membership_id: int, account: Any = None) -> Membership | None:
    """Remove one role; None (nothing removed) when there is no such membership, or it is
    not ``account``'s when an account is given (a page or an API path names both)."""
    require_operator(user, "remove roles")
    with transaction.atomic():
        found = Membership.objects.select_related("user", "provider", "agency").filter(
            pk=membership_id, user__learner__isnull=True
        )
        if account is not None:
            found = found.filter(user=account)
        membership = found.first()
        if membership is None:
            return None
        details: dict[str, Any] = {"role": membership.role}
        if membership.provider is not None:
            details["provider"] = membership.provider.slug
        if membership.agency is not None:
            details["agency"] = membership.agency.slug
        membership.delete()
        record_event(
            user,
            "membership-removed",
            f"account {membership.user.get_username()}",
            details=details,
        )
    return membership


def deactivate(user: Any, account: Any, reason: str) -> int:
    """Stop ``account``: no sign-in, no API token. Returns how many tokens were revoked."""
    require_operator(user, "deactivate accounts")
    reason = reason.strip()
    if not reason:
        raise AccountRefused("say why the account is deactivated", "reason", "reason-required")
    if account.pk == getattr(user, "pk", None):
        raise AccountRefused("you cannot deactivate your own account", "reason", "own-account")
    if not account.is_active:
        raise AccountRefused(
            "the account is already deactivated", "reason", "already-deactivated", conflict=True
        )
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active"])
        revoked = ApiToken.objects.filter(user=account, revoked=False).update(revoked=True)
        record_event(
            user,
            "account-deactivated",
            f"account {account.get_username()}",
            reason,
            details={"tokens_revoked": revoked},
        )
    return revoked


def providers(user: Any, query: str = "") -> QuerySet[Provider]:
    require_operator(user, "list providers")
    found = Provider.objects.order_by("slug")
    if query:
        found = found.filter(
            Q(slug__icontains=query)
            | Q(public_id__iexact=query)
            | Q(legal_name__icontains=query)
            | Q(display_name__icontains=query)
            | Q(national_id__iexact=query)
            | Q(erasmus_code__iexact=query)
        )
    return found


def agencies(user: Any, query: str = "") -> QuerySet[Agency]:
    require_operator(user, "list agencies")
    found = Agency.objects.order_by("acronym")
    if query:
        found = found.filter(
            Q(slug__icontains=query)
            | Q(acronym__icontains=query)
            | Q(public_id__iexact=query)
            | Q(name__icontains=query)
        )
    return found
