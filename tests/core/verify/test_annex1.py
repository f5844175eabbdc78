"""The annex1 check: completeness of the Annex I elements inside the signed credential."""

from __future__ import annotations

import json
import sys
import types
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest

from microcred.credentials.loader import ContextLoader, default_loader, loader_with
from microcred.standard.model import IssuedCredential
from microcred.standard.validation import parse_credential
from microcred.verify import Status, VerificationContext, verify_credential
from microcred.verify.qa_checks import OBV3_READERS, check_annex1
from tests.core.samples import valid_spec
from tests.core.verify.conftest import NOW, Issuer, credential

obv3_build = pytest.importorskip("microcred.credentials.obv3_build")
obv3 = pytest.importorskip("microcred.credentials.obv3")


def issued(spec: dict[str, Any]) -> IssuedCredential:
    cred, _ = parse_credential(
        {
            "learner": {"name": "Ada Lovelace", "identifier": "ada@example.org"},
            "issued_on": "2025-06-30T12:00:00Z",
            "specification": spec,
        }
    )
    assert cred is not None
    return cred


def built(issuer: str, spec: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = obv3_build.build_credential(
        issued(spec),
        credential_id="urn:uuid:0f3c9d1e-1111-4222-8333-444455556666",
        issuer={"id": issuer, "name": "University of Utrecht"},
        achievement_id="https://microcred.example.eu/specifications/ds-101",
        valid_from=datetime(2025, 6, 30, 12, tzinfo=UTC),
        identity_salt="fixed-salt",
    )
    return document


def loader() -> ContextLoader:
    """The shipped contexts, plus the microcred extension context if not shipped yet."""
    url = obv3.MICROCRED_CONTEXT_URL
    if url in default_loader().urls:
        return default_loader()
    text = resources.files("microcred.credentials.contexts").joinpath("microcred-v1.jsonld")
    return loader_with({url: json.loads(text.read_text(encoding="utf-8"))})


def test_complete_credential_is_ok() -> None:
    check = check_annex1(built("did:key:z6Mk", valid_spec()))
    assert check.status is Status.OK, check
    assert check.message == "every mandatory Annex I element is present"


def test_missing_elements_are_listed() -> None:
    spec = valid_spec()
    del spec["learning_outcomes"], spec["workload"]
    check = check_annex1(built("did:key:z6Mk", spec))
    assert check.status is Status.WARNING and check.reason == "missing-elements"
    assert "specification.learning_outcomes" in check.details["missing"]
    assert "specification.workload" in check.details["missing"]
    assert "learning_outcomes" in check.message


def test_plain_badge_without_annex1_elements(key_issuer: Issuer) -> None:
    """A badge from elsewhere still verifies; what Annex I lacks is flagged."""
    signed = key_issuer.sign(credential(key_issuer.did))
    result = verify_credential(signed, VerificationContext(now=NOW))
    assert result.verified
    check = result.check("annex1")
    assert check.status is Status.WARNING and check.reason == "missing-elements"


def test_signed_microcred_credential_end_to_end(key_issuer: Issuer) -> None:
    from microcred.credentials.data_integrity import add_proof

    contexts = loader()
    document = built(key_issuer.did, valid_spec())
    signed = add_proof(
        document, key_issuer.key, key_issuer.method, created="2025-06-30T12:00:00Z", loader=contexts
    )
    result = verify_credential(signed, VerificationContext(now=NOW, loader=contexts))
    assert result.verified, result.as_dict()
    assert result.check("annex1").status is Status.OK, result.check("annex1")


def test_unreadable_mapping_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("fake_obv3")

    class ObvMappingError(ValueError):
        pass

    def read_credential(vc: Any) -> IssuedCredential:
        raise ObvMappingError("no credentialSubject object")

    fake.read_credential = read_credential  # type: ignore[attr-defined]
    fake.ObvMappingError = ObvMappingError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, OBV3_READERS[0], fake)
    check = check_annex1(credential("did:key:z6Mk"))
    assert check.status is Status.WARNING and check.reason == "annex1-unreadable"


def test_skipped_without_a_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OBV3_READERS:
        monkeypatch.setitem(sys.modules, name, None)  # makes the import fail
    check = check_annex1(credential("did:key:z6Mk"))
    assert check.status is Status.SKIPPED
