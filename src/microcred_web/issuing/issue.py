"""Issuing one credential: the rules behind the API, the bulk command and (later) the pages.

``issue_credential`` checks the permission (staff of the specification's provider, or an
operator) and that the specification is published without errors, then in one transaction:
takes the provider's active key, allocates a revocation and a suspension index, builds the
Open Badges 3.0 credential with the core mapper, signs it, and records it. It is idempotent on
(specification, learner identifier): the learner identifier is stored only as a keyed hash
(HMAC under the instance's learner-identifier key, never SECRET_KEY: see
:mod:`~microcred_web.issuing.identifier`), and a second call returns the first record unchanged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.credentials.data_integrity import CRYPTOSUITES
from microcred.credentials.errors import CredentialError
from microcred.credentials.identifier_key import IdentifierKey
from microcred.credentials.keystore import KeystoreError
from microcred.credentials.learner_identity import new_salt
from microcred.credentials.obv3 import pick_language
from microcred.credentials.obv3_build import build_achievement
from microcred.standard.learner_checks import LearnerInputError, check_grade, check_identifier
from microcred.standard.model import LangMap, MicroCredentialSpec
from microcred.standard.validation import parse_spec
from microcred_web.issuing import identifier, identity
from microcred_web.issuing import identifier as _identifier_keys
from microcred_web.issuing.audit import record_event
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.keys import ensure_key, signing_pair, unavailable
from microcred_web.issuing.models import (
    IssuedCredentialRecord,
    ProviderKey,
    StatusAllocation,
    StatusPurpose,
)
from microcred_web.issuing.signing import Signer, SigningJob
from microcred_web.issuing.status import allocate, entry_for
from microcred_web.register import permissions
from microcred_web.register.models import Specification

DEFAULT_CRYPTOSUITE = "eddsa-rdfc-2022"
MAX_IDENTIFIER_LENGTH = 320
MAX_NAME_LENGTH = 300


@dataclass(frozen=True)
class Learner:
    """One learner's credential to issue: who (identification, Annex I) and what they achieved.

    ``scheme`` is what the identifier claims to be (:data:`learner_checks.SCHEMES`; inferred
    when None). ``grade`` is checked against the specification's grade scheme;
    ``achieved_on`` is the date of achievement when it is not the date of issuing.
    """

    identifier: str
    name: str | None = None
    scheme: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    #: Dates may come as text (a CSV cell, YYYY-MM-DD): :func:`check_learner` reads them.
    date_of_birth: date | str | None = None
    grade: str | None = None
    achieved_on: date | str | None = None


@dataclass(frozen=True)
class IssueOutcome:
    record: IssuedCredentialRecord
    credential: dict[str, Any]
    created: bool


def learner_hash(identifier: str, key: IdentifierKey | None = None) -> str:
    """Keyed hash of a learner identifier (HMAC-SHA256 under the learner-identifier key).

    Keyed so that a database dump does not let anyone confirm a guessed e-mail address. The
    key is ``MICROCRED_IDENTIFIER_KEY`` (or ``_FILE``), checked against the fingerprint the
    database recorded (:func:`identifier.usable_key`) unless the caller passes a checked one.
    """
    # (the parameter shadows the ``identifier`` module here)
    return (key or _identifier_keys.usable_key()).hash(identifier)


def _name(value: str | None, field: str) -> str | None:
    name = (value or "").strip() or None
    if name is not None and len(name) > MAX_NAME_LENGTH:
        raise IssuingError(
            f"learner-{field.replace('_', '-')}-too-long",
            f"the learner's {field.replace('_', ' ')} is longer than {MAX_NAME_LENGTH} characters",
            field=field,
        )
    return name


def check_learner(learner: Learner, spec: MicroCredentialSpec | None = None) -> Learner:
    """The learner trimmed and checked; IssuingError (naming the field) if anything is unusable.

    The identifier is checked for what its scheme claims (an e-mail address must be one);
    with ``spec``, the grade against its grade scheme. Dates are checked against today (the
    issue date): a date of birth or of achievement in the future is refused.
    """
    identifier = (learner.identifier or "").strip()
    if len(identifier) > MAX_IDENTIFIER_LENGTH:
        raise IssuingError(
            "learner-identifier-too-long",
            f"the learner identifier is longer than {MAX_IDENTIFIER_LENGTH} characters",
            field="identifier",
        )
    try:
        identifier, scheme = check_identifier(identifier, learner.scheme)
        grade = learner.grade
        if grade is not None:
            grade = check_grade(grade, spec.grade_scheme if spec is not None else None)
    except LearnerInputError as error:
        raise IssuingError(error.code, error.message, field=error.field) from None
    born = _day(learner.date_of_birth, "date_of_birth")
    achieved = _day(learner.achieved_on, "achieved_on")
    if born is not None and achieved is not None and achieved < born:
        raise IssuingError(
            "learner-achieved-on-before-birth",
            f"the date of achievement {achieved} is before the date of birth {born}",
            field="achieved_on",
        )
    return replace(
        learner,
        date_of_birth=born,
        achieved_on=achieved,
        identifier=identifier,
        scheme=scheme,
        name=_name(learner.name, "name"),
        given_name=_name(learner.given_name, "given_name"),
        family_name=_name(learner.family_name, "family_name"),
        grade=grade,
    )


_DATE_WORDS = {"date_of_birth": "date of birth", "achieved_on": "date of achievement"}


def display_name(learner: Learner) -> str:
    """The name staff see in the issued list: ``name``, else "given family" (may be "")."""
    if learner.name:
        return learner.name
    return " ".join(part for part in (learner.given_name, learner.family_name) if part)


def _day(value: date | str | None, field: str) -> date | None:
    """A date field read (from text too) and checked: not in the future (the issue date)."""
    if value is None or value == "":
        return None
    words = _DATE_WORDS[field]
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise IssuingError(
                f"learner-{field.replace('_', '-')}-malformed",
                f"the {words} {value!r} is not a date (YYYY-MM-DD)",
                field=field,
            ) from None
    if value > timezone.now().date():
        raise IssuingError(
            f"learner-{field.replace('_', '-')}-in-future",
            f"the {words} {value.isoformat()} is in the future",
            field=field,
        )
    return value


def grade_map(spec: MicroCredentialSpec, grade: str | None) -> LangMap | None:
    """The grade as a language map, in the language the specification's title is written in
    first (the issuer writes the grade once, in the credential's language)."""
    if grade is None:
        return None
    picked = pick_language(spec.title)
    return {(picked[0] if picked else "en"): grade}


def achieved_at(day: date | str | None) -> datetime | None:
    """The date of achievement (checked) as a date-time: midnight UTC, the day stated."""
    if not isinstance(day, date):
        return None
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def subject_ids(key: IdentifierKey, learners: list[Learner]) -> list[str | None]:
    """Each learner's ``credentialSubject.id``: its DID, or the holder DID of the wallet that
    verified its address (the wallet's rule, :func:`microcred_web.wallet.holder.subject_ids`;
    one query for the list). ``kek-unavailable`` when a holder key cannot be made."""
    from microcred_web.wallet.holder import subject_ids as wallet_subject_ids

    return wallet_subject_ids(key, learners)


def find_existing(
    specification: Specification, identifier: str, key: IdentifierKey | None = None
) -> IssuedCredentialRecord | None:
    return IssuedCredentialRecord.objects.filter(
        specification=specification, learner_hash=learner_hash(identifier, key)
    ).first()


@dataclass(frozen=True)
class Issuance:
    """One credential in the making: for whom, its id, its time, its status indexes."""

    learner: Learner
    public_id: uuid.UUID
    now: datetime
    revocation: StatusAllocation
    suspension: StatusAllocation | None = None
    #: ``credentialSubject.id`` (see :func:`subject_ids`).
    subject_id: str | None = None


@dataclass(frozen=True)
class IssuingRun:
    """What every credential of one (user, specification, cryptosuite) shares, prepared once.

    The bulk path signs thousands of credentials with it: the permission, the publication
    state, the parsed specification, the provider's key (unsealed once), the issuer profile
    and the Achievement are the same for all of them; what signing needs of them is the
    :class:`Signer`, which a signing process can take.
    """

    user: Any
    specification: Specification
    key: ProviderKey
    signer: Signer
    #: The learner-identifier key, checked against the database's fingerprint once per run.
    identifier_key: IdentifierKey
    #: Whether credentials get a suspension entry besides the revocation one (the setting
    #: ``MICROCRED_STATUS_SUSPENSION``; OBv3 3.0 allows one ``credentialStatus``).
    suspension: bool = False

    @property
    def cryptosuite(self) -> str:
        return self.signer.cryptosuite

    def now(self) -> datetime:
        """The issue time: now, to the second, never before the key existed."""
        return max(timezone.now().replace(microsecond=0), self.key.created)

    def job(self, item: Issuance) -> SigningJob:
        """What signing needs of one credential (status entries resolved here)."""
        learner = item.learner
        return SigningJob(
            identifier=learner.identifier,
            name=learner.name,
            scheme=None if learner.scheme in (None, "other") else learner.scheme,
            given_name=learner.given_name,
            family_name=learner.family_name,
            date_of_birth=learner.date_of_birth
            if isinstance(learner.date_of_birth, date)
            else None,
            grade=grade_map(self.signer.spec, learner.grade),
            achieved_on=achieved_at(learner.achieved_on),
            public_id=str(item.public_id),
            now=item.now,
            status_entries=tuple(
                entry_for(allocation)
                for allocation in (item.revocation, item.suspension)
                if allocation is not None
            ),
            salt=new_salt(),
            subject_id=item.subject_id,
        )

    def sign(self, item: Issuance) -> dict[str, Any]:
        """The signed Open Badges 3.0 credential of one learner."""
        try:
            return self.signer.sign(self.job(item))
        except CredentialError as error:
            raise IssuingError(
                "signing-failed", f"the credential cannot be signed: {error}"
            ) from None

    def audit(self, record: IssuedCredentialRecord, **details: Any) -> dict[str, Any]:
        """The audit row of one issued credential (no learner data: the credential's id)."""
        return {
            "user": self.user,
            "action": "issue",
            "target": f"credential {record.public_id}",
            "details": {
                "specification": self.specification.public_id,
                "provider": self.specification.provider.slug,
                **details,
            },
        }

    def record(self, item: Issuance, signed: dict[str, Any]) -> IssuedCredentialRecord:
        """The (unsaved) record of one issued credential."""
        user = self.user
        return IssuedCredentialRecord(
            public_id=item.public_id,
            provider=self.specification.provider,
            specification=self.specification,
            learner_hash=self.identifier_key.hash(item.learner.identifier),
            learner_name=display_name(item.learner),
            issued_at=item.now,
            issued_by=user if getattr(user, "is_authenticated", False) else None,
            key=self.key,
            cryptosuite=self.cryptosuite,
            revocation=item.revocation,
            suspension=item.suspension,
            credential=signed,
        )


def prepare(
    user: Any, specification: Specification, cryptosuite: str = DEFAULT_CRYPTOSUITE
) -> IssuingRun:
    """Check that ``user`` may issue ``specification`` with ``cryptosuite``, and get ready.

    Raises :class:`PermissionDenied` or :class:`IssuingError` (``specification-not-published``,
    ``specification-invalid``, ``cryptosuite-unknown``).
    """
    provider = specification.provider
    permissions.require(
        permissions.can_issue(user, provider),
        f"issue credentials of {provider.slug} (its issuers and admins only)",
    )
    if not specification.in_catalogue:
        raise IssuingError(
            "specification-not-published",
            f"{specification.public_id} is not published without errors; only published "
            "specifications can be issued",
        )
    if cryptosuite not in CRYPTOSUITES:
        raise IssuingError(
            "cryptosuite-unknown",
            f"unknown cryptosuite {cryptosuite!r}; use one of {sorted(CRYPTOSUITES)}",
        )
    spec, report = parse_spec(specification.data)
    if spec is None or not report.ok:
        raise IssuingError(
            "specification-invalid", f"{specification.public_id} does not validate; fix it first"
        )
    identifier_key = identifier.usable_key()
    try:
        key = ensure_key(provider)
        pair = signing_pair(key)
    except KeystoreError as error:
        raise unavailable(error) from None
    issuer: dict[str, Any] = {
        "id": identity.did_for_provider(provider),
        "type": ["Profile"],
        "name": provider.name(),
    }
    if provider.website:
        issuer["url"] = provider.website
    achievement_id = f"{identity.base_url()}/catalogue/specifications/{specification.public_id}/"
    try:
        achievement = build_achievement(spec, issuer, achievement_id)
    except CredentialError as error:
        raise IssuingError(
            "specification-invalid", f"{specification.public_id} cannot be issued: {error}"
        ) from None
    signer = Signer(
        spec=spec,
        issuer=issuer,
        achievement_id=achievement_id,
        achievement=achievement,
        method=identity.verification_method(provider, key.key_id),
        cryptosuite=cryptosuite,
        pair=pair,
    )
    return IssuingRun(
        user=user,
        specification=specification,
        key=key,
        signer=signer,
        identifier_key=identifier_key,
        suspension=bool(getattr(settings, "MICROCRED_STATUS_SUSPENSION", False)),
    )


def issue_credential(
    user: Any,
    specification: Specification,
    learner: Learner,
    cryptosuite: str = DEFAULT_CRYPTOSUITE,
    run: IssuingRun | None = None,
    *,
    notify: bool = True,
) -> IssueOutcome:
    """Issue (or return the already issued) credential of ``specification`` to ``learner``.

    Raises :class:`PermissionDenied` or :class:`IssuingError` (``specification-not-published``,
    ``cryptosuite-unknown``, learner problems, ``signing-failed``). ``run`` is a prepared
    :class:`IssuingRun` for the same user, specification and cryptosuite, if the caller has one.
    A learner identified by an e-mail address is sent a claim message after the commit
    (``notify=False``: not; :mod:`microcred_web.wallet.delivery`).
    """
    if run is None:
        run = prepare(user, specification, cryptosuite)
    learner = check_learner(learner, run.signer.spec)
    existing = find_existing(specification, learner.identifier, run.identifier_key)
    if existing is not None:
        _delivery().found([(existing, learner)], key=run.identifier_key)
        return IssueOutcome(existing, dict(existing.credential), created=False)
    try:
        with transaction.atomic():
            item = Issuance(
                learner,
                uuid.uuid4(),
                run.now(),
                allocate(specification.provider, StatusPurpose.REVOCATION),
                (
                    allocate(specification.provider, StatusPurpose.SUSPENSION)
                    if run.suspension
                    else None
                ),
                subject_ids(run.identifier_key, [learner])[0],
            )
            signed = run.sign(item)
            record = run.record(item, signed)
            record.save()
            record_event(**run.audit(record))
            _delivery().issued([(record, learner)], notify=notify, key=run.identifier_key)
            return IssueOutcome(record, signed, created=True)
    except IntegrityError:
        # Another process issued the same (specification, learner) meanwhile.
        existing = find_existing(specification, learner.identifier, run.identifier_key)
        if existing is None:
            raise
        return IssueOutcome(existing, dict(existing.credential), created=False)


def _delivery() -> Any:
    """The wallet's delivery of claim messages (imported late: the wallet builds on issuing)."""
    from microcred_web.wallet import delivery

    return delivery
