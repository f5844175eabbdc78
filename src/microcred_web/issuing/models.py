"""Issuing records: the instance's identity, signing keys (sealed), status lists, issued
credentials, audit events.

Models only hold data; the rules are in :mod:`~microcred_web.issuing.keys`,
:mod:`~microcred_web.issuing.status` and :mod:`~microcred_web.issuing.issue`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from microcred_web.register.models import Provider, Specification


class InstanceIdentity(models.Model):
    """The public identity this instance issues under: the host and scheme of every DID and
    status-list URL it signs. One row, written once (at the first signing key) and never
    changed: a credential names them, so changing them would orphan every credential issued.
    See :mod:`microcred_web.issuing.identity`.
    """

    #: Always 1: the table holds one row.
    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    #: ``MICROCRED_HOST`` when recorded: host name, with ``:port`` if not the default.
    host = models.CharField(max_length=255)
    #: ``https``, or ``http`` for a loopback host in development.
    scheme = models.CharField(max_length=5)
    recorded = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="one_instance_identity"),
            models.CheckConstraint(
                condition=models.Q(scheme__in=["http", "https"]), name="identity_scheme_http_s"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}"


class ProviderKey(models.Model):
    """One Ed25519 signing key of a provider. Kept for ever, retired on rotation.

    ``sealed_private`` is the keystore's sealed string (AES-256-GCM under the KEK from the
    environment, bound to the provider and key id): the clear key never reaches the database.
    """

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="keys")
    key_id = models.CharField(max_length=32)
    public_key_multibase = models.CharField(max_length=64)
    sealed_private = models.TextField()
    created = models.DateTimeField()
    retired = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provider", "created"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "key_id"], name="unique_provider_key_id"),
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(retired__isnull=True),
                name="one_active_key_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider.slug}#{self.key_id}"


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", "Revocation"
    SUSPENSION = "suspension", "Suspension"


class StatusListRecord(models.Model):
    """One W3C Bitstring Status List of a provider for one purpose (numbered 1, 2, ...)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=16, choices=StatusPurpose.choices)
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    #: The list's address, fixed when it is opened: credentials name it, so it is where the
    #: list is found and what its signed credential calls itself, whatever the settings say.
    url = models.CharField(max_length=500)
    #: How many indexes were ever handed out (never decreases: indexes are never reused).
    allocated = models.PositiveIntegerField(default=0)
    #: The ``encodedList`` value (multibase base64url of GZIP of the bits).
    encoded = models.TextField()
    #: The signed list credential, cached until the next change (None: sign on next request).
    signed = models.JSONField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider", "purpose", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "purpose", "number"], name="unique_status_list"
            )
        ]


class StatusAllocation(models.Model):
    """An index handed out on a status list; the unique pair guarantees it is never reused."""

    status_list = models.ForeignKey(
        StatusListRecord, on_delete=models.PROTECT, related_name="allocations"
    )
    index = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="unique_status_index")
        ]


class IssuedCredentialRecord(models.Model):
    """Every credential issued: who, what, when, which key, which status indexes.

    ``learner_hash`` is a keyed hash (HMAC) of the learner identifier, never the identifier:
    it makes issuing idempotent on (specification, learner). ``credential`` is the learner's
    signed copy; it is access-controlled and never published.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="issued")
    specification = models.ForeignKey(
        Specification, on_delete=models.PROTECT, related_name="issued"
    )
    learner_hash = models.CharField(max_length=64)
    #: The learner's name as given at issue (``name``, else given and family name), for staff
    #: to find a credential again. Personal data: shown only on the provider's own pages,
    #: never on public pages, in open data or in the audit log. "" when none was given.
    learner_name = models.CharField(max_length=700, blank=True, default="")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.ForeignKey(ProviderKey, on_delete=models.PROTECT, related_name="+")
    cryptosuite = models.CharField(max_length=32)
    revocation = models.ForeignKey(
        StatusAllocation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suspension = models.ForeignKey(
        StatusAllocation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked = models.BooleanField(default=False)
    suspended = models.BooleanField(default=False)
    credential = models.JSONField()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "learner_hash"], name="unique_learner_per_spec"
            )
        ]


class AuditEvent(models.Model):
    """Who did what to which record, when, through which interface, and why. Append-only.

    Written by :func:`microcred_web.issuing.audit.record_event` (see ``docs/audit.md``).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32)
    target = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    #: The door the write came through: api, page, cli or import ("" for rows from before).
    interface = models.CharField(max_length=8, blank=True, default="")
    #: Machine-readable facts: counts, changed field names; never personal data.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class KeyFingerprint(models.Model):
    """The fingerprint of a secret the database depends on but never holds (one row per kind).

    ``identifier-key``: the learner-identifier key the ``learner_hash`` values were made under,
    recorded with the first credential; issuing refuses a key whose fingerprint differs, so a
    wrong key cannot silently issue duplicates (see microcred_web.issuing.identifier).
    """

    IDENTIFIER_KEY = "identifier-key"

    name = models.CharField(max_length=32, unique=True)
    fingerprint = models.CharField(max_length=64)
    #: How it was recorded: ``first-issue``, ``legacy-secret-key`` (migration), ``adopted``.
    source = models.CharField(max_length=32)
    recorded = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.fingerprint}"
