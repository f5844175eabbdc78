"""What the editor keeps beside the register's own records.

The register stores a specification as the core parsed it, so a value of the wrong type (``abc``
typed as ECTS) is reported and left out. A provider's draft must come back exactly as typed,
so the editor keeps the typed form next to the version it was saved as; once anyone else
changes the specification (the API, an import), the register's version is newer and wins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from microcred_web.register.models import Specification


class EditorDraft(models.Model):
    """The specification as last typed in the editor, for the version that save made."""

    specification = models.OneToOneField(
        Specification, on_delete=models.CASCADE, related_name="editor_draft"
    )
    version = models.PositiveIntegerField(help_text="The specification version it belongs to")
    data = models.JSONField(help_text="The form as typed, in the microcred JSON shape")
    updated = models.DateTimeField(auto_now=True)


class Withdrawal(models.Model):
    """Why a published specification was withdrawn: shown on its public page."""

    specification = models.ForeignKey(
        Specification, on_delete=models.CASCADE, related_name="withdrawals"
    )
    version = models.PositiveIntegerField()
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
