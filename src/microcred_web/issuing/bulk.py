"""Bulk issuing from a CSV of learners: resumable, idempotent, one transaction per learner.

Each row goes through :func:`~microcred_web.issuing.issue.issue_credential`, which is
idempotent on (specification, learner identifier), and commits on its own: a run killed half
way leaves only whole credentials behind, and running it again issues the rest (no duplicates,
no gaps). Every credential, new or found, is (re)written to ``<out>/<record id>.json`` through
a temporary file and a rename, so the output directory is complete after a successful run.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from microcred_web.issuing.errors import IssuingError
from microcred_web.issuing.issue import DEFAULT_CRYPTOSUITE, Learner, issue_credential
from microcred_web.register.models import Specification

IDENTIFIER_COLUMNS = ("identifier", "learner", "email", "id")
NAME_COLUMNS = ("name", "full_name")


@dataclass
class BulkReport:
    total: int = 0
    issued: int = 0
    existing: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.issued + self.existing + len(self.failed)


def read_learners(stream: TextIO) -> Iterator[tuple[int, Learner]]:
    """``(line number, Learner)`` for each data row of a CSV with a header line.

    The identifier column is the first of ``identifier``, ``learner``, ``email``, ``id``
    present; the name column (optional) ``name`` or ``full_name``.
    """
    reader = csv.DictReader(stream)
    columns = [name.strip().lower() for name in reader.fieldnames or []]
    by_lower = dict(zip(columns, reader.fieldnames or [], strict=True))
    id_column = next((by_lower[c] for c in IDENTIFIER_COLUMNS if c in by_lower), None)
    if id_column is None:
        raise IssuingError(
            "learners-file-no-identifier",
            f"the learners file needs a header with one of {', '.join(IDENTIFIER_COLUMNS)}",
        )
    name_column = next((by_lower[c] for c in NAME_COLUMNS if c in by_lower), None)
    for row in reader:
        identifier = (row.get(id_column) or "").strip()
        if not identifier and not any((value or "").strip() for value in row.values()):
            continue  # blank line
        name = (row.get(name_column) or "").strip() if name_column else ""
        yield reader.line_num, Learner(identifier, name or None)


def write_credential(out_dir: Path, record_id: str, credential: dict[str, Any]) -> Path:
    target = out_dir / f"{record_id}.json"
    temporary = out_dir / f".{record_id}.json.tmp"
    temporary.write_text(json.dumps(credential, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, target)
    return target


def issue_many(
    user: Any,
    specification: Specification,
    learners: Iterable[tuple[int, Learner]],
    out_dir: Path,
    *,
    cryptosuite: str = DEFAULT_CRYPTOSUITE,
    total: int = 0,
    progress: Callable[[BulkReport], None] | None = None,
) -> BulkReport:
    """Issue to every learner; a row that is refused is reported and the run goes on.

    Permission problems (:class:`PermissionDenied`) stop the run at once: they concern every
    row alike.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    report = BulkReport(total=total)
    for line, learner in learners:
        try:
            outcome = issue_credential(user, specification, learner, cryptosuite)
        except IssuingError as error:
            report.failed.append((line, f"{error.code}: {error.message}"))
        else:
            write_credential(out_dir, str(outcome.record.public_id), outcome.credential)
            if outcome.created:
                report.issued += 1
            else:
                report.existing += 1
        if progress is not None:
            progress(report)
    return report


def count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return sum(1 for _ in read_learners(stream))
