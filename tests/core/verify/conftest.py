"""Builders for the verify tests: issuers (did:key, did:web with a rotated key), credentials,
signed status lists, and a fixed clock.

Everything is signed in the tests with ``KeyPair`` + ``add_proof``, so each case states
exactly what was signed, with which key, when.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof
from microcred.credentials.did_web import KeyRecord, build_did_document, did_for, method_id
from microcred.credentials.keys import KeyPair
from microcred.credentials.status_list import (
    StatusList,
    StatusPurpose,
    status_entry,
    status_list_credential,
)
from microcred.verify import (
    StaticDidResolver,
    StaticQARegister,
    StaticStatusLists,
    VerificationContext,
)

# The throw-away CA and the fetch configuration of the network tests (for the foreign issuer).
from tests.core.net.conftest import NAME, authority, config  # noqa: F401
from tests.https_servers import Authority, Server, json_answer, running

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
HOST = "microcred.example.eu"
#: Key rotation of the did:web provider: old key 2024-01-01 .. 2025-01-01, new key since.
OLD_CREATED = datetime(2024, 1, 1, tzinfo=UTC)
ROTATED = datetime(2025, 1, 1, tzinfo=UTC)


def seeded(n: int) -> KeyPair:
    return KeyPair.from_seed(bytes([n]) * 32)


@dataclass
class Issuer:
    """An issuer identity with the key it signs with now (and, for did:web, an old one)."""

    did: str
    key: KeyPair
    method: str
    old_key: KeyPair | None = None
    old_method: str | None = None
    document: dict[str, Any] | None = None
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)

    def sign(
        self,
        document: dict[str, Any],
        *,
        created: str = "2025-06-30T12:00:00Z",
        old: bool = False,
        cryptosuite: str = "eddsa-rdfc-2022",
    ) -> dict[str, Any]:
        key, method = (self.old_key, self.old_method) if old else (self.key, self.method)
        assert key is not None and method is not None
        return add_proof(document, key, method, cryptosuite=cryptosuite, created=created)

    def status_url(self, purpose: StatusPurpose) -> str:
        return f"https://{HOST}/providers/acme/status/{purpose}"

    def publish_list(
        self, purpose: StatusPurpose, set_indexes: Iterable[int] = (), **sign_kw: Any
    ) -> dict[str, Any]:
        """Sign and remember this issuer's status list with the given bits set."""
        bits = StatusList(purpose=purpose)
        for index in set_indexes:
            bits.set(index)
        url = self.status_url(purpose)
        unsigned = status_list_credential(
            url, self.did, purpose, bits.encode(), datetime(2025, 1, 2, tzinfo=UTC)
        )
        self.lists[url] = self.sign(unsigned, created="2025-01-02T00:00:00Z", **sign_kw)
        return self.lists[url]


def did_key_issuer(n: int = 1) -> Issuer:
    key = seeded(n)
    return Issuer(did_key.did_for(key.public), key, did_key.verification_method_id(key.public))


def did_web_issuer() -> Issuer:
    """A provider that rotated its key on 2025-01-01: key-1 retired, key-2 active."""
    did = did_for(HOST, ["providers", "acme"])
    old, new = seeded(11), seeded(12)
    document = build_did_document(
        did,
        [
            KeyRecord("key-1", old.public.multibase, OLD_CREATED, retired=ROTATED),
            KeyRecord("key-2", new.public.multibase, ROTATED),
        ],
    )
    return Issuer(
        did,
        new,
        method_id(did, "key-2"),
        old_key=old,
        old_method=method_id(did, "key-1"),
        document=document,
    )


def credential(issuer: str, **overrides: Any) -> dict[str, Any]:
    """An unsigned OBv3 credential; ``None`` in ``overrides`` removes a member."""
    document: dict[str, Any] = {
        "@context": [V2_CONTEXT, OB_CONTEXT],
        "id": "urn:uuid:6a9c2a3e-2b44-4c4b-9d4e-3d2f1f0c0a01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Circular Economy Foundations",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Hogeschool Voorbeeld"},
        "validFrom": "2025-06-30T12:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"https://{HOST}/specifications/circular-economy",
                "type": ["Achievement"],
                "name": "Circular Economy Foundations",
                "description": "A 5 ECTS course at EQF level 6.",
                "criteria": {"narrative": "Written project and oral defence."},
            },
        },
    }
    for name, value in overrides.items():
        if value is None:
            document.pop(name, None)
        else:
            document[name] = value
    return document


def with_status(issuer: Issuer, *entries: tuple[StatusPurpose, int]) -> dict[str, Any]:
    return credential(
        issuer.did,
        credentialStatus=[
            status_entry(issuer.status_url(purpose), index, purpose) for purpose, index in entries
        ],
    )


def context_for(*issuers: Issuer, register: StaticQARegister | None = None) -> VerificationContext:
    resolver = StaticDidResolver()
    lists: dict[str, dict[str, Any]] = {}
    for issuer in issuers:
        if issuer.document is not None:
            resolver.add(issuer.document)
        lists.update(issuer.lists)
    return VerificationContext(
        did_resolver=resolver,
        status_lists=StaticStatusLists(lists),
        qa_register=register,
        now=NOW,
    )


@pytest.fixture(scope="session")
def key_issuer() -> Issuer:
    return did_key_issuer()


@pytest.fixture(scope="session")
def web_issuer() -> Issuer:
    return did_web_issuer()


@pytest.fixture(scope="session")
def signed_by_key(key_issuer: Issuer) -> dict[str, Any]:
    """A valid did:key credential (session-wide: signing with RDFC costs milliseconds)."""
    return key_issuer.sign(credential(key_issuer.did))


@pytest.fixture
def signed(signed_by_key: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of :func:`signed_by_key`, free to tamper with."""
    return copy.deepcopy(signed_by_key)


# --- a foreign did:web issuer served over HTTPS by a local test server -----------------

DID_PATH = "/providers/acme/did.json"
LIST_PATH = "/providers/acme/status/1"


@dataclass
class Foreign:
    server: Server
    issuer: Issuer

    def serve(self, **headers: str) -> None:
        assert self.issuer.document is not None
        self.server.routes[DID_PATH] = json_answer(self.issuer.document, **headers)
        for url, document in self.issuer.lists.items():
            path = url.split(str(self.server.port), 1)[1]
            self.server.routes[path] = json_answer(document, "application/vc+ld+json")

    def signed(self, index: int) -> dict[str, Any]:
        entry = status_entry(self.issuer.status_url("revocation"), index, "revocation")
        return self.issuer.sign(credential(self.issuer.did, credentialStatus=entry))


@pytest.fixture
def foreign(authority: Authority) -> Iterator[Foreign]:  # noqa: F811
    with running(authority.server_context(NAME)) as server:
        did = did_for(f"{NAME}:{server.port}", ["providers", "acme"])
        key = seeded(41)
        document = build_did_document(did, [KeyRecord("key-1", key.public.multibase, OLD_CREATED)])
        issuer = Issuer(did, key, method_id(did, "key-1"), document=document)
        list_url = f"https://{NAME}:{server.port}{LIST_PATH}"
        issuer.status_url = lambda purpose: list_url  # type: ignore[method-assign]
        issuer.publish_list("revocation", [9])
        site = Foreign(server, issuer)
        site.serve()
        yield site
