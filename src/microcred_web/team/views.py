"""Team pages: members and invitations of a provider or an agency, accepting an invitation,
one's own API tokens. Thin views over :mod:`~microcred_web.team.services` and
:mod:`~microcred_web.team.tokens`, which check every permission; a refusal is the 403 page,
a refused change is shown next to its field with its 4xx status.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred_web.register import permissions
from microcred_web.security.limits import rate_limit
from microcred_web.team import services, tokens
from microcred_web.team.forms import InviteForm, LevelForm, NewAccountForm, TokenForm
from microcred_web.team.services import Organisation, TeamError

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a refused permission renders the 403 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except permissions.PermissionDenied as exc:
            return render(request, "team/forbidden.html", {"reason": str(exc)}, status=403)

    return login_required(wrapper)


def _org(kind: str, slug: str) -> Organisation:
    org = services.organisation(kind, slug)
    if org is None:
        raise Http404(f"no {kind} {slug}")
    return org


def _team_url(org: Organisation) -> str:
    return reverse(f"team:{org.kind}", args=[org.slug])


def _team_page(
    request: HttpRequest,
    org: Organisation,
    *,
    invite_form: InviteForm | None = None,
    level_form: tuple[int, LevelForm] | None = None,
    error: str = "",
    status_code: int = 200,
) -> HttpResponse:
    rows = []
    for membership in services.members(request.user, org):
        if level_form is not None and level_form[0] == membership.pk:
            form = level_form[1]
        else:
            form = LevelForm(initial={"level": membership.level}, member_id=membership.pk)
        rows.append({"membership": membership, "form": form, "me": membership.user == request.user})
    context = {
        "org": org,
        "rows": rows,
        "invitations": services.pending_invitations(request.user, org),
        "invite_form": invite_form or InviteForm(with_levels=org.has_levels),
        "error": error,
        "days": services.invitation_days(),
    }
    return render(request, "team/team.html", context, status=status_code)


@require_GET
@_guarded
def team(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    return _team_page(request, _org(kind, slug))


def _account(request: HttpRequest) -> str:
    return f"user-{request.user.pk}"


@require_POST
@_guarded
@rate_limit("team-invite", key=_account)
def invite(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    org = _org(kind, slug)
    services.require_manage(request.user, org)
    form = InviteForm(request.POST, with_levels=org.has_levels)
    if not form.is_valid():
        return _team_page(request, org, invite_form=form, status_code=422)
    try:
        services.invite(
            request.user, org, form.cleaned_data["email"], form.cleaned_data.get("level", "admin")
        )
    except TeamError as exc:
        form.add_error("email" if exc.field in (None, "email") else exc.field, exc.message)
        return _team_page(request, org, invite_form=form, status_code=exc.status)
    messages.success(
        request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return HttpResponseRedirect(_team_url(org))


@require_POST
@_guarded
def change_level(request: HttpRequest, kind: str, slug: str, member_id: int) -> HttpResponse:
    org = _org(kind, slug)
    services.require_manage(request.user, org)
    form = LevelForm(request.POST, member_id=member_id)
    if not form.is_valid():
        return _team_page(request, org, level_form=(member_id, form), status_code=422)
    try:
        membership = services.change_level(request.user, org, member_id, form.cleaned_data["level"])
    except TeamError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        form.add_error("level", exc.message)
        return _team_page(
            request, org, level_form=(member_id, form), error=exc.message, status_code=exc.status
        )
    messages.success(
        request,
        _("%(user)s is now %(level)s.")
        % {"user": membership.user.get_username(), "level": membership.get_level_display()},
    )
    if not org.may_manage(request.user):  # demoted oneself
        return HttpResponseRedirect(reverse("dashboard:home"))
    return HttpResponseRedirect(_team_url(org))


@require_POST
@_guarded
def remove(request: HttpRequest, kind: str, slug: str, member_id: int) -> HttpResponse:
    org = _org(kind, slug)
    try:
        membership = services.remove_member(request.user, org, member_id)
    except TeamError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        return _team_page(request, org, error=exc.message, status_code=exc.status)
    messages.success(
        request, _("%(user)s was removed from the team.") % {"user": membership.user.get_username()}
    )
    if not org.may_manage(request.user):  # removed oneself
        return HttpResponseRedirect(reverse("dashboard:home"))
    return HttpResponseRedirect(_team_url(org))


@require_POST
@_guarded
def revoke_invitation(request: HttpRequest, kind: str, slug: str, public_id: str) -> HttpResponse:
    org = _org(kind, slug)
    try:
        services.revoke_invitation(request.user, org, public_id)
    except TeamError as exc:
        raise Http404(exc.message) from None
    messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    return HttpResponseRedirect(_team_url(org))


# --- accepting an invitation (no sign-in needed: the link is the proof) ----------------------


def _landing(org: Organisation) -> str:
    if org.kind == "provider":
        return reverse("dashboard:provider", args=[org.slug])
    return reverse("team:agency", args=[org.slug])


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("team-invitation-use", methods=("POST",))
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's page: join with the signed-in account, or make a new account with a
    password. A GET changes nothing (a mail scanner following the link does not use it)."""
    found, state = services.find_invitation(token)
    if found is None or state != "live":
        context = {"state": state, "reason": services.REFUSALS[state]}
        return render(
            request, "team/invitation_gone.html", context, status=404 if found is None else 410
        )
    org = services.invitation_organisation(found)
    user = request.user if request.user.is_authenticated else None
    learner = user is not None and hasattr(user, "learner")
    form = NewAccountForm(email=found.email)
    status_code = 200
    error = ""
    if request.method == "POST" and not learner:
        if user is None:
            form = NewAccountForm(request.POST, email=found.email)
        if user is not None or form.is_valid():
            try:
                account = services.accept(
                    token,
                    user,
                    username=form.cleaned_data.get("username", "") if user is None else "",
                    password=form.cleaned_data.get("password1", "") if user is None else "",
                )
            except TeamError as exc:
                if exc.field is not None and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                error, status_code = exc.message, exc.status
            else:
                if user is None:
                    login(request, account, backend=BACKEND)
                messages.success(
                    request,
                    _("Welcome to the team of %(organisation)s.") % {"organisation": org.name},
                )
                return HttpResponseRedirect(_landing(org))
        else:
            status_code = 422
    elif request.method == "POST":
        status_code = 403  # a wallet (learner) account cannot join a team
    context = {
        "invitation": found,
        "org": org,
        "form": form,
        "account": user,
        "learner": learner,
        "error": error,
        "login_url": reverse("login") + "?next=" + request.path,
    }
    return render(request, "team/invitation.html", context, status=status_code)


