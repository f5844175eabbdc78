"""The invitation message, in plain text and HTML, through Django's mail framework (the
``MICROCRED_EMAIL_*`` settings, as the wallet's mail)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from microcred_web.issuing import identity
from microcred_web.team.models import Invitation
from microcred_web.wallet.mail import error_text

__all__ = ["error_text", "invitation_url", "send_invitation"]


def invitation_url(token: str) -> str:
    return identity.base_url() + reverse("team:invitation", args=[token])


def send_invitation(invitation: Invitation, organisation: str, token: str, *, inviter: Any) -> None:
    """Send the link; raises what the mail backend raises."""
    context = {
        "organisation": organisation,
        "inviter": inviter.get_username() if hasattr(inviter, "get_username") else "",
        "level": invitation.get_level_display() if invitation.provider_id else "",
        "url": invitation_url(token),
        "expires": invitation.expires,
    }
    subject = _("You are invited to join %(organisation)s on microcred") % {
        "organisation": organisation
    }
    text = render_to_string("team/mail/invitation.txt", context)
    html = render_to_string("team/mail/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[invitation.email]
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
