"""The operator's pages, the public registration form, and records' history pages.

Thin views: each calls a service of this app (or the register's), which checks the right to
do it (:func:`~microcred_web.operator.guard.require_operator` or the register's permissions);
a refusal renders the 403 page, bad input the form again with the message at the field and
everything typed kept (422), never a 500.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred_web.issuing.errors import IssuingError
from microcred_web.operator import accounts, auditlog, emergency, registration
from microcred_web.operator.forms import (
    AgencyEditForm,
    ApproveForm,
    AuditFilterForm,
    DeactivateForm,
    EmergencyForm,
    MembershipForm,
    MergeForm,
    ProviderEditForm,
    RegistrationForm,
    RejectForm,
    SearchForm,
    add_findings,
)
from microcred_web.operator.guard import require_operator
from microcred_web.operator.models import RegistrationRequest
from microcred_web.register import permissions, records
from microcred_web.register.models import Agency, Provider, Specification
from microcred_web.security.limits import rate_limit

#: A findings path of the register -> the form field it is about.
PROVIDER_FIELDS = {"legal_name": "legal_name", "display_name": "legal_name"}
AGENCY_FIELDS = {"name": "name"}


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a refused permission renders the 403 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except permissions.PermissionDenied as exc:
            return render(request, "operator/forbidden.html", {"reason": str(exc)}, status=403)

    return login_required(wrapper)


def _page(request: HttpRequest, rows: Any, size: int = auditlog.PAGE_SIZE) -> Any:
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- public: register your organisation ----------------------------------------------------


@require_http_methods(["GET", "POST"])
@rate_limit("register-organisation", methods=("POST",))
def register_organisation(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            add_findings(form, registration.check(form.cleaned_data), PROVIDER_FIELDS)
        if form.is_valid() and not form.errors:
            sent = registration.submit(form.cleaned_data)
            return HttpResponseRedirect(
                reverse("operator:register-sent") + f"?request={sent.public_id}"
            )
        return render(request, "operator/register.html", {"form": form}, status=422)
    return render(request, "operator/register.html", {"form": form})


@require_GET
def register_sent(request: HttpRequest) -> HttpResponse:
    public_id = request.GET.get("request", "")[:16]
    return render(request, "operator/register_sent.html", {"public_id": public_id})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link mailed to a new provider's contact: Django's password-reset confirmation."""

    template_name = "operator/set_password.html"
    success_url = reverse_lazy("operator:password-set")


@require_GET
def password_set(request: HttpRequest) -> HttpResponse:
    return render(request, "operator/password_set.html")


# --- operator: home and registration requests ---------------------------------------------


@require_GET
@guarded
def home(request: HttpRequest) -> HttpResponse:
    require_operator(request.user, "open the operator's pages")
    return render(
        request,
        "operator/home.html",
        {
            "pending": registration.pending().count(),
            "providers": Provider.objects.count(),
            "agencies": Agency.objects.count(),
        },
    )


