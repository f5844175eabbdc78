"""Shared fixtures: paths into ../shared/fixtures, the W3C key pair, a test loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.credentials.keys import KeyPair
from microcred.credentials.loader import ContextLoader, loader_with

FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures"
EXAMPLES_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2"
W3C_VERIFICATION_METHOD = (
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
)
W3C_CREATED = "2023-02-24T23:36:38Z"


def fixture_path(*parts: str) -> Path:
    """A file under the shared fixtures folder (read in place, never copied)."""
    return FIXTURES.joinpath(*parts)


def fixture_text(*parts: str) -> str:
    return fixture_path(*parts).read_text(encoding="utf-8")


def fixture_json(*parts: str) -> Any:
    return json.loads(fixture_text(*parts))


@pytest.fixture(scope="session")
def examples_loader() -> ContextLoader:
    """Shipped contexts plus the W3C examples context the test vectors use."""
    return loader_with(
        {EXAMPLES_CONTEXT_URL: fixture_json("contexts", "credentials-examples-v2.jsonld")}
    )


@pytest.fixture(scope="session")
def w3c_key() -> KeyPair:
    pair = fixture_json("w3c-eddsa-vectors", "keyPair.json")
    return KeyPair.from_multibase(pair["privateKeyMultibase"], pair["publicKeyMultibase"])


@pytest.fixture
def unsigned_w3c() -> dict[str, Any]:
    document: dict[str, Any] = fixture_json("w3c-eddsa-vectors", "unsigned.json")
    return document


@pytest.fixture
def signed_obv3() -> dict[str, Any]:
    document: dict[str, Any] = fixture_json(
        "obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json"
    )
    return document
