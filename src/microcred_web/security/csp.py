"""The Content Security Policy: django-csp's middleware, with one policy for the API docs page.

Every page of ours runs under ``settings.CONTENT_SECURITY_POLICY``: scripts, styles, images and
fonts from this origin only, nothing inline. The API docs page (``/api/v1/docs``) is django-ninja's
Swagger UI, served from the ``ninja`` static files. It needs one thing more: it draws some icons
(the response panel, the "try it out" controls) as ``data:`` images, so that one view gets
:data:`API_DOCS_POLICY`, ``img-src 'self' data:``. Scripts and styles stay this origin's only
(React sets its styles through the DOM, which ``style-src`` does not restrict). The browser test
``tests/web/security/test_browser_csp.py`` runs an operation there and sees no violation.
"""

from __future__ import annotations

from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest

#: The URL name of django-ninja's docs page of the API (``microcred_web.api``).
API_DOCS_VIEW = "api-1:openapi-view"

#: Replacements of directives for the Swagger UI page only.
API_DOCS_POLICY: dict[str, Any] = {"img-src": ["'self'", "data:"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: Any, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if not report_only and match is not None and match.view_name == API_DOCS_VIEW:
            parts.replace = {**(parts.replace or {}), **API_DOCS_POLICY}
        return parts
