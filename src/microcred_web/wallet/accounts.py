"""Learner accounts made from e-mail addresses, and how an address is hashed for matching.

Addresses are compared lower-cased: ``Ada@Example.eu`` and ``ada@example.eu`` are one learner
(no mail provider in use treats the local part's case as significant). The issuing records
keep the hash of the identifier as the issuer typed it, unchanged, so that issuing stays
idempotent for records made before; a learner's address therefore matches a record whose
``learner_hash`` is the hash of the lower-cased address or of the address as the learner
typed it, and every credential issued since the wallet exists also carries the hash of the
lower-cased address in its delivery row (:mod:`~microcred_web.wallet.matching`).

A learner is a Django user of its own, named ``learner-<uuid>``, with no usable password and a
:class:`LearnerAccount`; the address is never the user name or ``User.email``, so signing in
by link can never reach a staff account (staff sign in with passwords at /accounts/).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.credentials.identifier_key import IdentifierKey
from microcred.standard.learner_checks import LearnerInputError, check_identifier
from microcred_web.issuing.issue import MAX_IDENTIFIER_LENGTH, learner_hash
from microcred_web.register.models import Membership
from microcred_web.wallet.models import LearnerAccount, LearnerAddress


class AddressError(ValueError):
    """An address that cannot be used (the message names what is wrong)."""


def checked_email(value: str) -> str:
    """The address trimmed and checked to be one; :class:`AddressError` if not."""
    text = (value or "").strip()
    if len(text) > MAX_IDENTIFIER_LENGTH:
        raise AddressError(f"the address is longer than {MAX_IDENTIFIER_LENGTH} characters")
    try:
        return check_identifier(text, "email")[0]
    except LearnerInputError as error:
        raise AddressError(error.message) from None


def canonical(email: str) -> str:
    return email.strip().lower()


def address_hash(email: str, key: IdentifierKey | None = None) -> str:
    """The hash an address is known by in the wallet: of the lower-cased address (``key``:
    the identifier key checked already, as a bulk run has it)."""
    return learner_hash(canonical(email), key)


def hashes_of(email: str) -> set[str]:
    """Every ``learner_hash`` an issuer may have recorded for this address."""
    return {learner_hash(canonical(email)), learner_hash(email.strip())}


def is_staff_user(user: Any) -> bool:
    """Staff (a membership, or Django's staff flags) never become learners."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists())


def owner_of(identifier_hash: str) -> LearnerAccount | None:
    """The account that verified the address of ``identifier_hash``, if any."""
    address = (
        LearnerAddress.objects.select_related("account__user")
        .filter(identifier_hash=identifier_hash, verified__isnull=False)
        .first()
    )
    return address.account if address is not None else None


def account_for(email: str) -> tuple[LearnerAccount, bool]:
    """The account of a verified ``email``, made now with the address verified if none
    exists; ``(account, created)``. Two requests making it at once get the same account."""
    digest = address_hash(email)
    found = owner_of(digest)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            user = get_user_model().objects.create(username=f"learner-{uuid.uuid4()}")
            user.set_unusable_password()
            user.save(update_fields=["password"])
            account = LearnerAccount.objects.create(user=user)
            LearnerAddress.objects.create(
                account=account,
                email=email.strip(),
                identifier_hash=digest,
                verified=timezone.now(),
            )
    except IntegrityError:
        found = owner_of(digest)
        if found is None:
            raise
        return found, False
    return account, True
