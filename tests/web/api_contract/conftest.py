"""The world the contract tests run in: the demo register, one issued credential, one API
token per role, and the API document loaded by schemathesis against the WSGI application.

The demo data (``seed_demo``) gives schemathesis real records to reach: providers with
published specifications, agencies, QA results; one credential is issued on top so the
credential operations have something to read and revoke. Requests go straight to the WSGI
application in this process, inside the test's transaction, so the same tests run on SQLite
and PostgreSQL and leave nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis

from microcred.credentials.keystore import generate_kek

HOST = "register.example"
#: The roles the API knows, each with the demo account that holds it (None: no token).
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "operator": "operator",
    "provider": "demo-provider",
    "agency": "demo-agency",
}


@dataclass
class ContractWorld:
    tokens: dict[str, str]
    #: Path parameters of records that exist, so generated requests also hit real ones.
    known: dict[str, str] = field(default_factory=dict)
    #: Those that differ by role: each role's own spare API token (``token_id``), so that
    #: revoking it reaches a real record without revoking the token the run is using.
    known_by_role: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture(autouse=True)
def contract_settings(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> Iterator[None]:
    from microcred_web.catalogue import services

    monkeypatch.setenv("MICROCRED_KEK", generate_kek())
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)
    settings.MICROCRED_HOST = HOST
    settings.MICROCRED_DID_WEB_ALLOW_HTTP = True
    settings.ALLOWED_HOSTS = [HOST, "localhost", "testserver"]
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    # The public registration request shares the form's budget (5 an hour): the run sends
    # more than that, and should reach the checks behind the limit, not only 429s.
    settings.MICROCRED_RATE_LIMITS = settings.MICROCRED_RATE_LIMITS | {
        "register-organisation": "10000/h"
    }
    services.reset_index()
    yield
    services.reset_index()


@pytest.fixture
def contract_world(db: Any) -> ContractWorld:
    from microcred_web.issuing import issue
    from microcred_web.register import demo
    from microcred_web.register.models import Agency, Provider, QAResult, Specification
    from microcred_web.register.tokens import create_token

    demo.seed()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    tokens = {
        role: create_token(users.get(username=username), "contract tests").token
        for role, username in ROLES.items()
        if username is not None
    }
    provider = Provider.objects.get(slug="north-sea-university")
    spec = (
        Specification.objects.filter(provider=provider, status="published", has_errors=False)
        .order_by("public_id")
        .first()
    )
    assert spec is not None, "the demo data must hold a published specification"
    from microcred_web.issuing.cli import ShellOperator  # the operator no longer issues

    outcome = issue.issue_credential(
        ShellOperator(),
        spec,
        issue.Learner("learner-1@example.org", "Ada Learner"),
        "eddsa-rdfc-2022",
    )
    agency = Agency.objects.get(slug="nvao")
    result = QAResult.objects.filter(agency=agency).order_by("public_id").first()
    assert result is not None, "the demo data must hold a QA result of nvao"
    from microcred_web.wallet.exchange import create_exchange

    offered = create_exchange(outcome.record)
    from microcred_web.tasks import services as jobs

    job = jobs.start_reindex(users.get(username="operator"))
    from microcred_web.operator import registration

    request = registration.submit(
        {
            "legal_name": "Baltic Coding School",
            "name_language": "en",
            "slug": "baltic-coding-school",
            "kind": "company",
            "country": "LV",
            "contact_name": "Ilze Kalnina",
            "contact_email": "ilze@bcs.example",
        }
    )
    team = _team_records(users, provider, agency)
    spare = {
        role: {"token_id": str(create_token(users.get(username=username), "spare").record.pk)}
        for role, username in ROLES.items()
        if username is not None
    }
    known = {
        "exchange_id": str(offered.exchange.public_id),
        "transaction_id": offered.transaction_id,
        "key": provider.slug,
        "public_id": spec.public_id,
        "credential_id": outcome.credential["id"],
        "dataset": "register.json",
        "job_id": str(job.public_id),
        "request_id": request.public_id,
        # A staff account the operator may deactivate (not the operator's own).
        "username": "demo-agency",
        "membership_id": str(users.get(username="demo-agency").memberships.get().pk),
    }
    return ContractWorld(
        tokens,
        known | team | {"qa_result": result.public_id, "agency": agency.slug},
        spare,
    )


def _team_records(users: Any, provider: Any, agency: Any) -> dict[str, str]:
    """A colleague and a pending invitation in the provider's team and in the agency's, made
    by their own staff (the demo accounts), so the team operations reach real members and
    invitations; the demo accounts stay their teams' admins."""
    from microcred_web.register.models import Membership, Role
    from microcred_web.team import services

    known: dict[str, str] = {}
    for kind, record, username in (
        ("provider", provider, "demo-provider"),
        ("agency", agency, "demo-agency"),
    ):
        colleague = users.create(username=f"contract-{kind}-colleague")
        target = {"provider": record} if kind == "provider" else {"agency": record}
        level = {"level": "editor"} if kind == "provider" else {}
        membership = Membership.objects.create(
            user=colleague,
            role=Role.PROVIDER if kind == "provider" else Role.AGENCY,
            **target,
            **level,
        )
        org = services.Organisation(kind, record)
        invitation = services.invite(
            users.get(username=username), org, f"colleague@{kind}.example", "editor"
        )
        known[f"{kind}_member"] = str(membership.pk)
        known[f"{kind}_invitation"] = invitation.public_id
    return known


