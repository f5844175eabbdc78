"""Bulk issuing from a CSV of learners: resumable, idempotent, one transaction per batch.

Learners are taken in batches (:data:`BATCH_SIZE`). For each batch, the learners already
issued are looked up in one query; the others get their status indexes in a few statements,
are signed, and are recorded with one insert, all in one transaction: a run killed half way
leaves whole batches behind and nothing else, and running it again issues the rest (no
duplicates, no gaps), because issuing is idempotent on (specification, learner identifier).
A batch that cannot go through whole (a concurrent run issued one of its learners, a
credential that cannot be signed) is redone learner by learner with
:func:`~microcred_web.issuing.issue.issue_credential`, so one bad row never costs the others.
Every credential, new or found, is written to ``<out>/<record id>.json`` (if not there yet)
through a temporary file and a rename, after its batch committed, by a writer process
(:mod:`~microcred_web.issuing.files`), so the output directory is complete after a
successful run. Half of each batch is signed by a signing process
(:mod:`~microcred_web.issuing.signing`) while this process signs the other half.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson
from django.db import IntegrityError, transaction

from microcred_web.core.private_files import private_dir
from microcred_web.issuing import audit
from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.files import FileWriter
from microcred_web.issuing.issue import (
    DEFAULT_CRYPTOSUITE,
    Issuance,
    IssueOutcome,
    IssuingRun,
    Learner,
    _delivery,
    check_learner,
    issue_credential,
    prepare,
    subject_ids,
)
from microcred_web.issuing.models import IssuedCredentialRecord, StatusAllocation, StatusPurpose
from microcred_web.issuing.signing import SigningError, SigningPool
from microcred_web.issuing.status import allocate_many
from microcred_web.register.models import Specification

IDENTIFIER_COLUMNS = ("identifier", "learner", "email", "id")
#: Learners per transaction: large enough that per-statement costs vanish, small enough that
#: a kill loses little work and a batch's signed credentials stay a few MB.
BATCH_SIZE = 200
#: New credentials in a batch from which a share goes to the signing process (below it, the
#: process's start-up and the hand-over cost more than they save), and that share: the parent
#: also does the database work, the child's core also writes the files.
SHARE_FROM = 50
CHILD_SHARE = 0.5
NAME_COLUMNS = ("name", "full_name")


@dataclass
class BulkReport:
    total: int = 0
    issued: int = 0
    existing: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    #: (line, credential id ``urn:uuid:...``, newly issued?) for every learner not refused
    credentials: list[tuple[int, str, bool]] = field(default_factory=list)
    #: (line, first line) for every learner listed again in the same file: harmless (the
    #: learner gets one credential, the repeat counts as already issued) but worth a look.
    repeated: list[tuple[int, int]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.issued + self.existing + len(self.failed)


#: Optional columns besides the identifier and the name, as the Learner fields they fill.
DETAIL_COLUMNS = (
    "scheme",
    "given_name",
    "family_name",
    "date_of_birth",
    "grade",
    "achieved_on",
)
KNOWN_COLUMNS = (*IDENTIFIER_COLUMNS, *NAME_COLUMNS, *DETAIL_COLUMNS)


def read_learners(stream: TextIO) -> Iterator[tuple[int, Learner]]:
    """``(line number, Learner)`` for each data row of a CSV with a header line.

    The identifier column is the first of ``identifier``, ``learner``, ``email``, ``id``
    present; the name column (optional) ``name`` or ``full_name``; the optional
    :data:`DETAIL_COLUMNS` fill the rest (dates as YYYY-MM-DD, checked with the row). An
    ``email`` identifier column claims the scheme ``email`` for rows without a scheme. A
    column of any other name is refused before anything is issued: a typo ("grdae") must not
    silently drop every learner's grade.
    """
    reader = csv.DictReader(stream)
    columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
    by_lower = dict(zip(columns, reader.fieldnames or [], strict=True))
    id_key = next((c for c in IDENTIFIER_COLUMNS if c in by_lower), None)
    if id_key is None:
        raise IssuingError(
            "learners-file-no-identifier",
            f"the learners file needs a header with one of {', '.join(IDENTIFIER_COLUMNS)}",
        )
    unknown = [
        name or f"(unnamed column {n})"
        for n, name in enumerate(columns, start=1)
        if name not in KNOWN_COLUMNS
    ]
    if unknown:
        raise IssuingError(
            "learners-file-unknown-column",
            f"the learners file has unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}; the columns are {', '.join(KNOWN_COLUMNS)}",
        )
    id_column = by_lower[id_key]
    name_column = next((by_lower[c] for c in NAME_COLUMNS if c in by_lower), None)
    default_scheme = "email" if id_key == "email" else None
    for row in reader:
        identifier = (row.get(id_column) or "").strip()
        if not identifier and not any(
            (value or "").strip() for value in row.values() if isinstance(value, str)
        ):
            continue  # blank line
        name = (row.get(name_column) or "").strip() if name_column else ""
        details = {
            column: (row.get(by_lower[column]) or "").strip() or None
            for column in DETAIL_COLUMNS
            if column in by_lower
        }
        details["scheme"] = details.get("scheme") or default_scheme
        yield reader.line_num, Learner(identifier, name or None, **details)  # type: ignore[arg-type]


def issue_many(
    user: Any,
    specification: Specification,
    learners: Iterable[tuple[int, Learner]],
    out_dir: Path | None,
    *,
    cryptosuite: str = DEFAULT_CRYPTOSUITE,
    total: int = 0,
    progress: Callable[[BulkReport], None] | None = None,
    batch_size: int | None = None,
) -> BulkReport:
    """Issue to every learner; a row that is refused is reported and the run goes on.

    Each credential is written to ``out_dir`` (the CLI) or, with ``out_dir=None`` (the API),
    only listed in the report, from which the API client fetches what it needs.

    Problems that concern every row alike stop the run before anything is issued: no
    permission (:class:`PermissionDenied`), a specification that is not published or does
    not validate, an unknown cryptosuite (:class:`IssuingError`).
    """
    run = prepare(user, specification, cryptosuite)
    if out_dir is not None:
        private_dir(out_dir)  # the learners' files hold their names: 0700, files 0600
    report = BulkReport(total=total)
    used: dict[int, set[int]] = {}
    # Files are written by a writer process while the next batch is signed. Leaving the block
    # waits for every write, on success and on a crash alike, so every committed credential
    # has its file; a failed write stops the run.
    with ExitStack() as stack:
        writer = stack.enter_context(FileWriter(out_dir)) if out_dir is not None else None
        pool = stack.enter_context(SigningPool(run.signer))
        written: set[str] = set()
        first_line: dict[str, int] = {}
        for batch in _batches(learners, batch_size or BATCH_SIZE):
            files: list[tuple[str, bytes]] = []
            checked: list[tuple[int, Learner]] = []
            for line, learner in batch:
                try:
                    checked.append((line, check_learner(learner, run.signer.spec)))
                    first = first_line.setdefault(checked[-1][1].identifier, line)
                    if first != line:
                        report.repeated.append((line, first))
                except IssuingError as error:
                    report.failed.append((line, f"{error.code}: {error.message}"))
                    if progress is not None:
                        progress(report)
            try:
                outcomes: list[IssueOutcome | IssuingError] = list(
                    issue_batch(run, [learner for _, learner in checked], used, pool)
                )
            except (IssuingError, IntegrityError):
                used.clear()
                outcomes = [_one(run, learner) for _, learner in checked]
            for (line, _), outcome in zip(checked, outcomes, strict=True):
                if isinstance(outcome, IssuingError):
                    report.failed.append((line, f"{outcome.code}: {outcome.message}"))
                else:
                    record_id = str(outcome.record.public_id)
                    report.credentials.append((line, f"urn:uuid:{record_id}", outcome.created))
                    if writer is not None and record_id not in written:
                        written.add(record_id)  # a learner listed twice: one file, once
                        files.append((f"{record_id}.json", _file_bytes(outcome.credential)))
                    if outcome.created:
                        report.issued += 1
                    else:
                        report.existing += 1
                if progress is not None:
                    progress(report)
            if writer is not None:
                writer.submit(files)
    _audit_run(run, report)
    return report


def _audit_run(run: IssuingRun, report: BulkReport) -> None:
    """One row for the finished run, with its counts (each credential has its own row)."""
    lines = [line for line, _, _ in report.credentials] + [line for line, _ in report.failed]
    audit.record_event(
        run.user,
        "issue-bulk",
        f"specification {run.specification.public_id}",
        details={
            "specification": run.specification.public_id,
            "provider": run.specification.provider.slug,
            "rows": report.done,
            "issued": report.issued,
            "existing": report.existing,
            "refused": len(report.failed),
            "repeated": len(report.repeated),
            "lines": [min(lines), max(lines)] if lines else [],
        },
    )


def _file_bytes(credential: dict[str, Any]) -> bytes:
    """The learner's copy: compact JSON, as issued (orjson keeps the key order)."""
    return orjson.dumps(credential) + b"\n"


