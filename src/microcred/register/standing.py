"""A provider's quality-assurance standing on a given date, computed from external QA results.

The answer is a graded finding with its reason, not a yes/no: a verifier or a learner needs to
know *why* a provider counts as quality assured (which agency, which activity, valid until
when) or why not (expired, negative, not covering micro-credentials, agency outside EQAR).

Rules, following the ESG 2015 and DEQAR's practice:
- only results valid on the date count (``valid_from <= date <= valid_until``);
- a positive institutional review that covers micro-credential provision covers every
  specification of the provider; a programme (or joint-programme) review covers the
  specifications it names;
- an agency registered in EQAR on the date works in line with the ESG; any other agency gives
  at most a warning-level standing;
- "positive with conditions" still assures quality, flagged as such;
- a later decision of the same agency on the same activity and subject *supersedes* the
  earlier one from the day it takes effect (its ``valid_from``), whatever either decided:
  a negative re-review ends a positive accreditation early; results of different agencies
  or different activities stand side by side (``docs/decisions/0019-which-qa-result-stands.md``);
- a result the register marks *withdrawn* (recorded in error, or withdrawn by its agency)
  counts on no date;
- of the results that stand, the best standing wins; ties go to the one valid longest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum


class Grade(IntEnum):
    """Ordered so that ``max`` picks the standing to report: assured best; a decision valid
    on the day (even negative) before one that has expired, as it is what holds then."""

    NONE = 0
    EXPIRED = 1
    NEGATIVE = 2
    NOT_COVERING = 3
    NON_EQAR_AGENCY = 4
    CONDITIONAL = 5
    ASSURED = 6

    @property
    def status(self) -> str:
        """The verification-check status this grade maps to."""
        if self is Grade.ASSURED:
            return "ok"
        if self is Grade.NEGATIVE:
            return "error"
        return "warning"

    @property
    def quality_assured(self) -> bool:
        return self >= Grade.NON_EQAR_AGENCY


ACTIVITY_LABELS = {
    "institutional": "Institutional review",
    "programme": "Programme review",
    "joint-programme": "Joint programme review",
    "other": "External QA",
}
DECISION_LABELS = {
    "positive": "positive",
    "positive-with-conditions": "positive with conditions",
    "negative": "negative",
    "not-applicable": "decision not applicable",
}


@dataclass(frozen=True)
class Agency:
    name: str
    eqar_registered_since: date | None = None
    eqar_registered_until: date | None = None
    #: The register's identifier of the agency; two results are "of the same agency" when
    #: their agencies share it (or, without one, their name).
    key: str = ""

    def same_as(self, other: Agency) -> bool:
        return (self.key or self.name) == (other.key or other.name)

    def eqar_registered_on(self, day: date) -> bool:
        since, until = self.eqar_registered_since, self.eqar_registered_until
        return since is not None and since <= day and (until is None or day <= until)


@dataclass(frozen=True)
class QAResult:
    agency: Agency
    activity: str  # institutional | programme | joint-programme | other
    decision: str  # positive | positive-with-conditions | negative | not-applicable
    valid_from: date
    valid_until: date | None = None
    covers_microcredentials: bool = False
    covered_specifications: frozenset[str] = field(default_factory=frozenset)
    report_url: str | None = None
    #: The register's identifier of the result (its public id), to name it in answers.
    key: str = ""
    #: The order in which the register recorded results: of two decisions taking effect on
    #: the same day, the one recorded later is the later decision.
    sequence: int = 0
    #: Withdrawn from the register (recorded in error, or withdrawn by its agency).
    withdrawn: bool = False

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def covers(self, specification: str | None) -> bool:
        if specification is not None and specification in self.covered_specifications:
            return True
        return self.activity == "institutional" and self.covers_microcredentials

    def statement(self) -> str:
        """E.g. "Institutional review by NVAO, positive, valid until 2029-05-31"."""
        until = f"valid until {self.valid_until.isoformat()}" if self.valid_until else "no end"
        activity = ACTIVITY_LABELS.get(self.activity, self.activity)
        decision = DECISION_LABELS.get(self.decision, self.decision)
        return f"{activity} by {self.agency.name}, {decision}, {until}"


@dataclass(frozen=True)
class Standing:
    grade: Grade
    reason: str
    basis: QAResult | None = None

    @property
    def status(self) -> str:
        return self.grade.status

    @property
    def quality_assured(self) -> bool:
        return self.grade.quality_assured


def superseded_by(
    result: QAResult, results: Iterable[QAResult], day: date, specification: str | None = None
) -> QAResult | None:
    """The result that supersedes ``result`` on ``day``, or ``None`` if it still stands.

    A later decision supersedes an earlier one when it is of the same agency, on the same
    activity and on the same subject, and has taken effect on ``day``. "Later" is the date it
    takes effect (``valid_from``), then the order of recording. The subject of an
    institutional review is the provider itself; that of a programme (or other) review is the
    specifications it names: for ``specification``, a later review naming it; for the
    provider as a whole, a later review naming at least every specification the earlier one
    named. Of several superseding results, the latest is given.
    """
    latest: QAResult | None = None
    for other in results:
        if (
            other is result
            or other.withdrawn
            or other.valid_from > day
            or not other.agency.same_as(result.agency)
            or other.activity != result.activity
            or _order(other) <= _order(result)
            or not _same_subject(result, other, specification)
        ):
            continue
        if latest is None or _order(other) > _order(latest):
            latest = other
    return latest


def standing_results(
    results: Iterable[QAResult], day: date, specification: str | None = None
) -> list[QAResult]:
    """The results that stand on ``day``: neither withdrawn nor superseded."""
    pool = [r for r in results if not r.withdrawn]
    return [r for r in pool if superseded_by(r, pool, day, specification) is None]


def standing_on(
    results: Iterable[QAResult], day: date, specification: str | None = None
) -> Standing:
    """The QA standing of a provider (or one of its specifications) on ``day``."""
    candidates = [
        _grade(r, day, specification) for r in standing_results(results, day, specification)
    ]
    if not candidates:
        return Standing(Grade.NONE, "no external quality assurance result in the register")
    return max(candidates, key=lambda s: (s.grade, _until_key(s.basis)))


def _grade(result: QAResult, day: date, specification: str | None) -> Standing:
    text = result.statement()
    if day < result.valid_from:
        return Standing(Grade.NONE, f"{text}: not yet valid on {day.isoformat()}", result)
    if not result.valid_on(day):
        until = result.valid_until.isoformat() if result.valid_until else "?"
        return Standing(Grade.EXPIRED, f"{text}: expired on {until}", result)
    if result.decision == "negative":
        return Standing(Grade.NEGATIVE, f"{text}", result)
    if result.decision not in ("positive", "positive-with-conditions"):
        return Standing(Grade.NONE, f"{text}: no QA decision", result)
    if not result.covers(specification):
        scope = (
            "does not cover micro-credential provision"
            if result.activity == "institutional"
            else "does not name this micro-credential"
        )
        return Standing(Grade.NOT_COVERING, f"{text}, but {scope}", result)
    if not result.agency.eqar_registered_on(day):
        return Standing(
            Grade.NON_EQAR_AGENCY,
            f"{text}; the agency was not registered in EQAR on {day.isoformat()}",
            result,
        )
    if result.decision == "positive-with-conditions":
        return Standing(Grade.CONDITIONAL, text, result)
    return Standing(Grade.ASSURED, text, result)


def _order(result: QAResult) -> tuple[date, int]:
    return result.valid_from, result.sequence


def _same_subject(earlier: QAResult, later: QAResult, specification: str | None) -> bool:
    if earlier.activity == "institutional":
        return True
    if specification is not None:
        return (
            specification in earlier.covered_specifications
            and specification in later.covered_specifications
        )
    return earlier.covered_specifications <= later.covered_specifications


def _until_key(result: QAResult | None) -> date:
    if result is None:
        return date.min
    return result.valid_until or date.max
