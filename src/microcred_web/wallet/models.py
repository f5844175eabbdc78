"""Wallet records. Models only hold data; the rules are in the wallet's service modules.

A learner is a Django user with no usable password and a :class:`LearnerAccount`. Learners
sign in by one-time links (:class:`OneTimeLink`); secrets in links are stored only as their
SHA-256, so a database dump opens no wallet. A learner's addresses are kept in clear (the
learner gave them, to be written to) together with their keyed hash, which is what issued
credentials are matched by (``IssuedCredentialRecord.learner_hash``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from microcred_web.issuing.models import IssuedCredentialRecord


class LearnerAccount(models.Model):
    """A learner's wallet. The holder key (Ed25519, ``did:key``) is sealed under the KEK like
    provider keys; its DID is bound as ``credentialSubject.id`` into credentials issued to
    the learner once the account exists."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner"
    )
    created = models.DateTimeField(auto_now_add=True)
    #: ``did:key:z6Mk...`` of the holder key ("" until the key is made).
    holder_did = models.CharField(max_length=200, blank=True)
    holder_public_multibase = models.CharField(max_length=64, blank=True)
    #: The keystore's sealed private key, bound to this account (never the clear key).
    holder_sealed_private = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"learner {self.public_id}"


class LearnerAddress(models.Model):
    """An e-mail address of a learner; credentials issued to it join the wallet once verified."""

    account = models.ForeignKey(LearnerAccount, on_delete=models.CASCADE, related_name="addresses")
    email = models.CharField(max_length=320)
    #: ``learner_hash`` of the address as the learner gave it (lower-cased).
    identifier_hash = models.CharField(max_length=64)
    added = models.DateTimeField(auto_now_add=True)
    verified = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "identifier_hash"], name="unique_address_per_account"
            ),
            # One wallet per verified address: a second learner cannot verify it too.
            models.UniqueConstraint(
                fields=["identifier_hash"],
                condition=models.Q(verified__isnull=False),
                name="one_verified_owner_per_address",
            ),
        ]


class LinkPurpose(models.TextChoices):
    SIGN_IN = "sign-in", "Sign in"
    VERIFY_ADDRESS = "verify-address", "Verify an address"
    CLAIM = "claim", "Claim a credential"


class OneTimeLink(models.Model):
    """A link sent by e-mail: single use, short-lived. Only the SHA-256 of its secret is kept."""

    purpose = models.CharField(max_length=16, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    #: ``learner_hash`` of the address the link was sent to.
    identifier_hash = models.CharField(max_length=64)
    #: The address itself for sign-in and verify links (a new account needs it); "" for claims.
    email = models.CharField(max_length=320, blank=True)
    address = models.ForeignKey(
        LearnerAddress, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: The credential a claim link delivers.
    issued = models.ForeignKey(
        IssuedCredentialRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "identifier_hash"])]


class EntrySource(models.TextChoices):
    ISSUED_HERE = "issued", "Issued on this instance"
    IMPORTED = "imported", "Imported by the learner"


class WalletEntry(models.Model):
    """One credential in a wallet: issued here (the record is the truth, status read live) or
    imported (the file as given, with the verification result it had on import)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(LearnerAccount, on_delete=models.CASCADE, related_name="entries")
    source = models.CharField(max_length=16, choices=EntrySource.choices)
    issued = models.ForeignKey(
        IssuedCredentialRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: The imported credential (None for entries issued here: ``issued.credential`` is it).
    credential = models.JSONField(null=True, blank=True)
    #: The verification result on import (``VerificationResult.to_dict()``).
    verification = models.JSONField(null=True, blank=True)
    #: What an imported file is ("obv3"; ELM comes with the formats issue).
    format = models.CharField(max_length=16, default="obv3")
    added = models.DateTimeField(auto_now_add=True)
    #: The learner removed it: kept as a tombstone so that matching by address does not bring
    #: it back. The imported copy is erased when it is removed.
    removed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-added", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "issued"],
                condition=models.Q(issued__isnull=False),
                name="one_entry_per_issued_credential",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(source="issued", issued__isnull=False)
                    | models.Q(source="imported", issued__isnull=True)
                ),
                name="wallet_entry_source_matches",
            ),
        ]


class Collection(models.Model):
    """A group of entries the learner names ("Data science", "For my employer")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(
        LearnerAccount, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(max_length=120)
    entries = models.ManyToManyField(WalletEntry, related_name="collections", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="unique_collection_name")
        ]


class ShareLink(models.Model):
    """A public link to one entry or one collection. Only the SHA-256 of its token is kept;
    views are counted, never who viewed (no IP address is stored)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(LearnerAccount, on_delete=models.CASCADE, related_name="shares")
    entry = models.ForeignKey(
        WalletEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    #: Search engines may index the page only when the learner opts in.
    indexable = models.BooleanField(default=False)
    #: Made for a printed certificate's QR code ("pdf") or by the learner ("").
    made_for = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(entry__isnull=False, collection__isnull=True)
                    | models.Q(entry__isnull=True, collection__isnull=False)
                ),
                name="share_one_entry_or_collection",
            )
        ]


# The exchange with other wallets (Learner Credential Wallet) has its own module.
# The delivery of claim messages (wallet.delivery) keeps its model in a module of its own.
from microcred_web.wallet.models_delivery import ClaimDelivery, DeliveryState  # noqa: E402
from microcred_web.wallet.models_exchange import CredentialExchange  # noqa: E402

__all__ = [
    "ClaimDelivery",
    "Collection",
    "CredentialExchange",
    "DeliveryState",
    "EntrySource",
    "LearnerAccount",
    "LearnerAddress",
    "LinkPurpose",
    "OneTimeLink",
    "ShareLink",
    "WalletEntry",
]
