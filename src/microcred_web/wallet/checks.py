"""Start-up check of the wallet: learners sign in and receive credentials by e-mail, so an
instance that serves without debug and without a mail server says so at start-up (a warning:
everything else works, and issuing still records each claim message as not sent, to be sent
again once mail is configured)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from microcred_web.issuing.checks import SERVE_TAG


@register(SERVE_TAG)
def mail_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or getattr(settings, "EMAIL_HOST", ""):
        return []
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return []  # a deliberate backend (tests, a file or console backend)
    return [
        Warning(
            "no mail server is configured (MICROCRED_EMAIL_HOST): sign-in links and claim "
            "messages go to a local mail transfer agent on localhost:25, and are recorded as "
            "not sent if none answers. See docs/deploy.md",
            id="microcred.W020",
        )
    ]
