"""The validity check: validFrom / validUntil against the verifier's clock (VC 2.0 §4.9)."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.verify import Status, VerificationContext, verify_credential
from microcred.verify.pipeline import check_validity
from tests.core.verify.conftest import NOW, Issuer, credential

CTX = VerificationContext(now=NOW)  # 2026-03-01T12:00:00Z


@pytest.mark.parametrize(
    ("window", "status", "reason"),
    [
        ({}, Status.OK, None),
        ({"validFrom": "2025-06-30T12:00:00Z"}, Status.OK, None),
        ({"validFrom": "2026-03-01T12:00:00Z"}, Status.OK, None),  # from this very second
        (
            {"validFrom": "2025-06-30T14:00:00+02:00", "validUntil": "2030-01-01T00:00:00Z"},
            Status.OK,
            None,
        ),
        ({"validFrom": "2026-03-01T12:00:01Z"}, Status.ERROR, "not-yet-valid"),
        ({"validFrom": "2027-01-01T00:00:00Z"}, Status.ERROR, "not-yet-valid"),
        ({"validUntil": "2026-03-01T11:59:59Z"}, Status.ERROR, "expired"),
        (
            {"validFrom": "2020-01-01T00:00:00Z", "validUntil": "2019-01-01T00:00:00Z"},
            Status.ERROR,
            "invalid-window",
        ),
        ({"validFrom": "2025-06-30"}, Status.ERROR, "malformed-date"),
        ({"validFrom": "2025-06-30T12:00:00"}, Status.ERROR, "malformed-date"),  # no zone
        ({"validFrom": "2025-13-30T12:00:00Z"}, Status.ERROR, "malformed-date"),
        ({"validUntil": "soon"}, Status.ERROR, "malformed-date"),
        ({"validUntil": 1767225600}, Status.ERROR, "malformed-date"),
        ({"validFrom": None}, Status.ERROR, "malformed-date"),
    ],
)
def test_window(window: dict[str, Any], status: Status, reason: str | None) -> None:
    document = credential("did:key:z6Mk", validFrom=None)
    document.update(window)
    check = check_validity(document, CTX)
    assert check.status is status, check
    assert check.reason == reason


def test_expired_credential_fails_verification(key_issuer: Issuer) -> None:
    signed = key_issuer.sign(credential(key_issuer.did, validUntil="2026-01-01T00:00:00Z"))
    result = verify_credential(signed, CTX)
    assert not result.verified
    assert result.check("validity").reason == "expired"
    assert result.check("proof").status is Status.OK


def test_future_credential_fails_verification(key_issuer: Issuer) -> None:
    signed = key_issuer.sign(credential(key_issuer.did, validFrom="2027-01-01T00:00:00Z"))
    result = verify_credential(signed, CTX)
    assert not result.verified
    assert result.check("validity").reason == "not-yet-valid"
