"""Fixtures of the Learner Credential Wallet exchange tests: an issued credential, a holder
key (did:key) and its DIDAuth presentations, and the calls a wallet makes.

Import what a module uses (pytest finds fixtures by name in the module). The issuing tests'
settings (a KEK, the host ``issuer.example``) and ``world`` come from tests/web/issuing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from microcred.credentials import did_key
from microcred.credentials.ed25519_signature_2020 import SUITE_CONTEXT
from microcred.credentials.keys import KeyPair
from microcred.credentials.presentation import build_presentation
from microcred_web.issuing import issue
from microcred_web.wallet import exchange
from tests.web.issuing.conftest import HOST, IssuingWorld
from tests.web.issuing.conftest import issuing_settings as issuing_settings
from tests.web.issuing.conftest import world as world

V1 = "https://www.w3.org/2018/credentials/v1"


@dataclass(frozen=True)
class Holder:
    """A wallet's key: a fresh Ed25519 did:key."""

    pair: KeyPair

    @property
    def did(self) -> str:
        return did_key.did_for(self.pair.public)

    @property
    def method(self) -> str:
        return did_key.verification_method_id(self.pair.public)

    def didauth(
        self,
        challenge: str,
        domain: str | None = HOST,
        suite: str = "Ed25519Signature2020",
        context: str | None = None,
    ) -> dict[str, Any]:
        """A DIDAuth presentation (no credentials), as LCW makes it."""
        extra = [SUITE_CONTEXT] if suite == "Ed25519Signature2020" else []
        presentation = build_presentation(
            [],
            self.did,
            self.pair,
            self.method,
            challenge=challenge,
            domain=domain,
            cryptosuite=suite,
            extra_contexts=extra,
        )
        if context is not None:  # VC 1.1 (LCW's library default): re-sign under it
            presentation.pop("proof")
            presentation["@context"] = [context, *extra]
            from microcred.credentials.data_integrity import add_proof

            presentation = add_proof(
                presentation,
                self.pair,
                self.method,
                cryptosuite=suite,
                proof_purpose="authentication",
                challenge=challenge,
                domain=domain,
            )
        return presentation


@pytest.fixture
def holder() -> Holder:
    return Holder(KeyPair.from_seed(os.urandom(32)))


@pytest.fixture
def record(world: IssuingWorld) -> Any:
    """A credential of the spec of provider A, issued to an e-mail address."""
    return issue.issue_credential(
        world.users["staff_a"], world.spec_a, issue.Learner("ada@example.org", "Ada Lovelace")
    ).record


@pytest.fixture
def offered(record: Any) -> exchange.NewExchange:
    return exchange.create_exchange(record)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == HOST, url
    return parts.path


def post(client: Any, url: str, body: Any, **extra: Any) -> Any:
    """POST ``body`` (JSON, or raw bytes) to the exchange URL as a wallet does: no cookie,
    no CSRF token."""
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(
        path_of(url),
        data=data,
        content_type="application/json",
        HTTP_HOST=HOST,
        secure=True,
        **extra,
    )
