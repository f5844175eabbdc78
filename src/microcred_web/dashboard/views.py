"""The provider dashboard: thin views over the issuing services.

Views only translate HTTP to :mod:`~microcred_web.issuing.issue`,
:mod:`~microcred_web.issuing.status` and :mod:`~microcred_web.issuing.keys` and back: every
write is checked by the service it calls. The provider's page opens for its staff at any level and
for the operator; what it offers follows the level (``docs/workspace-team.md``): issuing,
status changes and key rotation only to the provider's issuers and admins, never to the
operator. Anyone else gets the 403 page, for GET and POST alike.
Refusals of the services are shown on the page with their HTTP status (409/422), never a 500.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from microcred.credentials.keystore import KeystoreError
from microcred_web.agency_workspace.services import agencies_for
from microcred_web.dashboard import issued as issued_list
from microcred_web.dashboard.forms import IssueForm, RotateForm, StatusForm
from microcred_web.issuing import identity, keys, status
from microcred_web.issuing import issue as issuing
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.models import IssuedCredentialRecord, ProviderKey
from microcred_web.register import permissions
from microcred_web.register.models import Provider, Role, Specification
from microcred_web.tasks.forms import BulkIssueForm

RECENT_LIMIT = 200


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a refused permission renders the 403 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except permissions.PermissionDenied as exc:
            return render(request, "dashboard/forbidden.html", {"reason": str(exc)}, status=403)

    return login_required(wrapper)


def _provider(request: HttpRequest, slug: str) -> Provider:
    provider = get_object_or_404(Provider, slug=slug)
    permissions.require(
        permissions.can_open_provider_workspace(request.user, provider), f"act for {provider.slug}"
    )
    return provider


def _require_issuer(request: HttpRequest, provider: Provider, what: str) -> None:
    """Checked before the form is read, so a refused user learns nothing from its errors."""
    permissions.require(
        permissions.can_issue(request.user, provider),
        f"{what} for {provider.slug}: only its issuers and admins may",
    )


def _published(provider: Provider) -> list[Specification]:
    return list(
        Specification.objects.filter(
            provider=provider, status=Specification.Status.PUBLISHED, has_errors=False
        ).order_by("title_en", "public_id")
    )


def _status_label(record: IssuedCredentialRecord) -> str:
    if record.revoked:
        return _("Revoked")
    if record.suspended:
        return _("Suspended")
    return _("Active")


def _provider_page(
    request: HttpRequest,
    provider: Provider,
    *,
    issue_form: IssueForm | None = None,
    status_form: tuple[str, StatusForm] | None = None,
    rotate_form: RotateForm | None = None,
    error: str = "",
    status_code: int = 200,
) -> HttpResponse:
    user = request.user
    may_issue = permissions.can_issue(user, provider)
    specifications = _published(provider) if may_issue else []
    listing, page_error = None, ""
    rows = []
    if permissions.can_view_credentials(user, provider):
        query, page = request.GET.get("q", ""), request.GET.get("page")
        try:
            listing = issued_list.search(user, provider, query, page)
        except issued_list.PageNotFound as exc:
            page_error = exc.message
            status_code = max(status_code, exc.status)
            listing = issued_list.search(user, provider, query, str(exc.last))
        for record in listing.records:
            actions = issued_list.applicable_actions(record) if may_issue else []
            form_id = str(record.public_id)
            if status_form is not None and status_form[0] == form_id:
                form = status_form[1]
            else:
                form = StatusForm(credential_id=form_id, actions=actions)
            rows.append(
                {
                    "record": record,
                    "status": _status_label(record),
                    "form": form if actions else None,
                }
            )
    issued = None
    try:
        issued_id = uuid.UUID(request.GET.get("issued", ""))
    except ValueError:
        pass
    else:
        if may_issue:
            issued = IssuedCredentialRecord.objects.filter(
                provider=provider, public_id=issued_id
            ).first()
    context = {
        "provider": provider,
        "did": identity.did_for_provider(provider),
        "keys": list(ProviderKey.objects.filter(provider=provider).order_by("created", "pk")),
        "specifications": specifications,
        "issue_form": issue_form or IssueForm(specifications=specifications),
        "rotate_form": rotate_form or RotateForm(),
        "bulk_form": BulkIssueForm(specifications=specifications),
        "rows": rows,
        "listing": listing,
        "page_error": page_error,
        "issued": issued,
        "error": error,
        "may_issue": may_issue,
        "may_rotate": permissions.can_rotate_key(user, provider),
        "may_manage_team": permissions.can_manage_team(user, provider),
        "may_edit_specifications": permissions.can_edit_specifications(user, provider),
        "level": permissions.provider_level(user, provider),
        "operator_only": permissions.is_operator(user)
        and not permissions.is_provider_staff(user, provider),
        "search": {"q": request.GET.get("q", ""), "page": request.GET.get("page", "")},
    }
    return render(request, "dashboard/provider.html", context, status=status_code)


def _back(provider: Provider, **query: str) -> HttpResponseRedirect:
    url = reverse("dashboard:provider", args=[provider.slug])
    query = {key: value for key, value in query.items() if value}
    if query:
        url += "?" + urlencode(query)
    return HttpResponseRedirect(url)


def _listing_query(request: HttpRequest) -> dict[str, str]:
    """Where the list was (search and page), carried by the row forms, to return there."""
    return {
        "q": str(request.POST.get("q", ""))[: issued_list.MAX_QUERY_LENGTH],
        "page": str(request.POST.get("page", ""))[:10],
    }


@require_GET
@_guarded
def home(request: HttpRequest) -> HttpResponse:
    """The providers the signed-in user may act for (an operator: all of them, to look at)."""
    if permissions.is_operator(request.user):
        providers = Provider.objects.all()
    else:
        providers = Provider.objects.filter(
            membership__user=request.user, membership__role=Role.PROVIDER
        ).distinct()
    levels = permissions.provider_levels(request.user)
    return render(
        request,
        "dashboard/home.html",
        {
            "providers": [
                {"provider": p, "level": levels.get(p.pk), "admin": levels.get(p.pk) == "admin"}
                for p in providers.order_by("slug")
            ],
            "agencies": agencies_for(request.user),
            "operator": permissions.is_operator(request.user),
            "may_hold_tokens": permissions.can_hold_api_tokens(request.user),
        },
    )


@require_GET
@_guarded
def provider(request: HttpRequest, slug: str) -> HttpResponse:
    return _provider_page(request, _provider(request, slug))


@require_POST
@_guarded
def issue(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(request, slug)
    _require_issuer(request, provider, "issue credentials")
    form = IssueForm(request.POST, specifications=_published(provider))
    if not form.is_valid():
        return _provider_page(request, provider, issue_form=form, status_code=422)
    specification = get_object_or_404(
        Specification, provider=provider, public_id=form.cleaned_data["specification"]
    )
    data = form.cleaned_data
    learner = issuing.Learner(
        data["identifier"],
        data["name"] or None,
        scheme=data["scheme"] or None,
        given_name=data["given_name"] or None,
        family_name=data["family_name"] or None,
        date_of_birth=data["date_of_birth"],
        grade=data["grade"] or None,
        achieved_on=data["achieved_on"],
    )
    try:
        outcome = issuing.issue_credential(
            request.user, specification, learner, form.cleaned_data["cryptosuite"]
        )
    except IssuingError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)  # shown at the field, named by its label
        return _provider_page(
            request, provider, issue_form=form, error=exc.message, status_code=exc.status
        )
    except KeystoreError as exc:
        return _provider_page(
            request,
            provider,
            issue_form=form,
            error=_("Signing is unavailable: %(problem)s") % {"problem": exc},
            status_code=503,
        )
    if outcome.created:
        messages.success(
            request, _("Credential urn:uuid:%(id)s issued.") % {"id": outcome.record.public_id}
        )
        _delivery_message(request, outcome.record)
    else:
        messages.info(
            request,
            _("This learner already has this credential (urn:uuid:%(id)s).")
            % {"id": outcome.record.public_id},
        )
    return _back(provider, issued=str(outcome.record.public_id))


def _delivery_message(request: HttpRequest, record: IssuedCredentialRecord) -> None:
    """Whether the learner's claim message went out (wallet.delivery; the address is not
    shown: it is not kept)."""
    from microcred_web.wallet.delivery import state_of

    delivery = state_of(record)
    if delivery is not None and delivery.state == "failed":
        messages.warning(
            request,
            _(
                "The claim message to the learner could not be sent (%(error)s). "
                "Issue to the same address again to send it once the mail server is back."
            )
            % {"error": delivery.error},
        )
    elif delivery is not None and delivery.state == "sent":
        messages.info(request, _("The learner was sent a claim message with a link to the wallet."))


def _record(provider: Provider, credential_id: uuid.UUID) -> IssuedCredentialRecord:
    return get_object_or_404(IssuedCredentialRecord, provider=provider, public_id=credential_id)


@require_GET
@_guarded
def confirm_revoke(request: HttpRequest, slug: str, credential_id: uuid.UUID) -> HttpResponse:
    """The confirmation before revoking (a page of its own: it works without JavaScript)."""
    provider = _provider(request, slug)
    _require_issuer(request, provider, "revoke credentials")
    record = _record(provider, credential_id)
    if "revoke" not in issued_list.applicable_actions(record):
        return _back(provider)
    form = StatusForm(
        initial={"action": "revoke", "reason": request.GET.get("reason", "")[:2000]},
        credential_id=str(credential_id),
        actions=["revoke"],
    )
    return _confirm_page(request, provider, record, form)


def _confirm_page(
    request: HttpRequest,
    provider: Provider,
    record: IssuedCredentialRecord,
    form: StatusForm,
    status_code: int = 200,
    listing: dict[str, str] | None = None,
) -> HttpResponse:
    context = {
        "provider": provider,
        "record": record,
        "status": _status_label(record),
        "form": form,
        "listing": listing or {"q": request.GET.get("q", ""), "page": request.GET.get("page", "")},
    }
    return render(request, "dashboard/confirm_revoke.html", context, status=status_code)


@require_POST
@_guarded
def change_status(request: HttpRequest, slug: str, credential_id: uuid.UUID) -> HttpResponse:
    provider = _provider(request, slug)
    _require_issuer(request, provider, "change the status of credentials")
    record = _record(provider, credential_id)
    actions = issued_list.applicable_actions(record)
    # Every action is read, not only those offered: one that does not apply (a hand-made
    # POST, a stale page) gets the service's explanation (409), not a bare "invalid choice".
    form = StatusForm(request.POST, credential_id=str(credential_id))
    pair = (str(credential_id), form)
    listing = _listing_query(request)
    if not form.is_valid():
        if request.POST.get("confirm") == "yes":
            return _confirm_page(request, provider, record, form, 422, listing)
        return _provider_page(request, provider, status_form=pair, status_code=422)
    action = form.cleaned_data["action"]
    if action == "revoke" and "revoke" in actions and request.POST.get("confirm") != "yes":
        # Revocation is final: ask first, keeping the reason typed.
        return _confirm_page(request, provider, record, form, listing=listing)
    try:
        status.set_status(request.user, record, action, form.cleaned_data["reason"])
    except IssuingError as exc:
        return _provider_page(
            request,
            provider,
            status_form=pair,
            error=_("Credential urn:uuid:%(id)s: %(problem)s.")
            % {"id": credential_id, "problem": exc.message},
            status_code=exc.status,
        )
    done = {
        "revoke": _("Credential urn:uuid:%(id)s revoked."),
        "suspend": _("Credential urn:uuid:%(id)s suspended."),
        "reinstate": _("Credential urn:uuid:%(id)s reinstated."),
    }[action]
    messages.success(request, done % {"id": credential_id})
    return _back(provider, **listing)


@require_POST
@_guarded
def rotate(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(request, slug)
    permissions.require(
        permissions.can_rotate_key(request.user, provider),
        f"rotate the signing key of {provider.slug}: only its issuers and admins may",
    )
    form = RotateForm(request.POST)
    if not form.is_valid():
        return _provider_page(request, provider, rotate_form=form, status_code=422)
    try:
        new = keys.rotate_key(request.user, provider, form.cleaned_data["reason"])
    except KeystoreError as exc:
        return _provider_page(
            request,
            provider,
            rotate_form=form,
            error=_("Signing is unavailable: %(problem)s") % {"problem": exc},
            status_code=503,
        )
    messages.success(
        request, _("Signing key rotated: %(key)s is now active.") % {"key": new.key_id}
    )
    return _back(provider)


@require_GET
@_guarded
def download(request: HttpRequest, credential_id: uuid.UUID) -> HttpResponse:
    """The learner's signed copy as a JSON attachment (the provider's staff only)."""
    record = (
        IssuedCredentialRecord.objects.select_related("provider")
        .filter(public_id=credential_id)
        .first()
    )
    if record is None:
        raise Http404("no such credential")
    permissions.require(
        permissions.can_view_credentials(request.user, record.provider),
        f"read credentials of {record.provider.slug}",
    )
    body = json.dumps(record.credential, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/vc+ld+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credential-{credential_id}.json"'
    response["Cache-Control"] = "no-store"
    return response
