"""Requests to join the register: sent by anyone through the public form, decided by the
operator.

Approving creates the provider through the register's own service
(:func:`microcred_web.register.records.save_provider`, so its validation holds), and makes the
contact the provider's staff: an account with that e-mail address (an existing staff account
with the address is reused), created **without a usable password**, a provider membership,
and a mail with a one-time set-password link made by Django's password-reset machinery
(:func:`~microcred_web.operator.mail.set_password_path`). Nobody ever chooses a password for
someone else, and no public password-reset form exists (``docs/security.md``).

Rejecting needs a reason, which the contact is sent. Every step is audited; the audit row
names the request by its ``public_id``, never the contact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from microcred_web.issuing.audit import record_event
from microcred_web.operator import mail
from microcred_web.operator.guard import require_operator
from microcred_web.operator.models import MergedProvider, RegistrationRequest
from microcred_web.register import records
from microcred_web.register.models import Membership, Provider, Role

#: The request fields that become the provider's record, by the register's field name.
PROVIDER_FIELDS = ("slug", "kind", "country", "city", "website", "national_id", "erasmus_code")


class RequestRefused(Exception):
    """The request cannot be decided this way; ``field`` names the form field at fault,
    ``code`` is the API's stable code, ``conflict`` says the request's state is in the way."""

    def __init__(
        self, message: str, field: str = "", code: str = "refused", *, conflict: bool = False
    ) -> None:
        super().__init__(message)
        self.message, self.field, self.code, self.conflict = message, field, code, conflict


@dataclass
class Decision:
    request: RegistrationRequest
    account: Any = None
    #: "" when the mail went out, else the kind of error (the decision stands).
    mail_error: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)


def provider_data(values: dict[str, Any]) -> dict[str, Any]:
    """The register's provider input (``ProviderIn``) from a request's fields."""
    data: dict[str, Any] = {"legal_name": {values["name_language"]: values["legal_name"]}}
    for name in PROVIDER_FIELDS:
        if values.get(name):
            data[name] = values[name]
    return data


def check(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The register's findings on a request's provider fields, plus a slug already taken."""
    _parsed, findings = records.parse_input(records.ProviderIn, provider_data(values))
    slug = values.get("slug") or ""
    if slug and (
        Provider.objects.filter(slug=slug).exists()
        or MergedProvider.objects.filter(slug=slug).exists()
        or RegistrationRequest.objects.filter(
            slug=slug, status=RegistrationRequest.Status.PENDING
        ).exists()
    ):
        findings.append(
            records.finding(
                "duplicate-value", "slug", f"the short name {slug!r} is taken; choose another"
            )
        )
    return findings


