"""The Content Security Policy: django-csp's middleware, with one policy for the API docs page.

Every page of ours runs under ``settings.CONTENT_SECURITY_POLICY``: scripts, styles, images and
fonts from this origin only, nothing inline. The API docs page (``/api/v1/docs``) is django-ninja's
Swagger UI, served from the ``ninja`` static files; it builds its page with inline ``style``
attributes and draws its icons as ``data:`` SVG images, so that one path gets
:data:`API_DOCS_POLICY` (``style-src`` and ``img-src`` relaxed as little as it needs; scripts are
still from this origin only).
"""

from __future__ import annotations

from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest

#: The URL name of django-ninja's docs page of the API (``microcred_web.api``).
API_DOCS_VIEW = "api-1:openapi-view"

#: Replacements of directives for the Swagger UI page only.
API_DOCS_POLICY: dict[str, Any] = {
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: Any, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if not report_only and match is not None and match.view_name == API_DOCS_VIEW:
            parts.replace = {**(parts.replace or {}), **API_DOCS_POLICY}
        return parts
