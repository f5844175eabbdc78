"""Mail the operator's decisions send, through Django's mail framework.

Plain text from templates (``templates/operator/mail/``), in the language active when the
decision is made. A message that cannot be sent does not undo the decision: the caller gets
the error back and shows it to the operator, who can send the link again.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger("microcred_web.operator")


def site_url(path: str) -> str:
    """An absolute link on this instance (``MICROCRED_HOST``, https unless loopback)."""
    from microcred_web.issuing import identity

    return f"{identity.base_url()}{path}"


def set_password_path(user: Any) -> str:
    """The one-time set-password link for ``user`` (Django's password-reset token: it stops
    working once the password is set, or after ``PASSWORD_RESET_TIMEOUT``)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("operator:set-password", args=[uid, token])


def send(template: str, to: str, context: dict[str, Any]) -> str:
    """Send one message; returns "" when sent, else what went wrong (never the address)."""
    subject = render_to_string(f"operator/mail/{template}_subject.txt", context).strip()
    body = render_to_string(f"operator/mail/{template}.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("operator mail %s not sent: %s", template, type(error).__name__)
        return type(error).__name__
    return ""
