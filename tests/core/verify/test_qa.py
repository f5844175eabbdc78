"""The qa check: the issuer's QA standing on the date of issue, from the register."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from microcred.register.standing import Agency, QAResult
from microcred.verify import StaticQARegister, Status, VerificationContext, verify_credential
from tests.core.verify.conftest import NOW, Issuer, context_for, credential

NVAO = Agency("NVAO", eqar_registered_since=date(2008, 1, 1))
LOCAL = Agency("Local Board")


def review(**kw: Any) -> QAResult:
    base: dict[str, Any] = {
        "agency": NVAO,
        "activity": "institutional",
        "decision": "positive",
        "valid_from": date(2022, 1, 1),
        "valid_until": date(2028, 12, 31),
        "covers_microcredentials": True,
        "report_url": "https://example.org/report.pdf",
    }
    base.update(kw)
    return QAResult(**base)


def qa_check(issuer: Issuer, results: list[QAResult], **overrides: Any) -> Any:
    register = StaticQARegister({issuer.did: ("Hogeschool Voorbeeld", results)})
    signed = issuer.sign(credential(issuer.did, **overrides))
    result = verify_credential(signed, context_for(issuer, register=register))
    return result, result.check("qa")


@pytest.mark.parametrize(
    ("results", "status", "reason"),
    [
        ([review()], Status.OK, "qa-assured"),
        ([review(decision="positive-with-conditions")], Status.WARNING, "qa-conditional"),
        ([review(agency=LOCAL)], Status.WARNING, "qa-non-eqar-agency"),
        ([review(covers_microcredentials=False)], Status.WARNING, "qa-not-covering"),
        ([review(valid_until=date(2024, 12, 31))], Status.WARNING, "qa-expired"),
        ([], Status.WARNING, "qa-none"),
        ([review(decision="negative")], Status.ERROR, "qa-negative"),
    ],
)
def test_grades(key_issuer: Issuer, results: list[QAResult], status: Status, reason: str) -> None:
    result, check = qa_check(key_issuer, results)
    assert check.status is status, check
    assert check.reason == reason
    assert check.details["date"] == "2025-06-30"
    assert check.details["provider"] == "Hogeschool Voorbeeld"
    assert result.verified is (status is not Status.ERROR)


def test_assured_message_names_the_basis(key_issuer: Issuer) -> None:
    _, check = qa_check(key_issuer, [review()])
    assert check.message == (
        "Hogeschool Voorbeeld was quality assured on 2025-06-30: "
        "Institutional review by NVAO, positive, valid until 2028-12-31"
    )
    assert check.details["report"] == "https://example.org/report.pdf"
    assert check.details["quality_assured"] is True


def test_standing_on_the_issue_date_not_today(key_issuer: Issuer) -> None:
    """QA that lapsed after issuing still covers the credential (valid on 2025-06-30)."""
    _, check = qa_check(key_issuer, [review(valid_until=date(2025, 12, 31))])
    assert NOW.date() > date(2025, 12, 31)
    assert check.status is Status.OK


def test_issue_date_from_awarded_date(key_issuer: Issuer) -> None:
    _, check = qa_check(
        key_issuer,
        [review(valid_from=date(2021, 1, 1), valid_until=date(2021, 12, 31))],
        validFrom=None,
        awardedDate="2021-05-01T00:00:00Z",
    )
    assert check.status is Status.OK and check.details["date"] == "2021-05-01"


def test_no_issue_date(key_issuer: Issuer) -> None:
    _, check = qa_check(key_issuer, [review()], validFrom=None)
    assert check.status is Status.WARNING and check.reason == "no-issue-date"


def test_programme_review_naming_the_specification(key_issuer: Issuer) -> None:
    spec = "https://microcred.example.eu/specifications/circular-economy"
    named = review(activity="programme", covered_specifications=frozenset({spec}))
    assert qa_check(key_issuer, [named])[1].status is Status.OK
    other = review(activity="programme", covered_specifications=frozenset({"urn:other"}))
    assert qa_check(key_issuer, [other])[1].reason == "qa-not-covering"


def test_unknown_issuer(key_issuer: Issuer) -> None:
    register = StaticQARegister({"did:web:someone.else": ("Other", [review()])})
    signed = key_issuer.sign(credential(key_issuer.did))
    result = verify_credential(signed, context_for(key_issuer, register=register))
    check = result.check("qa")
    assert check.status is Status.WARNING and check.reason == "unknown-issuer"
    assert "issuer not in this register" in check.message
    assert result.verified


def test_no_register_is_skipped(signed: dict[str, Any]) -> None:
    result = verify_credential(signed, VerificationContext(now=NOW))
    assert result.check("qa").status is Status.SKIPPED


def test_no_qa_statement_for_a_forged_credential(key_issuer: Issuer) -> None:
    result, _ = qa_check(key_issuer, [review()])
    document = dict(result.document)
    document["name"] = "Forged"
    register = StaticQARegister({key_issuer.did: ("Hogeschool Voorbeeld", [review()])})
    forged = verify_credential(document, context_for(key_issuer, register=register))
    assert forged.check("qa").status is Status.SKIPPED


def test_a_later_negative_decision_leaves_earlier_credentials_assured(key_issuer: Issuer) -> None:
    """The negative re-review (in effect from 2026-01-15) supersedes the positive review for
    credentials issued from that day; one issued before it still had the positive standing."""
    positive = review(sequence=1)
    negative = review(
        sequence=2, decision="negative", valid_from=date(2026, 1, 15), valid_until=None
    )
    _, before = qa_check(key_issuer, [positive, negative])
    assert before.status is Status.OK and before.details["date"] == "2025-06-30"
    _, after = qa_check(key_issuer, [positive, negative], validFrom="2026-02-01T09:00:00Z")
    assert after.status is Status.ERROR and after.reason == "qa-negative"
    assert after.details["date"] == "2026-02-01"


def test_the_details_name_the_agency_the_standing_rests_on(key_issuer: Issuer) -> None:
    keyed = Agency("NVAO", eqar_registered_since=date(2008, 1, 1), key="A-NVAO")
    _, check = qa_check(key_issuer, [review(agency=keyed, decision="negative")])
    assert check.details["agency"] == "A-NVAO"  # a negative standing still rests on a result
    _, check = qa_check(key_issuer, [review()])  # an agency without a register id
    assert "agency" not in check.details
    _, check = qa_check(key_issuer, [])
    assert "agency" not in check.details
