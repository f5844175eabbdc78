"""The date of achievement travels as credentialSubject.activityEndDate, apart from the date
of issuing (validFrom / awardedDate), and is read back."""

from __future__ import annotations

from datetime import UTC, datetime

from microcred.credentials.obv3_build import build_credential
from microcred.credentials.obv3_read import read_credential
from microcred.standard.model import IssuedCredential, MicroCredentialSpec

ISSUED = datetime(2025, 7, 1, 9, 30, tzinfo=UTC)
ACHIEVED = datetime(2025, 6, 20, tzinfo=UTC)


def build(cred: IssuedCredential) -> dict[str, object]:
    return build_credential(
        cred,
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000001",
        issuer={"id": "did:example:issuer", "name": "Issuer"},
        achievement_id="https://issuer.example/specs/1",
        valid_from=ISSUED,
        identity_salt="",
    )


def test_the_date_of_achievement_round_trips_apart_from_the_issue_date() -> None:
    spec = MicroCredentialSpec(title={"en": "T"})
    vc = build(IssuedCredential(issued_on=ISSUED, achieved_on=ACHIEVED, specification=spec))
    subject = vc["credentialSubject"]
    assert isinstance(subject, dict) and subject["activityEndDate"] == "2025-06-20T00:00:00Z"
    read = read_credential(vc)
    assert (read.issued_on, read.achieved_on) == (ISSUED, ACHIEVED)
    plain = build(IssuedCredential(issued_on=ISSUED, specification=spec))
    assert "activityEndDate" not in plain["credentialSubject"]  # type: ignore[operator]
    assert read_credential(plain).achieved_on is None
