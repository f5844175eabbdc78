"""Fixtures for issuing tests: a KEK in the environment, two providers with staff and API
tokens, a published specification of each, and a verifier that resolves keys through the
instance's own DID document endpoint (no network)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred.credentials.data_integrity import verify_proof
from microcred.credentials.did_web import did_to_url, resolve_method_at
from microcred.credentials.keys import PublicKey
from microcred.credentials.keystore import generate_kek
from microcred.credentials.proof_result import ProofResult

HOST = "issuer.example"

SPEC: dict[str, Any] = {
    "title": {"en": "Data stewardship basics"},
    "description": {"en": "Plan, document and share research data."},
    "issuer_countries": ["NL"],
    "awarding_bodies": [{"name": {"en": "North Sea University"}, "country": "NL"}],
    "learning_outcomes": [{"text": {"en": "Write a data management plan"}}],
    "workload": {"ects": 5, "hours": 140},
    "level": {"eqf": 7, "qf_ehea": "second"},
    "assessment": {"types": ["project"]},
    "participation": {"mode": "online", "scheduled": True},
    "quality_assurance": [{"type": "external-institutional", "agency": "NVAO"}],
    "languages": ["en"],
}


@dataclass
class IssuingWorld:
    provider_a: Any
    provider_b: Any
    spec_a: Any
    spec_b: Any
    users: dict[str, Any]
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}


@pytest.fixture(autouse=True)
def issuing_settings(monkeypatch: pytest.MonkeyPatch, settings: Any) -> str:
    kek = generate_kek()
    monkeypatch.setenv("MICROCRED_KEK", kek)
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)
    settings.MICROCRED_HOST = HOST
    settings.MICROCRED_DID_WEB_ALLOW_HTTP = False
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    return kek


def _spec(provider: Any, local_id: str, **changes: Any) -> Any:
    from microcred.standard.json_format import spec_to_dict
    from microcred.standard.validation import parse_spec
    from microcred_web.register.models import Specification

    data = copy.deepcopy(SPEC)
    data["id"] = local_id
    data.update(changes)
    parsed, report = parse_spec(data)
    assert parsed is not None and report.ok, [f.as_dict() for f in report]
    return Specification.objects.create(
        provider=provider,
        local_id=local_id,
        status=Specification.Status.PUBLISHED,
        data=spec_to_dict(parsed),
        title_en=data["title"]["en"],
    )


@pytest.fixture
def world(db: Any) -> IssuingWorld:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Membership, Provider, Role
    from microcred_web.register.tokens import create_token

    a = Provider.objects.create(
        slug="north-sea-university",
        legal_name={"en": "North Sea University"},
        kind="university",
        country="NL",
        website="https://nsu.example",
    )
    b = Provider.objects.create(
        slug="codecraft", legal_name={"en": "CodeCraft Academy"}, kind="company", country="DE"
    )
    user_model = get_user_model()
    roles = {
        "operator": {"role": Role.OPERATOR},
        "staff_a": {"role": Role.PROVIDER, "provider": a},
        "staff_b": {"role": Role.PROVIDER, "provider": b},
        "nobody": None,
    }
    users, tokens = {}, {}
    for name, membership in roles.items():
        user = user_model.objects.create(username=name, email=f"{name}@example.org")
        if membership is not None:
            Membership.objects.create(user=user, **membership)
        users[name] = user
        tokens[name] = create_token(user, "tests").token
    return IssuingWorld(a, b, _spec(a, "DS-101"), _spec(b, "PY-1"), users, tokens)


def fetch_json(client: Any, url: str) -> Any:
    """GET an https://issuer.example/... URL from the test server."""
    prefix = f"https://{HOST}"
    assert url.startswith(prefix), url
    response = client.get(url[len(prefix) :], HTTP_HOST=HOST, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


def verify_with_instance(client: Any, credential: dict[str, Any]) -> ProofResult:
    """Verify the proof, resolving the key from the DID document this instance serves."""
    created = datetime.fromisoformat(credential["proof"]["created"].replace("Z", "+00:00"))

    def resolve(method: str, purpose: str) -> PublicKey:
        did = method.split("#", 1)[0]
        document = fetch_json(client, did_to_url(did))
        now = datetime.now(UTC) + timedelta(seconds=5)
        return resolve_method_at(document, method, purpose, created, now=now)

    return verify_proof(credential, resolve)


def signing_jobs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Hand a share of every batch of two or more to the signing process (``SHARE_FROM``) and
    record the jobs it is given."""
    from microcred_web.issuing import bulk
    from microcred_web.issuing.signing import SigningPool

    monkeypatch.setattr(bulk, "SHARE_FROM", 2)
    given: list[Any] = []
    real = SigningPool.submit

    def recording(self: SigningPool, jobs: list[Any]) -> Any:
        given.extend(jobs)
        return real(self, jobs)

    monkeypatch.setattr(SigningPool, "submit", recording)
    return given
