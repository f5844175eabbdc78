"""Fixtures for the verification tests: a did:key-signed OBv3 micro-credential built here."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof
from microcred.credentials.keys import KeyPair
from microcred.credentials.obv3_build import build_credential
from microcred.standard.model import IssuedCredential, LearnerIdentification
from microcred.standard.validation import parse_spec

# A foreign did:web issuer on a local HTTPS server, and the test CA (for test_foreign_issuers).
from tests.core.verify.conftest import authority, foreign  # noqa: F401

# Providers with staff and published specifications, from the issuing tests (for test_instance).
from tests.web.issuing.conftest import world  # noqa: F401

SPEC: dict[str, Any] = {
    "id": "CE-1",
    "title": {"en": "Circular economy foundations"},
    "description": {"en": "Design products and services for reuse."},
    "issuer_countries": ["NL"],
    "awarding_bodies": [{"name": {"en": "Hogeschool Voorbeeld"}, "country": "NL"}],
    "learning_outcomes": [{"text": {"en": "Map the material flows of a product"}}],
    "workload": {"ects": 5, "hours": 140},
    "level": {"eqf": 6, "qf_ehea": "first"},
    "assessment": {"types": ["project"]},
    "participation": {"mode": "online", "scheduled": True},
    "quality_assurance": [{"type": "external-institutional", "agency": "NVAO"}],
    "languages": ["en"],
}
ISSUED = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def did_key_credential(seed: int = 7, cryptosuite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
    """A signed OBv3 micro-credential from a did:key issuer (no register entry, no status)."""
    key = KeyPair.from_seed(bytes([seed]) * 32)
    did = did_key.did_for(key.public)
    spec, report = parse_spec(copy.deepcopy(SPEC))
    assert spec is not None and report.ok, [f.as_dict() for f in report]
    cred = IssuedCredential(
        learner=LearnerIdentification(identifier="ada@example.org", name="Ada Lovelace"),
        issued_on=ISSUED,
        specification=spec,
    )
    unsigned = build_credential(
        cred,
        credential_id="urn:uuid:0b7f4c1e-9c0e-4c1f-9d1a-5a3e2f7d6c01",
        issuer={"id": did, "type": ["Profile"], "name": "Hogeschool Voorbeeld"},
        achievement_id="https://hv.example/specifications/CE-1",
        valid_from=ISSUED,
    )
    return add_proof(
        unsigned,
        key,
        did_key.verification_method_id(key.public),
        cryptosuite=cryptosuite,
        created=ISSUED,
    )


@pytest.fixture(scope="session")
def _signed_once() -> dict[str, Any]:
    return did_key_credential()


@pytest.fixture
def signed(_signed_once: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of a valid did:key credential, free to tamper with."""
    return copy.deepcopy(_signed_once)