def read(data: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A request sent as data (the API's JSON body), read by the public form's own fields and
    then :func:`check`ed: the cleaned values, or None and the findings naming each field.

    The same two steps the form's page takes, so both doors accept and refuse the same
    requests (and reveal no more: a taken short name is the one fact about other records)."""
    from microcred_web.operator.forms import RegistrationForm  # forms import the vocabularies

    form = RegistrationForm(data)
    if not form.is_valid():
        findings = [
            records.finding(
                "missing-element" if error.code == "required" else "invalid-value",
                name,
                message,
            )
            for name, errors in form.errors.as_data().items()
            for error in errors
            for message in error.messages
        ]
        return None, findings
    findings = check(form.cleaned_data)
    return (None if findings else dict(form.cleaned_data)), findings


def submit(values: dict[str, Any]) -> RegistrationRequest:
    """Record a request from the public form (``values`` already checked by :func:`check`)."""
    with transaction.atomic():
        request = RegistrationRequest.objects.create(**values)
        record_event(
            None,
            "registration-requested",
            f"registration {request.public_id}",
            details={"slug": request.slug, "kind": request.kind, "country": request.country},
        )
    return request


def pending() -> Any:
    return RegistrationRequest.objects.filter(status=RegistrationRequest.Status.PENDING)


def requests(user: Any, state: str = "") -> Any:
    """The requests in ``state`` (pending, approved, rejected; "" for all), newest first."""
    require_operator(user, "read registration requests")
    rows = RegistrationRequest.objects.select_related("decided_by", "provider")
    return rows.filter(status=state) if state else rows


def get(user: Any, public_id: str) -> RegistrationRequest | None:
    require_operator(user, "read registration requests")
    return RegistrationRequest.objects.filter(public_id=public_id).first()


def _locked_pending(public_id: str) -> RegistrationRequest:
    request = RegistrationRequest.objects.select_for_update().filter(public_id=public_id).first()
    if request is None:
        raise RequestRefused("no such registration request", code="not-found")
    if request.status != RegistrationRequest.Status.PENDING:
        raise RequestRefused(
            f"the request was already {request.get_status_display().lower()}",
            code="already-decided",
            conflict=True,
        )
    return request


def _staff_account(email: str) -> tuple[Any, bool]:
    """The staff account for ``email``: an existing one (not a learner's), or a new one with
    no usable password, named by the address (made unique if the name is taken)."""
    users = get_user_model()
    existing = users.objects.filter(email__iexact=email, learner__isnull=True).first()
    if existing is not None:
        return existing, False
    name, n = email[:150], 1
    while users.objects.filter(username=name).exists():
        n += 1
        name = f"{email[:140]}-{n}"
    account = users(username=name, email=email)
    account.set_unusable_password()
    account.save()
    return account, True


def approve(user: Any, public_id: str, slug: str = "") -> Decision:
    """Create the provider and its first staff account, and mail the contact their link.

    ``slug`` overrides the short name asked for (the operator's choice when it was taken).
    Returns the register's findings, with nothing written, when the provider is refused.
    """
    require_operator(user, "approve registration requests")
    with transaction.atomic():
        request = _locked_pending(public_id)
        if slug:
            request.slug = slug
        if Provider.objects.filter(slug=request.slug).exists():
            taken = f"a provider {request.slug!r} exists already; choose another short name"
            return Decision(request, findings=[records.finding("duplicate-value", "slug", taken)])
        values = {name: getattr(request, name) for name in (*PROVIDER_FIELDS, "legal_name")}
        values["name_language"] = request.name_language
        outcome = records.save_provider(user, provider_data(values))
        if outcome.outcome != "created":
            findings = outcome.findings or [
                records.finding(
                    "duplicate-value", "slug", f"a provider {request.slug!r} exists already"
                )
            ]
            transaction.set_rollback(True)
            return Decision(request, findings=findings)
        provider = outcome.record
        account, created = _staff_account(request.contact_email)
        if created:
            record_event(user, "account-created", f"account {account.get_username()}")
        Membership.objects.create(user=account, role=Role.PROVIDER, provider=provider)
        record_event(
            user,
            "membership-granted",
            f"account {account.get_username()}",
            details={"role": Role.PROVIDER, "provider": provider.slug},
        )
        request.status = RegistrationRequest.Status.APPROVED
        request.decided_by, request.decided_at = user, timezone.now()
        request.provider = provider
        request.save()
        record_event(
            user,
            "registration-approved",
            f"registration {request.public_id}",
            details={"provider": provider.slug, "account_created": created},
        )
    error = send_welcome(request, account, provider, new_account=created)
    return Decision(request, account=account, mail_error=error)


def send_welcome(
    request: RegistrationRequest, account: Any, provider: Provider, *, new_account: bool
) -> str:
    context = {
        "request": request,
        "provider": provider,
        "username": account.get_username(),
        "new_account": new_account and not account.has_usable_password(),
        "set_password_url": mail.site_url(mail.set_password_path(account)),
        "sign_in_url": mail.site_url("/accounts/login/"),
    }
    return mail.send("approved", request.contact_email, context)


def reject(user: Any, public_id: str, reason: str) -> Decision:
    """Refuse the request with a reason, which the contact is sent."""
    require_operator(user, "reject registration requests")
    reason = reason.strip()
    if not reason:
        raise RequestRefused(
            "say why the request is rejected: the contact is sent it", "reason", "reason-required"
        )
    with transaction.atomic():
        request = _locked_pending(public_id)
        request.status = RegistrationRequest.Status.REJECTED
        request.reason = reason
        request.decided_by, request.decided_at = user, timezone.now()
        request.save()
        record_event(user, "registration-rejected", f"registration {request.public_id}", reason)
    error = mail.send("rejected", request.contact_email, {"request": request})
    return Decision(request, mail_error=error)
