"""Building and signing one credential, and a process that signs part of each bulk batch.

Why a process: signing (RDFC-1.0 canonicalisation and Ed25519) is most of a bulk run's CPU
time, and one Python process runs it on one core while the machine has two. A bulk batch
therefore hands part of its credentials to a child process and signs the rest itself, then
records them all in the batch's one transaction: what a kill leaves behind is unchanged
(whole batches, nothing else).

Both sides call :meth:`Signer.sign`, and Ed25519 is deterministic, so a credential is
byte-identical whichever process signed it (tested). The child is started as
:mod:`~microcred_web.issuing.processes` describes. The child receives the provider's secret
key once, through the pipe to it, and keeps it in memory only, as the parent does.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any

import orjson

from microcred.credentials.data_integrity import add_proof
from microcred.credentials.keys import KeyPair
from microcred.credentials.obv3_build import build_credential
from microcred.standard.model import IssuedCredential, LearnerIdentification, MicroCredentialSpec
from microcred_web.issuing.processes import spawn_worker


@dataclass(frozen=True)
class SigningJob:
    """One learner's credential to sign: everything decided for it, random salt included, so
    that the job alone determines the signed credential."""

    identifier: str
    name: str | None
    public_id: str
    now: datetime
    status_entries: tuple[dict[str, Any], ...]
    salt: str
    #: The identifier's scheme as the credential names it (None: a plain identifier).
    scheme: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    #: The grade achieved (a language map) and the date of achievement, when stated.
    grade: dict[str, str] | None = None
    achieved_on: datetime | None = None
    #: ``credentialSubject.id``: the learner's DID, or their wallet's holder DID (None: none).
    subject_id: str | None = None


@dataclass(frozen=True)
class Signer:
    """What every credential of a run shares; picklable (the key travels as its multibase)."""

    spec: MicroCredentialSpec
    issuer: dict[str, Any]
    achievement_id: str
    achievement: dict[str, Any] | None
    method: str
    cryptosuite: str
    pair: KeyPair

    def sign(self, job: SigningJob) -> dict[str, Any]:
        """The signed Open Badges 3.0 credential; raises CredentialError."""
        cred = IssuedCredential(
            learner=LearnerIdentification(
                identifier=job.identifier,
                identifier_scheme=job.scheme,
                name=job.name,
                given_name=job.given_name,
                family_name=job.family_name,
                date_of_birth=job.date_of_birth,
            ),
            issued_on=job.now,
            grade=job.grade,
            achieved_on=job.achieved_on,
            specification=self.spec,
        )
        unsigned = build_credential(
            cred,
            credential_id=f"urn:uuid:{job.public_id}",
            issuer=self.issuer,
            achievement_id=self.achievement_id,
            valid_from=job.now,
            status_entries=list(job.status_entries),
            identity_salt=job.salt,
            achievement=self.achievement,
            learner_subject_id=job.subject_id,
        )
        return add_proof(
            unsigned, self.pair, self.method, cryptosuite=self.cryptosuite, created=job.now
        )

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        fields = (self.spec, self.issuer, self.achievement_id, self.achievement, self.method)
        return (_signer, (*fields, self.cryptosuite, self.pair.secret_multibase))


def _signer(*fields: Any) -> Signer:
    *rest, secret = fields
    return Signer(*rest, pair=KeyPair.from_multibase(secret))


# -- the child's side ------------------------------------------------------------------------

_child_signer: Signer | None = None


def _start(signer: Signer) -> None:
    global _child_signer
    _child_signer = signer


def _sign_jobs(jobs: list[SigningJob]) -> list[bytes | str]:
    """Each job's credential as JSON bytes, or the error message of the one that failed."""
    assert _child_signer is not None
    results: list[bytes | str] = []
    for job in jobs:
        try:
            results.append(orjson.dumps(_child_signer.sign(job)))
        except Exception as error:  # reported to the parent, which decides what to do
            results.append(f"{type(error).__name__}: {error}")
    return results


# -- the parent's side -----------------------------------------------------------------------


class SigningError(Exception):
    """The child could not sign one of the credentials it was given."""


class SigningPool:
    """One child process signing for the parent; started at the first job given to it."""

    def __init__(self, signer: Signer) -> None:
        self._signer = signer
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> SigningPool:
        return self

    def submit(self, jobs: list[SigningJob]) -> Future[list[bytes | str]]:
        if self._pool is None:
            self._pool = spawn_worker(_start, (self._signer,))
        return self._pool.submit(_sign_jobs, jobs)

    @staticmethod
    def credentials(future: Future[list[bytes | str]]) -> list[dict[str, Any]]:
        """The signed credentials of a job list; SigningError if any could not be signed."""
        results = future.result()
        for result in results:
            if isinstance(result, str):
                raise SigningError(result)
        return [orjson.loads(result) for result in results]

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
