"""Who is a learner, and the guard every wallet page uses.

A wallet page is only ever the signed-in learner's own: every query goes through
:func:`account_of` and filters on that account, so no identifier in a URL can reach another
learner's records.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from microcred_web.wallet.models import LearnerAccount


def account_of(user: Any) -> LearnerAccount | None:
    """The learner account of ``user`` (None for staff, anonymous visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return LearnerAccount.objects.filter(user=user).first()


def learner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view(request, account, ...)`` for a signed-in learner; others go to sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = account_of(request.user)
        if account is None:
            target = reverse("wallet:sign-in") + "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return view(request, account, *args, **kwargs)

    return wrapper
