"""Invitations to join a provider's or an agency's team. Models only hold data; the rules
are in :mod:`~microcred_web.team.services`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from microcred_web.register.models import Agency, Provider, ProviderLevel, PublicIdMixin


class Invitation(PublicIdMixin, models.Model):
    """One invitation sent by e-mail. Only the SHA-256 of the link's token is stored; the link
    works once (``accepted``) and until ``expires``; an admin may withdraw it (``revoked``).

    ``email`` is where it was sent (a colleague's work address), shown to the team's admins
    while the invitation is pending, never on public pages.
    """

    public_id_prefix = "I"

    public_id = models.CharField(max_length=16, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(max_length=254)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.CASCADE)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE)
    level = models.CharField(
        max_length=8, choices=ProviderLevel.choices, default=ProviderLevel.ADMIN
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(provider__isnull=False, agency__isnull=True)
                    | models.Q(provider__isnull=True, agency__isnull=False)
                ),
                name="invitation_one_organisation",
            )
        ]
