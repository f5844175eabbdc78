"""Rate limits for every public endpoint, pages and API operations alike.

One decorator, :func:`rate_limit`, for a view or a django-ninja operation::

    @router.post("/credentials/verify", ...)
    @rate_limit("verify")
    def verify_credential(request): ...

    @require_http_methods(["GET", "POST"])
    @rate_limit("verify", methods=("POST",))
    def verify_page(request): ...

Each call counts one hit for the client's network (:func:`~.clients.client_network`) in the
scope; past the scope's rate it raises :class:`RateLimited` (HTTP 429 with ``Retry-After``),
which the API's error handler renders as ``{"code": "rate-limited", "detail": ...}`` and
:class:`~.middleware.RateLimitMiddleware` as the 429 page. Code that counts failures rather
than requests (sign-in, API tokens) uses :func:`refuse_when_exhausted` before the attempt and
:func:`count_failure` after a failed one.

Rates are ``"<count>/<period>"`` in django-ratelimit's notation (``"60/m"``, ``"10/15m"``,
``"1000/d"``), one per scope in ``settings.MICROCRED_RATE_LIMITS``; each can be overridden by
the environment variable ``MICROCRED_RATE_LIMIT_<SCOPE>`` (``verify`` ->
``MICROCRED_RATE_LIMIT_VERIFY``) and ``off`` disables one. A new scope is one line in that
setting's defaults. Counting is django-ratelimit's (fixed windows, keys hashed with SHA-256, so
the store never holds an address or a user name) in the shared database cache
``CACHES["ratelimit"]`` (:mod:`.cache`), so the limits hold across worker processes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django_ratelimit.core import _split_rate, get_usage
from ninja.errors import HttpError

from microcred_web.security.clients import client_network

F = TypeVar("F", bound=Callable[..., Any])
KeyFunction = Callable[[HttpRequest], str]
_OFF = {"", "0", "off", "none"}


class RateLimited(HttpError):
    """Too many requests: HTTP 429, ``retry_after`` seconds until the limit resets.

    A ninja ``HttpError`` so that the API's handlers render it (with ``code`` and
    ``Retry-After``); pages get the 429 page from :class:`~.middleware.RateLimitMiddleware`.
    """

    code = "rate-limited"

    def __init__(self, scope: str, retry_after: int, message: str | None = None) -> None:
        self.scope = scope
        self.retry_after = max(1, int(retry_after))
        self.extra: dict[str, Any] = {}
        super().__init__(429, message or default_message(self.retry_after))


@dataclass(frozen=True)
class Usage:
    """Hits counted in the current window, the scope's limit, and seconds until it resets."""

    count: int
    limit: int
    retry_after: int


def describe_wait(seconds: int) -> str:
    """``"45 seconds"``, ``"1 minute"``, ``"12 minutes"``: how long, for people."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def default_message(retry_after: int) -> str:
    return f"Too many requests. Try again in {describe_wait(retry_after)}."


def rate_for(scope: str) -> str | None:
    """The scope's rate from the settings, ``None`` when it is switched off."""
    rates: dict[str, str] = getattr(settings, "MICROCRED_RATE_LIMITS", {})
    if scope not in rates:
        raise ImproperlyConfigured(
            f"rate-limit scope {scope!r} has no rate: add it to MICROCRED_RATE_LIMITS in "
            "microcred_web/settings.py (see docs/security.md)"
        )
    rate = str(rates[scope] or "").strip()
    return None if rate.lower() in _OFF else rate


def usage(request: HttpRequest, scope: str, key: str, *, increment: bool) -> Usage | None:
    """Count (``increment``) or just read the hits of ``key`` in ``scope``; None when off."""
    rate = rate_for(scope)
    if rate is None:
        return None
    found = get_usage(
        request,
        group=f"microcred:{scope}",
        key=lambda _group, _request: key,
        rate=rate,
        increment=increment,
    )
    if found is None:  # RATELIMIT_ENABLE is off
        return None
    # django-ratelimit's window ends at an integer second that is still inside the window.
    return Usage(int(found["count"]), int(found["limit"]), max(1, int(found["time_left"]) + 1))


def enforce(
    request: HttpRequest, scope: str, key: str, message: str | Callable[[int], str] | None = None
) -> None:
    """Count one hit; raise :class:`RateLimited` when it is over the scope's limit."""
    found = usage(request, scope, key, increment=True)
    if found is not None and found.count > found.limit:
        raise RateLimited(scope, found.retry_after, _message(message, found.retry_after))


def refuse_when_exhausted(
    request: HttpRequest, scope: str, key: str, message: str | Callable[[int], str] | None = None
) -> None:
    """For failure counters: raise :class:`RateLimited` while ``key`` is locked out.

    Nothing is counted here; :func:`count_failure` counts the attempts that fail, and the one
    that reaches the limit locks ``key`` for the scope's whole period from then on. A scope of
    ``"10/15m"`` therefore allows ten failures within a window, then refuses every attempt
    (right or wrong) for 15 minutes.
    """
    retry_after = _locked_for(scope, key)
    if retry_after is None:
        found = usage(request, scope, key, increment=False)
        if found is not None and found.count >= found.limit:
            retry_after = found.retry_after
    if retry_after is not None:
        raise RateLimited(scope, retry_after, _message(message, retry_after))


def count_failure(request: HttpRequest, scope: str, key: str) -> Usage | None:
    """Count one failed attempt of ``key``; at the limit, lock ``key`` for the scope's period.

    Returns the usage after it (``retry_after`` is then the lockout's length), None when off.
    """
    found = usage(request, scope, key, increment=True)
    if found is None or found.count < found.limit:
        return found
    _count, period = _split_rate(rate_for(scope))
    _lock_cache().set(_lock_key(scope, key), time.time() + period, period)
    return Usage(found.count, found.limit, period)


def _lock_cache() -> Any:
    return caches[settings.RATELIMIT_USE_CACHE]


def _lock_key(scope: str, key: str) -> str:
    # Hashed like django-ratelimit's counters: the store never holds a user name or address.
    return "microcred-lock:" + hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()


def _locked_for(scope: str, key: str) -> int | None:
    """Seconds until the lockout of ``key`` in ``scope`` ends, None when not locked."""
    if rate_for(scope) is None or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    until = _lock_cache().get(_lock_key(scope, key))
    if until is None:
        return None
    left = math.ceil(float(until) - time.time())
    return left if left > 0 else None


def rate_limit(
    scope: str,
    *,
    key: KeyFunction = client_network,
    methods: Iterable[str] | None = None,
    message: str | Callable[[int], str] | None = None,
) -> Callable[[F], F]:
    """Limit a view or a django-ninja operation to the rate of ``scope`` per ``key``.

    ``key`` defaults to the client's network; ``methods`` (e.g. ``("POST",)``) restricts the
    counting to those methods; ``message`` is the text shown over the limit (a string, or a
    function of the seconds to wait).
    """
    rate_for(scope)  # an unknown scope is a programming error: fail at import, not per request
    counted = {m.upper() for m in methods} if methods is not None else None

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if counted is None or request.method in counted:
                enforce(request, scope, key(request), message)
            return view(request, *args, **kwargs)

        # django-ninja reads the parameters' types from the signature, resolving string
        # annotations in the function's module; give it the view's own, already resolved.
        with contextlib.suppress(NameError, TypeError):
            limited.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return limited  # type: ignore[return-value]

    return decorate


def _message(message: str | Callable[[int], str] | None, retry_after: int) -> str:
    if callable(message):
        return message(retry_after)
    return message or default_message(retry_after)
