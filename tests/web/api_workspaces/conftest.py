"""The world of the workspace API tests: the issuing world (North Sea University and CodeCraft,
each with an admin and a published specification, an operator, an account with no role, a
KEK), plus the other provider levels, two agencies with their staff, a QA result of NVAO, an
issued credential, a pending registration request, an API token for each, and the real SMTP
server (aiosmtpd) of the wallet tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.web.issuing.conftest import (  # noqa: F401 (fixtures)
    HOST,
    IssuingWorld,
    issuing_settings,
    world,
)
from tests.web.operator.conftest import REQUEST
from tests.web.wallet.fixtures_signin import Mailbox, mailbox  # noqa: F401

#: Every role the permission matrix tries (anonymous: no token at all).
ROLES = (
    "anonymous",
    "nobody",
    "staff_a",
    "editor_a",
    "issuer_a",
    "staff_b",
    "agency_x",
    "agency_y",
    "operator",
)


@dataclass
class ApiWorld:
    base: IssuingWorld
    agency_x: Any
    agency_y: Any
    result: Any
    credential: Any
    request: Any
    users: dict[str, Any]
    tokens: dict[str, str]

    @property
    def provider_a(self) -> Any:
        return self.base.provider_a

    @property
    def provider_b(self) -> Any:
        return self.base.provider_b

    @property
    def spec_a(self) -> Any:
        return self.base.spec_a

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def post(self, role: str, path: str, body: Any = None) -> Any:
        return Client().post(
            path,
            data=json.dumps({} if body is None else body),
            content_type="application/json",
            **self.headers(role),
        )

    def get(self, role: str, path: str, query: dict[str, Any] | None = None) -> Any:
        return Client().get(path, query or {}, **self.headers(role))


@pytest.fixture
def api(world: IssuingWorld, settings: Any) -> ApiWorld:  # noqa: F811 (the fixture)
    from django.contrib.auth import get_user_model

    from microcred_web.issuing import issue
    from microcred_web.operator import registration
    from microcred_web.register import records
    from microcred_web.register.models import Agency, Membership, ProviderLevel, Role
    from microcred_web.register.tokens import create_token

    x = Agency.objects.create(
        slug="nvao",
        name={"en": "NVAO"},
        acronym="NVAO",
        countries=["NL", "BE"],
        eqar_registered_since=date(2008, 1, 1),
        activities=["institutional", "programme"],
    )
    y = Agency.objects.create(
        slug="aqas",
        name={"en": "AQAS"},
        acronym="AQAS",
        countries=["DE"],
        eqar_registered_since=date(2009, 1, 1),
        activities=["programme"],
    )
    users, tokens = dict(world.users), dict(world.tokens)
    more = {
        "editor_a": {
            "role": Role.PROVIDER,
            "provider": world.provider_a,
            "level": ProviderLevel.EDITOR,
        },
        "issuer_a": {
            "role": Role.PROVIDER,
            "provider": world.provider_a,
            "level": ProviderLevel.ISSUER,
        },
        "agency_x": {"role": Role.AGENCY, "agency": x},
        "agency_y": {"role": Role.AGENCY, "agency": y},
    }
    for name, membership in more.items():
        user = get_user_model().objects.create(username=name, email=f"{name}@example.org")
        Membership.objects.create(user=user, **membership)
        users[name] = user
        tokens[name] = create_token(user, "tests").token
    outcome = records.save_qa_result(
        users["agency_x"],
        {
            "agency": "nvao",
            "local_id": "NVAO-2024-03",
            "activity": "institutional",
            "providers": [world.provider_a.slug],
            "decision": "positive",
            "valid_from": "2024-01-01",
            "valid_until": "2030-12-31",
            "covers_microcredentials": True,
        },
    )
    assert outcome.ok, outcome.findings
    settings.MICROCRED_STATUS_SUSPENSION = True  # so the emergency action may suspend it
    credential = issue.issue_credential(
        users["staff_a"], world.spec_a, issue.Learner("ada@example.org", "Ada Lovelace")
    ).record
    pending = registration.submit(dict(REQUEST))
    return ApiWorld(world, x, y, outcome.record, credential, pending, users, tokens)


def errors_name(response: Any, field: str) -> bool:
    """Whether a 4xx answer names ``field``: in ``errors[].loc`` or ``findings[].path``."""
    body = response.json()
    located = [e["loc"][-1] for e in body.get("errors") or []]
    paths = [str(f["path"]).split(".", 1)[0] for f in body.get("findings") or []]
    return field in located or field in paths
