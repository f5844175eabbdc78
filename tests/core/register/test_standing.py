"""QA standing on a date: every grade, and the choice among several results."""

from __future__ import annotations

from datetime import date

import pytest

from microcred.register.standing import Agency, Grade, QAResult, standing_on

EQAR = Agency("NVAO", eqar_registered_since=date(2008, 1, 1))
LOCAL = Agency("Local Board")
DAY = date(2026, 6, 1)


def result(**kw: object) -> QAResult:
    base: dict[str, object] = {
        "agency": EQAR,
        "activity": "institutional",
        "decision": "positive",
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2029, 12, 31),
        "covers_microcredentials": True,
    }
    base.update(kw)
    return QAResult(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "grade", "status", "phrase"),
    [
        ({}, Grade.ASSURED, "ok", "Institutional review by NVAO, positive, valid until 2029-12-31"),
        ({"decision": "positive-with-conditions"}, Grade.CONDITIONAL, "warning", "conditions"),
        ({"agency": LOCAL}, Grade.NON_EQAR_AGENCY, "warning", "not registered in EQAR"),
        ({"covers_microcredentials": False}, Grade.NOT_COVERING, "warning", "does not cover"),
        ({"valid_until": date(2025, 12, 31)}, Grade.EXPIRED, "warning", "expired on 2025-12-31"),
        ({"decision": "negative"}, Grade.NEGATIVE, "error", "negative"),
        ({"valid_from": date(2027, 1, 1)}, Grade.NONE, "warning", "not yet valid"),
        ({"decision": "not-applicable"}, Grade.NONE, "warning", "no QA decision"),
    ],
)
def test_grades(kw: dict[str, object], grade: Grade, status: str, phrase: str) -> None:
    standing = standing_on([result(**kw)], DAY)
    assert standing.grade is grade
    assert standing.status == status
    assert phrase in standing.reason


def test_no_results() -> None:
    standing = standing_on([], DAY)
    assert standing.grade is Grade.NONE and not standing.quality_assured
    assert "no external quality assurance" in standing.reason


def test_programme_review_covers_only_named_specifications() -> None:
    programme = result(activity="programme", covered_specifications=frozenset({"MC-1"}))
    assert standing_on([programme], DAY, "MC-1").grade is Grade.ASSURED
    other = standing_on([programme], DAY, "MC-2")
    assert other.grade is Grade.NOT_COVERING and "does not name" in other.reason


def test_best_result_wins_and_date_matters() -> None:
    old = result(valid_from=date(2018, 1, 1), valid_until=date(2023, 12, 31))
    new = result(valid_from=date(2024, 1, 1), valid_until=date(2029, 12, 31), decision="negative")
    assert standing_on([old, new], date(2020, 5, 5)).grade is Grade.ASSURED
    assert standing_on([old, new], DAY).grade is Grade.NEGATIVE


def test_ties_go_to_longest_validity() -> None:
    short = result(valid_until=date(2027, 1, 1))
    long = result(valid_until=date(2030, 1, 1))
    assert standing_on([short, long], DAY).basis is long


def test_eqar_registration_is_checked_on_the_day() -> None:
    late = Agency("New Agency", eqar_registered_since=date(2026, 1, 1))
    assert standing_on([result(agency=late)], date(2025, 6, 1)).grade is Grade.NON_EQAR_AGENCY
    assert standing_on([result(agency=late)], DAY).grade is Grade.ASSURED
