"""Mail to learners: one function that renders a message in plain text and HTML and sends it.

Messages go through Django's mail framework (SMTP from the environment, the console and the
outbox under ``make run``: settings.py). Text is translated in the active language. The
address is only ever an argument: it is never logged, and errors carry only their kind.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string


def message(to: str, template: str, context: dict[str, Any], subject: str) -> Any:
    """The message ``wallet/mail/<template>.txt`` with its ``.html`` alternative."""
    text = render_to_string(f"wallet/mail/{template}.txt", context)
    html = render_to_string(f"wallet/mail/{template}.html", context)
    mail = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    mail.attach_alternative(html, "text/html")
    return mail


def send(to: str, template: str, context: dict[str, Any], subject: str) -> None:
    """Send one message now; raises what the mail backend raises (see :func:`error_text`)."""
    message(to, template, context, subject).send(fail_silently=False)


def connection() -> Any:
    """A connection to reuse for several messages (a bulk run's batch)."""
    return get_connection(fail_silently=False)


def error_text(error: BaseException) -> str:
    """What went wrong, for the record, without the address: SMTP errors name recipients."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(value[0]) for value in error.recipients.values()})
        return f"SMTPRecipientsRefused {' '.join(codes)}".strip()
    kind = type(error).__name__
    return f"{kind} {code}" if code is not None else kind