# --- API tokens -------------------------------------------------------------------------------


def _tokens_page(
    request: HttpRequest,
    *,
    form: TokenForm | None = None,
    new: tokens.NewToken | None = None,
    status_code: int = 200,
) -> HttpResponse:
    context = {
        "tokens": tokens.tokens_of(request.user),
        "form": form or TokenForm(),
        "new": new,
    }
    response = render(request, "team/tokens.html", context, status=status_code)
    response["Cache-Control"] = "no-store"  # the new token is on this page, once
    return response


@require_GET
@_guarded
def token_list(request: HttpRequest) -> HttpResponse:
    return _tokens_page(request)


@require_POST
@_guarded
def token_create(request: HttpRequest) -> HttpResponse:
    tokens.tokens_of(request.user)  # the permission, before reading the form
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form=form, status_code=422)
    try:
        new = tokens.create(request.user, form.cleaned_data["name"])
    except TeamError as exc:
        form.add_error("name", exc.message)
        return _tokens_page(request, form=form, status_code=exc.status)
    # Answered here, not redirected: the token is shown on this response and never again.
    return _tokens_page(request, new=new)


@require_POST
@_guarded
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        record = tokens.revoke(request.user, token_id)
    except TeamError as exc:
        raise Http404(exc.message) from None
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": record.prefix})
    return HttpResponseRedirect(reverse("team:tokens"))