def issue_batch(
    run: IssuingRun,
    learners: list[Learner],
    used: dict[int, set[int]],
    pool: SigningPool | None = None,
) -> list[IssueOutcome]:
    """Issue to checked learners in one transaction, in order; found ones are returned as is.

    A learner listed twice is issued once (the second is "already issued"). Raises
    :class:`IssuingError` or :class:`IntegrityError` with nothing written when the batch cannot
    go through whole; the caller then goes learner by learner.
    """
    specification = run.specification
    hashes = [run.identifier_key.hash(learner.identifier) for learner in learners]
    found = {
        record.learner_hash: record
        for record in IssuedCredentialRecord.objects.filter(
            specification=specification, learner_hash__in=set(hashes)
        )
    }
    fresh: dict[str, Learner] = {}
    for learner, hashed in zip(learners, hashes, strict=True):
        if hashed not in found:
            fresh.setdefault(hashed, learner)
    created: dict[str, IssuedCredentialRecord] = {}
    if fresh:
        provider = specification.provider
        with transaction.atomic():
            now = run.now()
            revocations = allocate_many(provider, StatusPurpose.REVOCATION, len(fresh), used)
            suspensions: list[StatusAllocation | None] = (
                list(allocate_many(provider, StatusPurpose.SUSPENSION, len(fresh), used))
                if run.suspension
                else [None] * len(fresh)
            )
            subjects = subject_ids(run.identifier_key, list(fresh.values()))
            items = [
                Issuance(learner, uuid.uuid4(), now, revocation, suspension, subject)
                for (_, learner), revocation, suspension, subject in zip(
                    fresh.items(), revocations, suspensions, subjects, strict=True
                )
            ]
            for hashed, item, signed in zip(fresh, items, _sign(run, items, pool), strict=True):
                created[hashed] = run.record(item, signed)
            IssuedCredentialRecord.objects.bulk_create(list(created.values()))
            audit.record_many([audit.event(**run.audit(r, bulk=True)) for r in created.values()])
            _delivery().issued([(created[h], fresh[h]) for h in created], key=run.identifier_key)
    if found:  # issued before (a resumed run): claim messages that did not go out go now
        again = {h: learner for h, learner in zip(hashes, learners, strict=True) if h in found}
        _delivery().found(
            [(found[h], learner) for h, learner in again.items()], key=run.identifier_key
        )
    outcomes = []
    for hashed in hashes:
        record = created.pop(hashed, None)
        if record is not None:  # its first mention in the batch
            found[hashed] = record
            outcomes.append(IssueOutcome(record, record.credential, created=True))
        else:
            record = found[hashed]
            outcomes.append(IssueOutcome(record, dict(record.credential), created=False))
    return outcomes


def _sign(run: IssuingRun, items: list[Issuance], pool: SigningPool | None) -> list[dict[str, Any]]:
    """Sign a batch's credentials, a share of them in the signing process when it is worth it.

    The parent signs its share while the child signs the other, then takes the child's: both
    cores work, and everything still lands in the batch's one transaction.
    """
    if pool is None or len(items) < SHARE_FROM:
        return [run.sign(item) for item in items]
    remote = round(len(items) * CHILD_SHARE)
    future = pool.submit([run.job(item) for item in items[:remote]])
    local = [run.sign(item) for item in items[remote:]]
    try:
        signed = SigningPool.credentials(future)
    except (SigningError, BrokenProcessPool) as error:
        raise IssuingError("signing-failed", f"the credential cannot be signed: {error}") from None
    return signed + local


def _one(run: IssuingRun, learner: Learner) -> IssueOutcome | IssuingError:
    try:
        return issue_credential(run.user, run.specification, learner, run.cryptosuite, run=run)
    except IssuingError as error:
        return error


def _batches(rows: Iterable[tuple[int, Learner]], size: int) -> Iterator[list[tuple[int, Learner]]]:
    batch: list[tuple[int, Learner]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return sum(1 for _ in read_learners(stream))
