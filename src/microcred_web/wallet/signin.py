"""Signing learners in by a link mailed to them, and verifying their further addresses.

Asking for a sign-in link answers the same whether the address is known or not, and mails a
link either way: for a known address the link signs in to its wallet, for a new one it makes
the wallet when it is used (the link proves the address is the learner's). So neither the
page, nor its timing, nor the mail count tells anyone whether an address has a wallet.

Links are single use and short-lived (``MICROCRED_WALLET_SIGN_IN_MINUTES``); opening one
shows a button, and only pressing it (a POST) uses it, so mail scanners that fetch links do
not burn them. A verification link (``MICROCRED_WALLET_VERIFY_HOURS``) verifies an address
the signed-in learner added; an address another learner verified is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from microcred_web.issuing import identity
from microcred_web.wallet import links, mail, matching
from microcred_web.wallet.accounts import account_for, address_hash, checked_email
from microcred_web.wallet.links import LinkState
from microcred_web.wallet.models import LearnerAccount, LearnerAddress, LinkPurpose


def sign_in_lifetime() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "MICROCRED_WALLET_SIGN_IN_MINUTES", 15)))


def verify_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "MICROCRED_WALLET_VERIFY_HOURS", 24)))


def send_sign_in(email: str, next_path: str = "") -> None:
    """Mail a sign-in link to ``email`` (checked by the caller with :func:`checked_email`)."""
    links.purge_expired()
    lifetime = sign_in_lifetime()
    _link, token = links.make(
        LinkPurpose.SIGN_IN, address_hash(email), lifetime, email=email.strip()
    )
    url = identity.base_url() + reverse("wallet:sign-in-link", args=[token])
    if next_path:
        url += "?" + urlencode({"next": next_path})
    context = {"url": url, "minutes": int(lifetime.total_seconds() // 60)}
    mail.send(email, "sign_in", context, gettext("Your sign-in link"))


def sign_in(token: str) -> LearnerAccount | None:
    """Use a sign-in link: the wallet of its address (made now if new), or None when the link
    is unknown, used or expired (the caller does not say which)."""
    state, link = links.take(token, LinkPurpose.SIGN_IN)
    if state is not LinkState.LIVE or link is None or not link.email:
        return None
    account, _created = account_for(link.email)
    matching.sync_entries(account)
    return account


@dataclass(frozen=True)
class Verified:
    account: LearnerAccount | None
    #: Why not: "taken" (another wallet verified it), "gone" (the address was removed).
    problem: str = ""


def add_address(account: LearnerAccount, email: str) -> LearnerAddress:
    """Add ``email`` (checked) to the account, unverified, and mail it a verification link.
    Adding it again sends a new link; an address verified already is left as it is."""
    digest = address_hash(email)
    address, _ = LearnerAddress.objects.get_or_create(
        account=account, identifier_hash=digest, defaults={"email": email.strip()}
    )
    if address.verified is not None:
        return address
    lifetime = verify_lifetime()
    _link, token = links.make(
        LinkPurpose.VERIFY_ADDRESS, digest, lifetime, email=email.strip(), address=address
    )
    url = identity.base_url() + reverse("wallet:verify-address", args=[token])
    context = {"url": url, "hours": int(lifetime.total_seconds() // 3600)}
    mail.send(email, "verify_address", context, gettext("Confirm your address"))
    return address


def verify_address(token: str) -> Verified | None:
    """Use a verification link; None when unknown, used or expired."""
    state, link = links.take(token, LinkPurpose.VERIFY_ADDRESS)
    if state is not LinkState.LIVE or link is None:
        return None
    address = LearnerAddress.objects.select_related("account").filter(pk=link.address_id).first()
    if address is None:
        return Verified(None, "gone")
    if address.verified is None:
        try:
            with transaction.atomic():
                LearnerAddress.objects.filter(pk=address.pk).update(verified=timezone.now())
        except IntegrityError:
            return Verified(address.account, "taken")
    matching.sync_entries(address.account)
    return Verified(address.account)


def remove_address(account: LearnerAccount, address_id: int) -> str:
    """Remove one of the account's addresses; "" when done, else why not ("last", "none").
    The last verified address stays: without it the learner could not sign in again."""
    address = LearnerAddress.objects.filter(account=account, pk=address_id).first()
    if address is None:
        return "none"
    if (
        address.verified is not None
        and not LearnerAddress.objects.filter(account=account, verified__isnull=False)
        .exclude(pk=address.pk)
        .exists()
    ):
        return "last"
    address.delete()
    return ""


__all__ = [
    "Verified",
    "add_address",
    "checked_email",
    "remove_address",
    "send_sign_in",
    "sign_in",
    "verify_address",
]
