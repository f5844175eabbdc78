"""The register operator's records: requests to join the register, and merged providers.

Models only hold data; the rules are in :mod:`~microcred_web.operator.registration`,
:mod:`~microcred_web.operator.accounts` and :mod:`~microcred_web.operator.merging`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from microcred_web.register.models import Provider, ProviderKind, PublicIdMixin


class RegistrationRequest(PublicIdMixin, models.Model):
    """An organisation's request to join the register, sent through the public form.

    Holds what the register needs for a provider record and who to write to. The contact's
    name and address are personal data: they are shown to operators only and never reach the
    audit log (which names the request by its ``public_id``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    public_id = models.CharField(max_length=16, unique=True, editable=False)
    legal_name = models.CharField(max_length=300)
    name_language = models.CharField(max_length=12, default="en")
    slug = models.SlugField(max_length=80, help_text="The short name wanted for the address")
    kind = models.CharField(max_length=32, choices=ProviderKind.choices)
    country = models.CharField(max_length=2)
    city = models.CharField(max_length=120, blank=True)
    website = models.URLField(max_length=200, blank=True)
    national_id = models.CharField(max_length=64, blank=True)
    erasmus_code = models.CharField(max_length=32, blank=True)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField(max_length=254)
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True, help_text="Why it was rejected")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    public_id_prefix = "R"

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.public_id} {self.legal_name}"


class MergedProvider(models.Model):
    """A provider record merged into another: its slug and public id lead to the kept one.

    The duplicate's row is deleted once everything it held has moved; this row keeps its
    public page (``/providers/<slug>/``) answering with a permanent redirect, and keeps the
    two identifiers from being handed out again.
    """

    slug = models.SlugField(max_length=80, unique=True)
    public_id = models.CharField(max_length=16, unique=True)
    kept = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="merged_from")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]
