"""Who may write what. Every write in views, API and import goes through these checks.

Register operator: governs the register (providers, agencies, specifications, QA results) but
does not act as a provider: issuing, status changes and key rotation belong to the provider's
own staff (an operator's emergency action is a separate, reasoned service). Agency staff: QA
results of their own agency (for any provider), their agency record and team. Provider staff,
by level (:class:`~microcred_web.register.models.ProviderLevel`): editors write the provider's
specifications, issuers issue and change the status of its credentials and rotate its key,
admins do both and manage the team and the provider's record. The table is in
``docs/workspace-team.md`` and ``docs/security.md``.

The shell operator (``microcred`` commands on the server, :class:`~microcred_web.issuing.cli.
ShellOperator`) may still issue: whoever runs commands there holds the key-encryption key.
"""

from __future__ import annotations

from typing import Any

from microcred_web.register.models import (
    Agency,
    Membership,
    Provider,
    ProviderLevel,
    QAResult,
    Role,
)

#: Levels that may do each thing for a provider.
_SPECIFICATION_LEVELS = frozenset({ProviderLevel.EDITOR, ProviderLevel.ADMIN})
_ISSUING_LEVELS = frozenset({ProviderLevel.ISSUER, ProviderLevel.ADMIN})


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


def is_shell(user: Any) -> bool:
    """Whoever runs management commands on the server (:class:`ShellOperator`)."""
    return bool(getattr(user, "is_shell", False))


def provider_level(user: Any, provider: Provider) -> str | None:
    """The user's level at ``provider`` (editor, issuer, admin), or None: not its staff."""
    for m in _memberships(user):
        if m.role == Role.PROVIDER and m.provider_id == provider.pk:
            return str(m.level)
    return None


def provider_levels(user: Any) -> dict[int, str]:
    """Provider pk -> the user's level there, for every provider the user is staff of."""
    return {
        int(m.provider_id): str(m.level)
        for m in _memberships(user)
        if m.role == Role.PROVIDER and m.provider_id is not None
    }


def is_provider_staff(user: Any, provider: Provider) -> bool:
    return provider_level(user, provider) is not None


def can_open_provider_workspace(user: Any, provider: Provider) -> bool:
    """Its staff at any level, and the operator (who sees, but does not issue)."""
    return is_operator(user) or is_provider_staff(user, provider)


def can_edit_provider(user: Any, provider: Provider) -> bool:
    """The provider's own register record: the operator, or one of its admins."""
    return is_operator(user) or provider_level(user, provider) == ProviderLevel.ADMIN


def can_edit_specifications(user: Any, provider: Provider) -> bool:
    """Write, publish, withdraw and read unpublished specifications: editors and admins (and
    the operator, who governs the catalogue)."""
    return is_operator(user) or provider_level(user, provider) in _SPECIFICATION_LEVELS


def can_issue(user: Any, provider: Provider) -> bool:
    """Issue credentials and change their status: the provider's issuers and admins only
    (the shell too); not the register operator, who does not act as a provider."""
    return is_shell(user) or provider_level(user, provider) in _ISSUING_LEVELS


def can_rotate_key(user: Any, provider: Provider) -> bool:
    """The signing key signs credentials: who may issue may rotate it, and nobody else."""
    return can_issue(user, provider)


def can_view_credentials(user: Any, provider: Provider) -> bool:
    """Read issued credentials (the list with learners' names, the signed copies): those who
    issue them, and the operator (read only: governance and its emergency action)."""
    return can_issue(user, provider) or is_operator(user)


def can_manage_team(user: Any, provider: Provider) -> bool:
    """Invite colleagues, change their level, remove them: the provider's admins only."""
    return provider_level(user, provider) == ProviderLevel.ADMIN


def is_agency_staff(user: Any, agency: Agency) -> bool:
    return any(m.role == Role.AGENCY and m.agency_id == agency.pk for m in _memberships(user))


def can_manage_agency_team(user: Any, agency: Agency) -> bool:
    """Agency staff manage their own agency's team (an agency has one kind of staff)."""
    return is_agency_staff(user, agency)


def can_hold_api_tokens(user: Any) -> bool:
    """Anyone with a membership may create API tokens for themselves; a token acts with its
    user's roles, so it can never do more than the user could on a page."""
    return bool(getattr(user, "is_active", False)) and (
        is_operator(user) or bool(_memberships(user))
    )


def can_create_provider(user: Any) -> bool:
    return is_operator(user)


def can_edit_agency(user: Any, agency: Agency) -> bool:
    return is_operator(user) or is_agency_staff(user, agency)


def can_record_qa_result(user: Any, agency: Agency) -> bool:
    return can_edit_agency(user, agency)


def can_edit_qa_result(user: Any, result: QAResult) -> bool:
    return can_edit_agency(user, result.agency)


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(f"not allowed to {what}")


def forget(user: Any) -> None:
    """Drop the memberships cached on ``user`` (after a team change in the same request)."""
    if user is not None and hasattr(user, "_microcred_memberships"):
        del user._microcred_memberships
