"""Signing in with limits: per client network and per user name (the lockout).

Two failure counters, both checked before the password is (so a locked-out attacker learns
nothing, even from the right password) and both counted only when a sign-in fails:

- ``sign-in-ip``: failed sign-ins from one client network, against password spraying;
- ``sign-in-user``: failed sign-ins for one user name, against guessing one account's password.
  Past it the account is locked until the window ends, whatever the password; the page says
  for how long.

Each failed or refused attempt is written to the audit log with the user name as typed and a
reason, never the password or the address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse

from microcred_web.issuing.audit import record_event
from microcred_web.security.clients import client_network
from microcred_web.security.limits import (
    RateLimited,
    count_failure,
    describe_wait,
    refuse_when_exhausted,
)

AUDIT_ACTION = "sign-in-failed"
USER_SCOPE = "sign-in-user"
NETWORK_SCOPE = "sign-in-ip"


def user_key(username: str) -> str:
    """One counter per user name however it is typed (case, surrounding spaces)."""
    return username.strip().casefold()[:150]


def _locked_message(retry_after: int) -> str:
    return (
        "Too many failed sign-ins for this user name. Signing in to this account is locked "
        f"for {describe_wait(retry_after)}; the right password will not work before then."
    )


def _network_message(retry_after: int) -> str:
    return f"Too many failed sign-ins from your network. Try again in {describe_wait(retry_after)}."


class SignInView(LoginView):
    """django.contrib.auth's sign-in page with the two limits and the audit entries."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        try:
            refuse_when_exhausted(request, NETWORK_SCOPE, client_network(request), _network_message)
            if user_key(username):
                refuse_when_exhausted(request, USER_SCOPE, user_key(username), _locked_message)
        except RateLimited as refused:
            reason = (
                "refused: account locked after too many failed sign-ins"
                if refused.scope == USER_SCOPE
                else "refused: too many failed sign-ins from one network"
            )
            record_event(None, AUDIT_ACTION, username[:150], reason)
            return self._refused(refused)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        request = self.request
        username = str(request.POST.get("username", ""))
        count_failure(request, NETWORK_SCOPE, client_network(request))
        reason, locked = "wrong user name or password", None
        if user_key(username):
            after = count_failure(request, USER_SCOPE, user_key(username))
            if after is not None and after.count >= after.limit:
                locked = _locked_message(after.retry_after)
                reason += (
                    f"; account locked for {describe_wait(after.retry_after)} "
                    f"after {after.count} failed sign-ins"
                )
        record_event(None, AUDIT_ACTION, username[:150], reason)
        return self.render_to_response(self.get_context_data(form=form, refused=locked))

    def _refused(self, refused: RateLimited) -> HttpResponse:
        # An unbound form (nothing was checked) that keeps the user name as typed.
        form = self.get_form_class()(
            self.request, initial={"username": self.request.POST.get("username", "")}
        )
        context = self.get_context_data(form=form, refused=str(refused))
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(refused.retry_after)
        return response