@require_GET
@guarded
def requests(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", RegistrationRequest.Status.PENDING)
    if state not in RegistrationRequest.Status.values:
        state = RegistrationRequest.Status.PENDING
    rows = registration.requests(request.user, state)
    counts = dict(
        RegistrationRequest.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    return render(
        request,
        "operator/requests.html",
        {
            "page": _page(request, rows, 25),
            "state": state,
            "states": [
                (v, label, counts.get(v, 0)) for v, label in RegistrationRequest.Status.choices
            ],
        },
    )


def _request_page(
    request: HttpRequest,
    item: RegistrationRequest,
    *,
    approve_form: ApproveForm | None = None,
    reject_form: RejectForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "item": item,
        "approve_form": approve_form or ApproveForm(initial={"slug": item.slug}),
        "reject_form": reject_form or RejectForm(),
        "error": error,
    }
    return render(request, "operator/request.html", context, status=status)


@require_GET
@guarded
def request_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    item = registration.get(request.user, public_id)
    if item is None:
        raise Http404("no such request")
    return _request_page(request, item)


@require_POST
@guarded
def request_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    item = registration.get(request.user, public_id)
    if item is None:
        raise Http404("no such request")
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _request_page(request, item, approve_form=form, status=422)
    try:
        decision = registration.approve(request.user, public_id, form.cleaned_data["slug"])
    except registration.RequestRefused as exc:
        return _request_page(request, item, approve_form=form, error=exc.message, status=409)
    if decision.findings:
        add_findings(form, decision.findings, {})
        return _request_page(request, item, approve_form=form, status=422)
    provider = decision.request.provider
    assert provider is not None
    messages.success(
        request,
        _("Approved: %(provider)s is in the register; %(account)s is its staff.")
        % {"provider": provider.name(), "account": decision.account.get_username()},
    )
    _mail_message(request, decision.mail_error)
    return HttpResponseRedirect(reverse("operator:request", args=[public_id]))


@require_POST
@guarded
def request_reject(request: HttpRequest, public_id: str) -> HttpResponse:
    item = registration.get(request.user, public_id)
    if item is None:
        raise Http404("no such request")
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _request_page(request, item, reject_form=form, status=422)
    try:
        decision = registration.reject(request.user, public_id, form.cleaned_data["reason"])
    except registration.RequestRefused as exc:
        if exc.field:
            form.add_error(exc.field, exc.message)
            return _request_page(request, item, reject_form=form, status=422)
        return _request_page(request, item, reject_form=form, error=exc.message, status=409)
    messages.success(request, _("Rejected; the contact was told why."))
    _mail_message(request, decision.mail_error)
    return HttpResponseRedirect(reverse("operator:request", args=[public_id]))


def _mail_message(request: HttpRequest, error: str) -> None:
    if error:
        messages.warning(
            request,
            _("The mail to the contact could not be sent (%(error)s); the decision stands.")
            % {"error": error},
        )
    else:
        messages.info(request, _("The contact was sent a mail."))


# --- operator: providers and agencies ------------------------------------------------------


@require_GET
@guarded
def provider_list(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    rows = accounts.providers(request.user, query)
    return render(
        request,
        "operator/providers.html",
        {"search": search, "page": _page(request, rows, 50), "query": _query_without_page(request)},
    )


def _provider_initial(provider: Provider) -> dict[str, Any]:
    initial = {
        name: getattr(provider, name)
        for name in ProviderEditForm.base_fields
        if name != "legal_name"
    }
    initial["legal_name"] = provider.legal_name.get("en") or provider.name()
    return initial


def _provider_page(
    request: HttpRequest,
    provider: Provider,
    form: ProviderEditForm | None = None,
    merge_form: MergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    history = auditlog.provider_history(request.user, provider)
    context = {
        "provider": provider,
        "form": form or ProviderEditForm(initial=_provider_initial(provider)),
        "merge_form": merge_form or MergeForm(),
        "history": history[:20],
        "history_count": history.count(),
        "staff": provider.membership_set.select_related("user").order_by("user__username"),
    }
    return render(request, "operator/provider.html", context, status=status)


@require_http_methods(["GET", "POST"])
@guarded
def provider_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require_operator(request.user, "edit providers from the operator's pages")
    provider = get_object_or_404(Provider, slug=slug)
    if request.method == "GET":
        return _provider_page(request, provider)
    form = ProviderEditForm(request.POST)
    if not form.is_valid():
        return _provider_page(request, provider, form, status=422)
    data = dict(form.cleaned_data)
    data["legal_name"] = {**provider.legal_name, "en": data["legal_name"]}
    outcome = records.save_provider(request.user, data, instance=provider)
    if not outcome.ok:
        add_findings(form, outcome.findings, PROVIDER_FIELDS)
        return _provider_page(request, provider, form, status=422)
    saved = outcome.record
    assert isinstance(saved, Provider)
    if outcome.outcome == "updated":
        messages.success(request, _("The provider's record was saved."))
    else:
        messages.info(request, _("Nothing changed."))
    return HttpResponseRedirect(reverse("operator:provider", args=[saved.slug]))


@require_POST
@guarded
def provider_merge(request: HttpRequest, slug: str) -> HttpResponse:
    from microcred_web.operator import merging

    require_operator(request.user, "merge providers")
    kept = get_object_or_404(Provider, slug=slug)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _provider_page(request, kept, merge_form=form, status=422)
    try:
        moved = merging.merge(
            request.user,
            kept,
            form.cleaned_data["duplicate"].strip(),
            form.cleaned_data["reason"],
        )
    except merging.MergeRefused as exc:
        form.add_error(exc.field or None, exc.message)
        return _provider_page(request, kept, merge_form=form, status=422)
    messages.success(
        request,
        _("Merged: %(spec)s specifications, %(qa)s QA results and %(staff)s memberships moved.")
        % {
            "spec": moved["specifications"],
            "qa": moved["qa_results"],
            "staff": moved["memberships"],
        },
    )
    return HttpResponseRedirect(reverse("operator:provider", args=[kept.slug]))


@require_GET
@guarded
def agency_list(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    rows = accounts.agencies(request.user, query)
    return render(
        request,
        "operator/agencies.html",
        {"search": search, "page": _page(request, rows, 50), "query": _query_without_page(request)},
    )


def _agency_page(
    request: HttpRequest, agency: Agency, form: AgencyEditForm | None = None, status: int = 200
) -> HttpResponse:
    history = auditlog.agency_history(request.user, agency)
    initial = {
        "slug": agency.slug,
        "name": agency.name.get("en") or agency.display(),
        "acronym": agency.acronym,
        "countries": " ".join(agency.countries),
        "website": agency.website,
        "eqar_registered_since": agency.eqar_registered_since,
        "eqar_registered_until": agency.eqar_registered_until,
    }
    context = {
        "agency": agency,
        "form": form or AgencyEditForm(initial=initial),
        "history": history[:20],
        "history_count": history.count(),
    }
    return render(request, "operator/agency.html", context, status=status)


@require_http_methods(["GET", "POST"])
@guarded
def agency_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require_operator(request.user, "edit agencies from the operator's pages")
    agency = get_object_or_404(Agency, slug=slug)
    if request.method == "GET":
        return _agency_page(request, agency)
    form = AgencyEditForm(request.POST)
    if not form.is_valid():
        return _agency_page(request, agency, form, status=422)
    data = dict(form.cleaned_data)
    data["name"] = {**agency.name, "en": data["name"]}
    data["countries"] = [c for c in data["countries"].replace(",", " ").split() if c]
    outcome = records.save_agency(request.user, data, instance=agency)
    if not outcome.ok:
        add_findings(form, outcome.findings, AGENCY_FIELDS)
        return _agency_page(request, agency, form, status=422)
    saved = outcome.record
    assert isinstance(saved, Agency)
    messages.success(request, _("The agency's record was saved."))
    return HttpResponseRedirect(reverse("operator:agency", args=[saved.slug]))


# --- operator: accounts and roles ------------------------------------------------------------


@require_GET
@guarded
def account_list(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    rows = accounts.staff_accounts(request.user, query)
    return render(
        request,
        "operator/accounts.html",
        {"search": search, "page": _page(request, rows, 50), "query": _query_without_page(request)},
    )


def _account_page(
    request: HttpRequest,
    account: Any,
    *,
    grant_form: MembershipForm | None = None,
    deactivate_form: DeactivateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "account": account,
        "memberships": account.memberships.select_related("provider", "agency").order_by("pk"),
        "grant_form": grant_form or MembershipForm(),
        "deactivate_form": deactivate_form or DeactivateForm(),
        "history": auditlog.account_history(request.user, account)[:20],
    }
    return render(request, "operator/account.html", context, status=status)


def _account(request: HttpRequest, pk: int) -> Any:
    account = accounts.staff_account(request.user, pk)
    if account is None:
        raise Http404("no such staff account")
    return account


@require_GET
@guarded
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_page(request, _account(request, pk))


@require_POST
@guarded
def account_grant(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        return _account_page(request, account, grant_form=form, status=422)
    try:
        accounts.grant(
            request.user, account, form.cleaned_data["role"], form.cleaned_data["organisation"]
        )
    except accounts.AccountRefused as exc:
        form.add_error(exc.field or None, exc.message)
        return _account_page(request, account, grant_form=form, status=422)
    messages.success(request, _("The role was granted."))
    return HttpResponseRedirect(reverse("operator:account", args=[account.pk]))


@require_POST
@guarded
def account_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    account = _account(request, pk)
    removed = accounts.remove(request.user, membership_id, account)
    if removed is None:
        raise Http404("no such membership")
    messages.success(request, _("The role was removed."))
    return HttpResponseRedirect(reverse("operator:account", args=[account.pk]))


@require_POST
@guarded
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        return _account_page(request, account, deactivate_form=form, status=422)
    try:
        revoked = accounts.deactivate(request.user, account, form.cleaned_data["reason"])
    except accounts.AccountRefused as exc:
        form.add_error(exc.field or None, exc.message)
        return _account_page(request, account, deactivate_form=form, status=422)
    messages.success(
        request,
        _("The account was deactivated; %(n)s API tokens were revoked.") % {"n": revoked},
    )
    return HttpResponseRedirect(reverse("operator:account", args=[account.pk]))


# --- operator: the emergency action ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@guarded
def emergency_action(request: HttpRequest) -> HttpResponse:
    require_operator(request.user, "take emergency actions")
    search = SearchForm(request.GET)
    wanted = search.cleaned_data["q"] if search.is_valid() else ""
    wanted = request.POST.get("credential", wanted) if request.method == "POST" else wanted
    record = emergency.find_credential(request.user, wanted) if wanted else None
    form = EmergencyForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "search": search,
        "record": record,
        "form": form,
        "wanted": wanted,
        "error": "",
    }
    if request.method == "GET":
        status_code = 404 if wanted and record is None else 200
        return render(request, "operator/emergency.html", context, status=status_code)
    if record is None:
        context["error"] = _("No credential has this id.")
        return render(request, "operator/emergency.html", context, status=404)
    if not form.is_valid():
        return render(request, "operator/emergency.html", context, status=422)
    try:
        emergency.act(
            request.user, record, form.cleaned_data["action"], form.cleaned_data["reason"]
        )
    except IssuingError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            context["error"] = exc.message
        return render(request, "operator/emergency.html", context, status=exc.status)
    messages.success(
        request,
        _("Done: urn:uuid:%(id)s, %(action)s. %(provider)s is shown the action and its reason.")
        % {
            "id": record.public_id,
            "action": form.cleaned_data["action"],
            "provider": record.provider.name(),
        },
    )
    return HttpResponseRedirect(reverse("operator:emergency") + f"?q={record.public_id}")


# --- the audit log ---------------------------------------------------------------------------


@require_GET
@guarded
def audit(request: HttpRequest) -> HttpResponse:
    require_operator(request.user, "read the audit log")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = auditlog.search(request.user, filters)
    status_code = 422 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "operator/audit.html",
        {"form": form, "page": _page(request, rows), "query": _query_without_page(request)},
        status=status_code,
    )


def _history(request: HttpRequest, title: str, rows: Any, back: str) -> HttpResponse:
    return render(
        request,
        "operator/history.html",
        {
            "title": title,
            "page": _page(request, rows),
            "back": back,
            "query": _query_without_page(request),
        },
    )


@require_GET
@guarded
def provider_history(request: HttpRequest, slug: str) -> HttpResponse:
    provider = get_object_or_404(Provider, slug=slug)
    rows = auditlog.provider_history(request.user, provider)
    return _history(request, provider.name(), rows, reverse("dashboard:provider", args=[slug]))


@require_GET
@guarded
def agency_history(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=slug)
    rows = auditlog.agency_history(request.user, agency)
    return _history(request, agency.display(), rows, reverse("catalogue:agency", args=[slug]))


@require_GET
@guarded
def specification_history(request: HttpRequest, public_id: str) -> HttpResponse:
    spec = get_object_or_404(Specification.objects.select_related("provider"), public_id=public_id)
    rows = auditlog.specification_history(request.user, spec)
    title = spec.title_en or spec.local_id
    return _history(
        request, title, rows, reverse("operator:provider-history", args=[spec.provider.slug])
    )
