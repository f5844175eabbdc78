"""The delivery of a credential issued to an e-mail address: was its claim message sent?

One row per credential issued to an e-mail identifier, written in the issuing transaction
(so a credential and the duty to deliver it commit together: no credential is left without
a delivery, none gets two). The address itself is never stored: only ``address_hash``, the
keyed hash of the lower-cased address (what a learner's verified address is matched by, see
:mod:`~microcred_web.wallet.matching`). The message is sent after the commit with the address
the issuer gave in memory; a message that could not go out stays ``failed`` (or ``pending``
when the process died first) and is sent when the issuer issues to the same address again
(a resumed bulk run, the same API call): one that went out is never sent twice.
"""

from __future__ import annotations

from django.db import models

from microcred_web.issuing.models import IssuedCredentialRecord


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Not sent yet"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"
    OFF = "off", "Not to be sent"


class ClaimDelivery(models.Model):
    issued = models.OneToOneField(
        IssuedCredentialRecord, on_delete=models.CASCADE, related_name="wallet_delivery"
    )
    #: ``learner_hash`` of the address, lower-cased (the issuer may have typed capitals).
    address_hash = models.CharField(max_length=64, db_index=True)
    state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_attempt = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    #: Why the last attempt failed (the error's kind and SMTP code, never the address).
    error = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"delivery of {self.issued_id}: {self.state}"
