"""The VC-API exchange that hands one credential to another wallet (Learner Credential Wallet).

Kept apart from :mod:`~microcred_web.wallet.models` (which imports it) because it is one
feature's table. The rules are in :mod:`~microcred_web.wallet.exchange`.

Why the transaction id is stored only as its SHA-256: it is the whole secret of the exchange
(the deep link and QR code carry it, and whoever holds them may collect the credential, as
LCW's ``auth_type=bearer`` link means), so a database dump must not be enough to collect one.
The exchange id is only an address.
"""

from __future__ import annotations

import uuid

from django.db import models

from microcred_web.issuing.models import IssuedCredentialRecord


class ExchangeState(models.TextChoices):
    PENDING = "pending", "Pending"
    COMPLETE = "complete", "Complete"


class CredentialExchange(models.Model):
    """One delivery of one issued credential to a wallet that authenticates with DIDAuth.

    Single use: it goes from ``pending`` to ``complete`` once, when a wallet proved control
    of ``holder_did`` and received the credential bound to that DID.
    """

    #: The exchange id in the URL (``/api/v1/exchanges/<public_id>/<transaction id>``).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: SHA-256 of the transaction id (the DIDAuth challenge).
    transaction_hash = models.CharField(max_length=64, unique=True)
    issued = models.ForeignKey(IssuedCredentialRecord, on_delete=models.CASCADE, related_name="+")
    #: The learner who asked for it from their wallet (None: from a claim page).
    account = models.ForeignKey(
        "wallet.LearnerAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exchanges",
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    state = models.CharField(
        max_length=16, choices=ExchangeState.choices, default=ExchangeState.PENDING
    )
    #: The DID the wallet authenticated as, bound as ``credentialSubject.id`` ("" until then).
    holder_did = models.CharField(max_length=200, blank=True)
    completed = models.DateTimeField(null=True, blank=True)
    #: The credential as delivered (the holder-bound copy); the record keeps the original.
    delivered = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.CheckConstraint(
                condition=(
                    models.Q(state="pending", completed__isnull=True)
                    | models.Q(state="complete", completed__isnull=False)
                ),
                name="exchange_completed_when_complete",
            )
        ]
