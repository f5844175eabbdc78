"""Pages of learner sign-in, addresses, claiming and (debug only) the outbox.

Views translate HTTP to :mod:`.signin`, :mod:`.claiming` and :mod:`.accounts`; the rules live
there. Every link page answers GET with a button and does its work on POST (mail scanners
that prefetch links do not use them up).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred_web.issuing.errors import IssuingError
from microcred_web.security.limits import enforce, rate_limit
from microcred_web.wallet import claiming, lcw, outbox, signin
from microcred_web.wallet.access import account_of, learner_required
from microcred_web.wallet.accounts import AddressError, canonical, checked_email, is_staff_user
from microcred_web.wallet.links import LinkState
from microcred_web.wallet.mail import error_text
from microcred_web.wallet.models import LearnerAccount, LearnerAddress, LinkPurpose

logger = logging.getLogger(__name__)
BACKEND = "django.contrib.auth.backends.ModelBackend"


class EmailForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=320)

    def clean_email(self) -> str:
        try:
            return checked_email(self.cleaned_data["email"])
        except AddressError as error:
            raise forms.ValidationError(str(error)) from None


def home_url() -> str:
    """The wallet's home page (made by the wallet pages; "/wallet/" until they are there)."""
    try:
        return reverse("wallet:home")
    except NoReverseMatch:
        return "/wallet/"


def _next(request: HttpRequest) -> str:
    value = str(request.POST.get("next") or request.GET.get("next") or "")
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _staff(request: HttpRequest, status: int = 409) -> HttpResponse:
    return render(request, "wallet/signin/staff.html", status=status)


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "wallet/signin/unavailable.html", status=503)


def _limit_address(request: HttpRequest, email: str) -> None:
    # Counted per address as well as per network (the key is hashed in the store).
    enforce(request, "wallet-link-address", canonical(email))


