"""Middleware of the security app: 429 pages and the pages' own 413 for oversized bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from microcred_web.security.limits import RateLimited

#: A view sets this attribute (see :func:`too_large_page`) to answer oversized bodies itself.
TOO_LARGE_ATTRIBUTE = "microcred_too_large"


def rate_limited_page(request: HttpRequest, error: RateLimited) -> HttpResponse:
    response = render(
        request,
        "429.html",
        {"message": str(error), "retry_after": error.retry_after},
        status=429,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


class RateLimitMiddleware:
    """Pages that raise :class:`RateLimited` answer the 429 page with ``Retry-After``.

    API operations never get here: django-ninja hands their exceptions to the API's own
    handlers, which answer JSON.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return rate_limited_page(request, exception)
        return None


def too_large_page(
    answer: Callable[[HttpRequest], HttpResponse],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a page view: a form body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` gets ``answer``.

    Without it such a body fails inside the CSRF middleware, which reads the form first, and
    the visitor sees Django's bare "Bad Request (400)" instead of the page's own message.
    """

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, TOO_LARGE_ATTRIBUTE, answer)
        return view

    return mark


class RequestTooLargeMiddleware:
    """Read the form of a page before the CSRF middleware does, and answer 413 if too large.

    Must come before ``CsrfViewMiddleware``. Only for views that the CSRF middleware would
    check (the API is exempt and answers its own 413 as JSON) and only for form bodies; other
    views get the generic 413 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # Exactly the requests whose form the CSRF middleware reads: POSTs to views it checks.
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 - parse now; the CSRF middleware reuses the result
        except RequestDataTooBig:
            answer = getattr(view, TOO_LARGE_ATTRIBUTE, None)
            if answer is not None:
                return answer(request)  # type: ignore[no-any-return]
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)
        return None