#: Schemathesis's own default for "a schema-valid request is accepted".
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
#: Writes whose services may refuse a well-formed request for reasons no schema can state (an
#: unknown reference, a date before another, a specification not published, a slug that is
#: required only to create): a 422 whose ``code`` is the service's, never "invalid-request"
#: (see :func:`request_model_agrees_with_the_document`).
WRITES = (
    "post_provider",
    "put_provider",
    "post_agency",
    "put_agency",
    "post_qa_result",
    "put_qa_result",
    "post_specification",
    "post_status",
    "post_import",
    "validate_specification",
    "issue_credential",
    "issue_bulk",
    "change_status",
    # the team's services refuse an address Django does not take for one, a member already
    # in the team, the last admin (409): their own codes, with the field
    "post_provider_invitation",
    "post_agency_invitation",
    "put_provider_member",
    # the workspaces' jobs (operator, agency, editor): refusals by the same services as the
    # pages' (a short name taken, an unknown duplicate, a reason of blanks, an end date
    # before the start date, a local id in use)
    "post_registration_request",
    "approve_registration",
    "reject_registration",
    "deactivate_account",
    "grant_role",
    "merge_provider",
    "emergency_status",
    "withdraw_qa_result",
    "duplicate_specification",
    "list_audit",
)
UPLOADS = ("post_import", "issue_bulk")
CONFIG = {
    "operations": [
        # Parameters that depend on each other: a search whose ects_min is above its ects_max
        # is a 400, as the operation's description says.
        {
            "include-operation-id": "catalogue_search",
            "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "400"]}},
        },
        # An uploaded file is any bytes to the document; one that cannot be read as CSV or
        # JSON is a 400 naming the problem (and its rows, once read, get a report each).
        *(
            {
                "include-operation-id": operation,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [*_ACCEPTED, "422"]
                        + (["400"] if operation in UPLOADS else [])
                    }
                },
            }
            for operation in WRITES
        ),
        # VC-API semantics: a well-formed document that does not verify is a 400 by design
        # (with problemDetails), and a body with nothing to verify in it a 422.
        *(
            {
                "include-operation-id": operation,
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "400", "422"]}
                },
            }
            for operation in ("vc_api_verify_credential", "vc_api_verify_presentation")
        ),
        # A wallet's exchange: any JSON object the document allows may still be no usable
        # DIDAuth presentation (400 format / challenge / domain, 422 neither {} nor one).
        {
            "include-operation-id": "wallet_exchange",
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "400", "422"]}
            },
        },
    ]
}


@schemathesis.check
def request_model_agrees_with_the_document(ctx: Any, response: Any, case: Any) -> None:
    """A request the document calls valid may be refused by a service (422 with its own code
    and findings), never by the request model: that would mean the document and the model
    disagree, which is what this whole suite is here to prevent."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict) and body.get("code") == "invalid-request":
        raise AssertionError(
            "the request model refused a request the OpenAPI document calls valid: "
            + str(body.get("detail"))
        )


@pytest.fixture
def api_schema(contract_world: ContractWorld) -> Iterator[Any]:
    """The document, loaded from the WSGI application itself.

    As Django's test client does, the application does not close the database connection
    around requests while the test runs: that would end the test's transaction (PostgreSQL).
    """
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        config = schemathesis.Config.from_dict(CONFIG)
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", get_wsgi_application(), config=config
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def headers_for(case: Any, headers: dict[str, str]) -> dict[str, str]:
    """The role's headers, except for a negative case that dropped or garbled the token: it
    is sent as generated, since putting the token back would make it a valid request,
    (rightly) accepted, then reported as a schema violation."""
    from schemathesis.core.parameters import ParameterLocation

    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        return {}
    return headers
