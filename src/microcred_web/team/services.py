"""A team's members, their levels, invitations by e-mail: the rules behind the team pages.

Every function takes the acting user first and checks the permission itself
(:mod:`~microcred_web.register.permissions`), so a page cannot forget it. Every write is
audited; the audit log names memberships by account name and invitations by their public id,
never by the address they were sent to.

Why a team is never left without an admin: a provider whose last admin left could not invite
anyone again, nor change its own record, until the register operator stepped in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred_web.issuing.audit import record_event
from microcred_web.register import permissions
from microcred_web.register.models import Agency, Membership, Provider, ProviderLevel, Role
from microcred_web.team import mail
from microcred_web.team.models import Invitation
from microcred_web.wallet.tokens import MAX_TOKEN_LENGTH, new_token, token_hash

#: How long an invitation link works (``MICROCRED_INVITATION_DAYS``).
DEFAULT_INVITATION_DAYS = 7
#: The longest address an invitation goes to (``Invitation.email``, RFC 5321's path limit).
MAX_EMAIL_LENGTH = 254


class TeamError(Exception):
    """A refused team change: a stable code, a message for the user, the form field at fault."""

    def __init__(self, code: str, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status


@dataclass(frozen=True)
class Organisation:
    """A provider or an agency, as the team pages see it."""

    kind: str  # "provider" | "agency"
    record: Provider | Agency

    @property
    def slug(self) -> str:
        return str(self.record.slug)

    @property
    def name(self) -> str:
        if isinstance(self.record, Provider):
            return str(self.record.name())
        return str(self.record.display())

    @property
    def has_levels(self) -> bool:
        """Provider staff have levels; an agency has one kind of staff."""
        return self.kind == "provider"

    def memberships(self) -> Any:
        if isinstance(self.record, Provider):
            return Membership.objects.filter(role=Role.PROVIDER, provider=self.record)
        return Membership.objects.filter(role=Role.AGENCY, agency=self.record)

    def invitations(self) -> Any:
        if isinstance(self.record, Provider):
            return Invitation.objects.filter(provider=self.record)
        return Invitation.objects.filter(agency=self.record)

    def target(self) -> dict[str, Any]:
        if isinstance(self.record, Provider):
            return {"role": Role.PROVIDER, "provider": self.record}
        return {"role": Role.AGENCY, "agency": self.record}

    def may_manage(self, user: Any) -> bool:
        if isinstance(self.record, Provider):
            return permissions.can_manage_team(user, self.record)
        return permissions.can_manage_agency_team(user, self.record)


def organisation(kind: str, slug: str) -> Organisation | None:
    model = {"provider": Provider, "agency": Agency}.get(kind)
    if model is None:
        return None
    record = model.objects.filter(slug=slug).first()
    return Organisation(kind, record) if record is not None else None


def require_manage(user: Any, org: Organisation) -> None:
    who = "its admins" if org.has_levels else "its staff"
    permissions.require(org.may_manage(user), f"manage the team of {org.slug} ({who} only)")


def members(user: Any, org: Organisation) -> list[Membership]:
    require_manage(user, org)
    return list(org.memberships().select_related("user").order_by("user__username", "pk"))


def pending_invitations(user: Any, org: Organisation) -> list[Invitation]:
    require_manage(user, org)
    return list(
        org.invitations().filter(accepted__isnull=True, revoked=False, expires__gt=timezone.now())
    )


def _member(org: Organisation, membership_id: int) -> Membership:
    membership = (
        org.memberships()
        .select_for_update()
        .select_related("user")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise TeamError("member-unknown", "no such member of this team", status=404)
    return membership


def _is_last_keeper(org: Organisation, membership: Membership) -> bool:
    """Whether removing (or demoting) ``membership`` would leave no one to manage the team."""
    keepers = org.memberships()
    if org.has_levels:
        if membership.level != ProviderLevel.ADMIN:
            return False
        keepers = keepers.filter(level=ProviderLevel.ADMIN)
    return not keepers.exclude(pk=membership.pk).exists()


def _lock(org: Organisation) -> None:
    """Serialise changes to one team (two admins demoting each other at once)."""
    type(org.record).objects.select_for_update().filter(pk=org.record.pk).first()


def change_level(user: Any, org: Organisation, membership_id: int, level: str) -> Membership:
    require_manage(user, org)
    if not org.has_levels:
        raise TeamError("level-not-applicable", "agency staff have no levels", "level")
    if level not in ProviderLevel.values:
        raise TeamError("level-unknown", f"unknown level {level!r}", "level")
    with transaction.atomic():
        _lock(org)
        membership = _member(org, membership_id)
        if membership.level == level:
            return membership
        if level != ProviderLevel.ADMIN and _is_last_keeper(org, membership):
            raise TeamError(
                "last-admin",
                "this is the team's only admin; make someone else admin first",
                "level",
                409,
            )
        before = membership.level
        membership.level = level
        membership.save(update_fields=["level"])
        record_event(
            user,
            "member-level-changed",
            f"{org.kind} {org.slug}: {membership.user.get_username()}",
            details={"from": before, "to": level},
        )
    permissions.forget(user)
    return membership


def remove_member(user: Any, org: Organisation, membership_id: int) -> Membership:
    require_manage(user, org)
    with transaction.atomic():
        _lock(org)
        membership = _member(org, membership_id)
        if _is_last_keeper(org, membership):
            who = "only admin" if org.has_levels else "only member"
            raise TeamError(
                "last-admin", f"this is the team's {who}; it cannot be removed", None, 409
            )
        membership.delete()
        record_event(
            user,
            "member-removed",
            f"{org.kind} {org.slug}: {membership.user.get_username()}",
            details={"level": membership.level} if org.has_levels else {},
        )
    permissions.forget(user)
    return membership


def invitation_days() -> int:
    return int(getattr(settings, "MICROCRED_INVITATION_DAYS", DEFAULT_INVITATION_DAYS))


def clean_email(email: str) -> str:
    """The address an invitation goes to, stripped; refused (field ``email``) when it is none."""
    email = (email or "").strip()
    if not email:
        raise TeamError("email-missing", "give the colleague's e-mail address", "email")
    if len(email) > MAX_EMAIL_LENGTH:
        raise TeamError(
            "email-invalid",
            f"the e-mail address is longer than {MAX_EMAIL_LENGTH} characters",
            "email",
        )
    try:
        validate_email(email)
    except ValidationError:
        raise TeamError("email-invalid", f"{email!r} is not an e-mail address", "email") from None
    return email


def invite(
    user: Any, org: Organisation, email: str, level: str = ProviderLevel.ADMIN
) -> Invitation:
    """Invite ``email`` to the team with ``level`` and mail the link (sent before this returns).

    Refused: an address that is not one (checked here, not only by the page's form, so the
    API refuses it the same way); an address that already belongs to a member; a mail server
    that does not take the message (nothing is kept then, so the admin simply tries again). A
    pending invitation to the same address is replaced: only the newest link works.
    """
    require_manage(user, org)
    email = clean_email(email)
    if not org.has_levels:
        level = ProviderLevel.ADMIN  # unused for agencies; the column needs a value
    elif level not in ProviderLevel.values:
        raise TeamError("level-unknown", f"unknown level {level!r}", "level")
    if org.memberships().filter(user__email__iexact=email).exists():
        raise TeamError(
            "already-member", "someone with this e-mail address is already a member", "email"
        )
    token, digest = new_token()
    invitation = Invitation(
        token_hash=digest,
        email=email,
        level=level,
        invited_by=user if getattr(user, "is_authenticated", False) else None,
        expires=timezone.now() + timedelta(days=invitation_days()),
        **{org.kind: org.record},
    )
    # Sent before anything is saved, outside any transaction: a slow mail server holds no
    # lock, and a refused message leaves nothing behind. The link only works once saved,
    # a moment later.
    try:
        mail.send_invitation(invitation, org.name, token, inviter=user)
    except Exception as error:  # the mail backend's own errors, of many kinds
        raise TeamError(
            "mail-failed",
            f"the invitation could not be sent ({mail.error_text(error)}); try again",
            "email",
            503,
        ) from None
    with transaction.atomic():
        replaced = org.invitations().filter(
            email__iexact=email, accepted__isnull=True, revoked=False
        )
        replaced_ids = list(replaced.values_list("public_id", flat=True))
        replaced.update(revoked=True)
        invitation.save()
        details: dict[str, Any] = {"level": level} if org.has_levels else {}
        if replaced_ids:
            details["replaces"] = replaced_ids
        record_event(
            user,
            "member-invited",
            f"invitation {invitation.public_id} to {org.kind} {org.slug}",
            details=details,
        )
    return invitation


def invitation_state(invitation: Invitation) -> str:
    """Where an invitation stands, for its team's admins: ``pending``, ``accepted``,
    ``withdrawn`` or ``expired`` (in that order: an accepted one stays accepted)."""
    if invitation.accepted is not None:
        return "accepted"
    if invitation.revoked:
        return "withdrawn"
    if invitation.expires <= timezone.now():
        return "expired"
    return "pending"


def revoke_invitation(user: Any, org: Organisation, public_id: str) -> Invitation:
    require_manage(user, org)
    with transaction.atomic():
        invitation = org.invitations().select_for_update().filter(public_id=public_id).first()
        if invitation is None:
            raise TeamError("invitation-unknown", "no such invitation", status=404)
        if invitation.accepted is None and not invitation.revoked:
            invitation.revoked = True
            invitation.save(update_fields=["revoked"])
            record_event(
                user,
                "invitation-revoked",
                f"invitation {invitation.public_id} to {org.kind} {org.slug}",
            )
    return invitation


# --- accepting ------------------------------------------------------------------------------


def find_invitation(token: str) -> tuple[Invitation | None, str]:
    """The invitation of a link and its state: ``live``, ``used``, ``expired``, ``revoked`` or
    ``unknown`` (reading it changes nothing: a mail scanner's visit does not use it up)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None, "unknown"
    invitation = (
        Invitation.objects.select_related("provider", "agency")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        return None, "unknown"
    if invitation.accepted is not None:
        return invitation, "used"
    if invitation.revoked:
        return invitation, "revoked"
    if invitation.expires <= timezone.now():
        return invitation, "expired"
    return invitation, "live"


def invitation_organisation(invitation: Invitation) -> Organisation:
    if invitation.provider is not None:
        return Organisation("provider", invitation.provider)
    assert invitation.agency is not None
    return Organisation("agency", invitation.agency)


REFUSALS = {
    "unknown": "this invitation link is not valid",
    "used": "this invitation has already been accepted",
    "revoked": "this invitation was withdrawn; ask for a new one",
    "expired": "this invitation has expired; ask for a new one",
}


def create_account(username: str, password: str, email: str) -> Any:
    """A new staff account (the caller has validated the username and password)."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise TeamError("username-taken", "this user name is taken; choose another", "username")
    user = user_model(username=username, email=email)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name taken by another request meanwhile
        raise TeamError(
            "username-taken", "this user name is taken; choose another", "username"
        ) from None
    return user


def accept(token: str, account: Any | None, *, username: str = "", password: str = "") -> Any:
    """Accept the invitation of ``token``: for ``account`` (the signed-in staff account), or
    for a new account with ``username`` and ``password``. Returns the account, now a member.

    The link works once: the invitation row is locked and marked accepted in the same
    transaction that makes the membership, so two requests with one link cannot both win.
    """
    with transaction.atomic():
        invitation, state = find_invitation(token)
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            invitation, state = find_invitation(token)
        if invitation is None or state != "live":
            raise TeamError(
                f"invitation-{state}", REFUSALS[state], status=410 if invitation else 404
            )
        org = invitation_organisation(invitation)
        if account is None:
            account = create_account(username, password, invitation.email)
            created = True
        else:
            created = False
        if not account.is_active:
            raise TeamError("account-inactive", "this account is deactivated", status=403)
        membership = org.memberships().filter(user=account).first()
        if membership is None:
            Membership.objects.create(user=account, level=invitation.level, **org.target())
        invitation.accepted = timezone.now()
        invitation.accepted_by = account
        invitation.save(update_fields=["accepted", "accepted_by"])
        details: dict[str, Any] = {"account-created": created}
        if org.has_levels:
            details["level"] = invitation.level if membership is None else membership.level
        if membership is not None:
            details["already-member"] = True
        record_event(
            account,
            "invitation-accepted",
            f"invitation {invitation.public_id} to {org.kind} {org.slug}",
            details=details,
        )
    permissions.forget(account)
    return account
