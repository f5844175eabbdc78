"""Which QA result stands: a later decision of the same agency on the same activity supersedes
the earlier one from the day it takes effect; other agencies and activities stand side by side
(docs/decisions/0019-which-qa-result-stands.md)."""

from __future__ import annotations

from datetime import date, timedelta

from microcred.register.standing import (
    Agency,
    Grade,
    QAResult,
    standing_on,
    standing_results,
    superseded_by,
)

NVAO = Agency("NVAO", eqar_registered_since=date(2008, 1, 1), key="A-NVAO")
AQAS = Agency("AQAS", eqar_registered_since=date(2009, 1, 1), key="A-AQAS")
NEGATIVE_FROM = date(2026, 3, 1)


def result(**kw: object) -> QAResult:
    base: dict[str, object] = {
        "agency": NVAO,
        "activity": "institutional",
        "decision": "positive",
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2030, 12, 31),
        "covers_microcredentials": True,
        "sequence": 1,
    }
    base.update(kw)
    return QAResult(**base)  # type: ignore[arg-type]


POSITIVE = result(key="Q-POS")
NEGATIVE = result(key="Q-NEG", decision="negative", valid_from=NEGATIVE_FROM, valid_until=None)


def test_a_later_negative_decision_ends_the_positive_one_from_its_date() -> None:
    results = [POSITIVE, NEGATIVE]
    before = standing_on(results, NEGATIVE_FROM - timedelta(days=1))
    assert before.grade is Grade.ASSURED and before.basis is POSITIVE
    on_the_day = standing_on(results, NEGATIVE_FROM)
    assert on_the_day.grade is Grade.NEGATIVE and on_the_day.basis is NEGATIVE
    # Still within the positive result's own validity, and still superseded.
    later = standing_on(results, date(2029, 1, 1))
    assert later.grade is Grade.NEGATIVE


def test_superseded_by_names_the_later_result_once_it_takes_effect() -> None:
    results = [POSITIVE, NEGATIVE]
    assert superseded_by(POSITIVE, results, NEGATIVE_FROM - timedelta(days=1)) is None
    assert superseded_by(POSITIVE, results, NEGATIVE_FROM) is NEGATIVE
    assert superseded_by(NEGATIVE, results, date(2029, 1, 1)) is None
    assert standing_results(results, date(2029, 1, 1)) == [NEGATIVE]


def test_the_order_of_the_list_does_not_matter() -> None:
    assert standing_on([NEGATIVE, POSITIVE], date(2027, 1, 1)).basis is NEGATIVE


def test_an_expired_later_decision_does_not_revive_the_earlier_one() -> None:
    short = result(decision="negative", valid_from=NEGATIVE_FROM, valid_until=date(2026, 12, 31))
    standing = standing_on([POSITIVE, short], date(2027, 6, 1))
    assert standing.grade is Grade.EXPIRED and standing.basis is short


def test_a_later_positive_decision_lifts_a_negative_one() -> None:
    re_review = result(key="Q-RE", valid_from=date(2027, 9, 1), valid_until=date(2033, 8, 31))
    results = [POSITIVE, NEGATIVE, re_review]
    assert standing_on(results, date(2027, 1, 1)).grade is Grade.NEGATIVE
    assert standing_on(results, date(2027, 9, 1)).basis is re_review


def test_another_agency_stands_side_by_side() -> None:
    other = result(agency=AQAS, key="Q-AQAS", valid_from=date(2025, 1, 1))
    standing = standing_on([other, POSITIVE, NEGATIVE], date(2027, 1, 1))
    assert standing.grade is Grade.ASSURED and standing.basis is other
    assert superseded_by(other, [other, POSITIVE, NEGATIVE], date(2027, 1, 1)) is None


def test_same_acronym_but_another_agency_stands_side_by_side() -> None:
    namesake = Agency("NVAO", eqar_registered_since=date(2008, 1, 1), key="A-OTHER")
    other = result(agency=namesake, valid_from=date(2025, 1, 1))
    assert standing_on([other, NEGATIVE], date(2027, 1, 1)).basis is other


def test_another_activity_stands_side_by_side() -> None:
    programme = result(
        activity="programme",
        covered_specifications=frozenset({"S-1"}),
        valid_from=date(2025, 1, 1),
    )
    results = [programme, POSITIVE, NEGATIVE]
    # The negative institutional decision does not end the programme accreditation.
    assert standing_on(results, date(2027, 1, 1), "S-1").basis is programme
    assert standing_results(results, date(2027, 1, 1)) == [programme, NEGATIVE]
    assert not standing_on(results, date(2027, 1, 1)).quality_assured


def test_programme_reviews_supersede_only_for_the_specifications_they_share() -> None:
    both = result(activity="programme", covered_specifications=frozenset({"S-1", "S-2"}))
    second = result(
        activity="programme",
        decision="negative",
        valid_from=NEGATIVE_FROM,
        covered_specifications=frozenset({"S-2"}),
    )
    day = date(2027, 1, 1)
    assert standing_on([both, second], day, "S-1").basis is both
    assert standing_on([both, second], day, "S-2").basis is second
    # As a whole, the first review still stands: S-1 was not reviewed again.
    assert superseded_by(both, [both, second], day) is None
    wider = result(
        activity="programme",
        valid_from=NEGATIVE_FROM,
        covered_specifications=frozenset({"S-1", "S-2", "S-3"}),
    )
    assert superseded_by(both, [both, wider], day) is wider


def test_decisions_of_the_same_day_go_by_the_order_of_recording() -> None:
    first = result(sequence=1)
    correction = result(sequence=2, decision="positive-with-conditions")
    standing = standing_on([correction, first], date(2025, 1, 1))
    assert standing.grade is Grade.CONDITIONAL and standing.basis is correction


def test_an_older_decision_recorded_late_does_not_supersede_a_newer_one() -> None:
    backfilled = result(valid_from=date(2018, 1, 1), valid_until=date(2023, 12, 31), sequence=9)
    assert superseded_by(POSITIVE, [POSITIVE, backfilled], date(2025, 1, 1)) is None
    assert superseded_by(backfilled, [POSITIVE, backfilled], date(2025, 1, 1)) is POSITIVE


def test_a_withdrawn_result_counts_on_no_date_and_supersedes_nothing() -> None:
    withdrawn = result(
        decision="negative", valid_from=NEGATIVE_FROM, valid_until=None, withdrawn=True
    )
    assert standing_on([POSITIVE, withdrawn], date(2027, 1, 1)).basis is POSITIVE
    only = standing_on([withdrawn], date(2027, 1, 1))
    assert only.grade is Grade.NONE and only.basis is None