@require_http_methods(["GET", "POST"])
@rate_limit("wallet-link-ip", methods=("POST",))
def sign_in_page(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link. The answer is the same for every address (no enumeration)."""
    if is_staff_user(request.user):
        return _staff(request, 409 if request.method == "POST" else 200)
    next_path = _next(request)
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            context = {"form": form, "next": next_path}
            return render(request, "wallet/signin/sign_in.html", context, status=422)
        email = form.cleaned_data["email"]
        _limit_address(request, email)
        try:
            signin.send_sign_in(email, next_path)
        except Exception as error:  # the mail server, the identifier key: try again later
            logger.warning("sign-in link not sent: %s", error_text(error), exc_info=True)
            return _unavailable(request)
        minutes = int(signin.sign_in_lifetime().total_seconds() // 60)
        return render(request, "wallet/signin/sent.html", {"minutes": minutes})
    return render(request, "wallet/signin/sign_in.html", {"form": form, "next": next_path})


def _invalid_link(request: HttpRequest) -> HttpResponse:
    """Used, expired or unknown: one answer, and a form for a new link."""
    return render(
        request,
        "wallet/signin/link_invalid.html",
        {"form": EmailForm(), "next": _next(request)},
        status=404,
    )


@require_http_methods(["GET", "POST"])
@rate_limit("wallet-link-use", methods=("POST",))
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    from microcred_web.wallet import links

    if is_staff_user(request.user):
        return _staff(request)
    if request.method == "GET":
        state, _link = links.peek(token, LinkPurpose.SIGN_IN)
        if state is not LinkState.LIVE:
            return _invalid_link(request)
        return render(request, "wallet/signin/confirm.html", {"next": _next(request)})
    account = signin.sign_in(token)
    if account is None:
        return _invalid_link(request)
    login(request, account.user, backend=BACKEND)
    return HttpResponseRedirect(_next(request) or home_url())


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("wallet:sign-in") + "?signed-out=1")


def _addresses_page(
    request: HttpRequest, account: LearnerAccount, form: EmailForm | None = None, **extra: Any
) -> HttpResponse:
    status = extra.pop("status", 200)
    context = {
        "addresses": LearnerAddress.objects.filter(account=account),
        "form": form or EmailForm(),
        **extra,
    }
    return render(request, "wallet/signin/addresses.html", context, status=status)


@require_http_methods(["GET", "POST"])
@learner_required
def addresses(request: HttpRequest, account: LearnerAccount) -> HttpResponse:
    if request.method == "GET":
        return _addresses_page(request, account, sent=request.GET.get("sent") == "1")
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _addresses_page(request, account, form, status=422)
    email = form.cleaned_data["email"]
    enforce(request, "wallet-link-ip", _network(request))
    _limit_address(request, email)
    try:
        signin.add_address(account, email)
    except Exception:  # the mail server: the address is kept, a new link can be asked for
        return _addresses_page(request, account, form, mail_failed=True, status=503)
    return HttpResponseRedirect(reverse("wallet:addresses") + "?sent=1")


def _network(request: HttpRequest) -> str:
    from microcred_web.security.clients import client_network

    return client_network(request)


@require_POST
@learner_required
def address_remove(request: HttpRequest, account: LearnerAccount, address_id: int) -> HttpResponse:
    problem = signin.remove_address(account, address_id)
    if problem == "none":
        raise Http404("no such address")
    if problem == "last":
        return _addresses_page(request, account, last=True, status=409)
    return HttpResponseRedirect(reverse("wallet:addresses"))


@require_http_methods(["GET", "POST"])
@rate_limit("wallet-link-use", methods=("POST",))
def verify_address(request: HttpRequest, token: str) -> HttpResponse:
    from microcred_web.wallet import links

    if request.method == "GET":
        state, _link = links.peek(token, LinkPurpose.VERIFY_ADDRESS)
        if state is not LinkState.LIVE:
            return render(request, "wallet/signin/verify_invalid.html", status=404)
        return render(request, "wallet/signin/verify_confirm.html")
    result = signin.verify_address(token)
    if result is None or result.problem == "gone":
        return render(request, "wallet/signin/verify_invalid.html", status=404)
    if result.problem == "taken":
        return render(request, "wallet/signin/verify_taken.html", status=409)
    return render(request, "wallet/signin/verified.html", {"home": home_url()})


class ClaimForm(EmailForm):
    pass


@require_http_methods(["GET", "POST"])
@rate_limit("wallet-link-use", methods=("POST",))
def claim(request: HttpRequest, token: str) -> HttpResponse:
    found = claiming.find(token)
    if found.state is not LinkState.LIVE:
        return _claim_refused(request, found.state.value)
    account = account_of(request.user)
    staff = is_staff_user(request.user)
    form = ClaimForm(request.POST) if request.method == "POST" and account is None else ClaimForm()
    context = {"record": found.record, "account": account, "form": form, "staff": staff}
    if not staff:
        # The claim link is the learner's proof; it may also hand the credential to another
        # wallet (a fresh single-use exchange per showing of the page).
        context["lcw_offer"] = lcw.offer_for(found.record, account)
    if request.method == "GET":
        return render(request, "wallet/claim/claim.html", context)
    if staff:
        return render(request, "wallet/claim/claim.html", context, status=409)
    email = ""
    if account is None:
        if not form.is_valid():
            return render(request, "wallet/claim/claim.html", context, status=422)
        email = form.cleaned_data["email"]
    try:
        result = claiming.claim(token, account, email)
    except IssuingError:
        return _unavailable(request)
    if result.problem == "address":
        form.add_error(
            "email", _("This is not the address the claim message was sent to. Check it.")
        )
        return render(request, "wallet/claim/claim.html", context, status=422)
    if result.problem or result.account is None:
        return _claim_refused(request, result.problem)
    if account is None:
        login(request, result.account.user, backend=BACKEND)
    return HttpResponseRedirect(home_url())


def _claim_refused(request: HttpRequest, problem: str) -> HttpResponse:
    status = 404 if problem == "unknown" else 410
    return render(
        request,
        "wallet/claim/refused.html",
        {"problem": problem, "days": int(getattr(settings, "MICROCRED_WALLET_CLAIM_DAYS", 30))},
        status=status,
    )


_URL = re.compile(r"https?://[^\s<>\"]+")


@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    """The last messages sent (debug mode only: `make run` has no mail server)."""
    if not settings.DEBUG:
        raise Http404("the outbox exists in debug mode only")
    kept = [
        {"message": message, "links": _URL.findall(message.body)} for message in outbox.messages()
    ]
    return render(request, "wallet/signin/outbox.html", {"kept": kept})
