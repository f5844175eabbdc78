"""Role x organisation x action for every workspace endpoint of the API: who may do each job
the pages offer, through the API. A refusal writes nothing (not even an audit row); an
anonymous call is a 401 and a call with a role that does not allow it a 403.

The rules are the services' (the same as the pages'): the operator governs (registration
requests, accounts, merges, the emergency action, the audit log, and, as for every record of
the register, QA results and specifications) but does not issue: the provider's own status
change of a credential stays its issuers'. An agency withdraws its own results only; a
provider's editors and admins duplicate, withdraw and read the history of its specifications,
its issuers do not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from microcred_web.issuing.models import AuditEvent

from .conftest import ROLES, ApiWorld

Call = Callable[[ApiWorld], tuple[str, str, Any]]

OPERATOR_ONLY = {role: 403 for role in ROLES} | {"anonymous": 401}


def expect(ok: int, *allowed: str) -> dict[str, int]:
    return OPERATOR_ONLY | dict.fromkeys(allowed, ok)


#: (name, the call, the expected status for each role)
CASES: list[tuple[str, Call, dict[str, int]]] = [
    (
        "list registration requests",
        lambda w: ("get", "/api/v1/registration-requests", None),
        expect(200, "operator"),
    ),
    (
        "read a registration request",
        lambda w: ("get", f"/api/v1/registration-requests/{w.request.public_id}", None),
        expect(200, "operator"),
    ),
    (
        "approve a registration request",
        lambda w: ("post", f"/api/v1/registration-requests/{w.request.public_id}/approve", {}),
        expect(200, "operator"),
    ),
    (
        "reject a registration request",
        lambda w: (
            "post",
            f"/api/v1/registration-requests/{w.request.public_id}/reject",
            {"reason": "not a provider of learning"},
        ),
        expect(200, "operator"),
    ),
    (
        "list staff accounts",
        lambda w: ("get", "/api/v1/accounts", None),
        expect(200, "operator"),
    ),
    (
        "read a staff account",
        lambda w: ("get", "/api/v1/accounts/staff_b", None),
        expect(200, "operator"),
    ),
    (
        "grant a role",
        lambda w: (
            "post",
            "/api/v1/accounts/nobody/memberships",
            {"role": "agency", "organisation": "nvao"},
        ),
        expect(201, "operator"),
    ),
    (
        "remove a role",
        lambda w: (
            "delete",
            f"/api/v1/accounts/agency_y/memberships/{w.users['agency_y'].memberships.get().pk}",
            None,
        ),
        expect(200, "operator"),
    ),
    (
        "deactivate an account",
        lambda w: ("post", "/api/v1/accounts/staff_b/deactivate", {"reason": "left"}),
        expect(200, "operator"),
    ),
    (
        "merge a duplicate provider",
        lambda w: (
            "post",
            f"/api/v1/providers/{w.provider_a.slug}/merge",
            {"duplicate": w.provider_b.slug, "reason": "registered twice"},
        ),
        expect(200, "operator"),
    ),
    (
        "emergency status change",
        lambda w: (
            "post",
            f"/api/v1/credentials/urn:uuid:{w.credential.public_id}/emergency-status",
            {"action": "revoke", "reason": "Court order 2026/117"},
        ),
        expect(200, "operator"),
    ),
    (
        "read the audit log",
        lambda w: ("get", "/api/v1/audit", None),
        expect(200, "operator"),
    ),
    (
        "the provider's own status change (not the operator's)",
        lambda w: (
            "post",
            f"/api/v1/credentials/urn:uuid:{w.credential.public_id}/status",
            {"action": "revoke", "reason": "error in the grade"},
        ),
        expect(200, "staff_a", "issuer_a"),
    ),
    (
        "withdraw a QA result",
        lambda w: (
            "post",
            f"/api/v1/qa-results/{w.result.public_id}/withdraw",
            {"reason": "recorded in error"},
        ),
        expect(200, "agency_x", "operator"),
    ),
    (
        "duplicate a specification",
        lambda w: (
            "post",
            f"/api/v1/specifications/{w.spec_a.public_id}/duplicate",
            {"local_id": "DS-102"},
        ),
        expect(201, "staff_a", "editor_a", "operator"),
    ),
    (
        "read a specification's history",
        lambda w: ("get", f"/api/v1/specifications/{w.spec_a.public_id}/history", None),
        expect(200, "staff_a", "editor_a", "operator"),
    ),
    (
        "withdraw a specification with a reason",
        lambda w: (
            "post",
            f"/api/v1/specifications/{w.spec_a.public_id}/status",
            {"status": "withdrawn", "reason": "replaced by DS-201"},
        ),
        expect(200, "staff_a", "editor_a", "operator"),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "call", "expected"), CASES, ids=[c[0] for c in CASES])
def test_who_may_do_what(
    api: ApiWorld, role: str, name: str, call: Call, expected: dict[str, int]
) -> None:
    method, path, body = call(api)
    rows = AuditEvent.objects.count()
    newest = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if method == "get":
        response = api.get(role, path)
    elif method == "delete":
        response = Client().delete(path, **api.headers(role))
    else:
        response = api.post(role, path, body)

    assert response.status_code == expected[role], (name, role, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) >= {"code", "detail"}
        assert AuditEvent.objects.count() == rows, "a refusal wrote an audit row"
    elif method != "get":
        written = AuditEvent.objects.filter(pk__gt=newest)
        assert written.exists(), "a write left no audit row"
        assert set(written.values_list("interface", flat=True)) == {"api"}


def test_another_providers_draft_is_not_revealed(api: ApiWorld) -> None:
    """A draft of provider A is a 404 to provider B's admin (its existence is not shown),
    where a published one is a 403."""
    api.spec_a.status = "draft"
    api.spec_a.save()
    for path, body in (
        (f"/api/v1/specifications/{api.spec_a.public_id}/duplicate", {"local_id": "X-1"}),
        (f"/api/v1/specifications/{api.spec_a.public_id}/status", {"status": "published"}),
    ):
        assert api.post("staff_b", path, body).status_code == 404
    history = api.get("staff_b", f"/api/v1/specifications/{api.spec_a.public_id}/history")
    assert history.status_code == 404
    assert api.post("staff_a", path, {"status": "published"}).status_code == 200


def test_refused_operator_calls_do_not_reveal_records(api: ApiWorld) -> None:
    """To anyone but the operator, a request or account that exists and one that does not
    are answered alike (403)."""
    for path in (
        f"/api/v1/registration-requests/{api.request.public_id}",
        "/api/v1/registration-requests/R-NOSUCH",
    ):
        assert api.get("staff_a", path).status_code == 403
    for name in ("staff_b", "no-such-account"):
        response = api.post("agency_x", f"/api/v1/accounts/{name}/deactivate", {"reason": "x"})
        assert response.status_code == 403
    assert api.get("operator", "/api/v1/registration-requests/R-NOSUCH").status_code == 404
    missing = api.post("operator", "/api/v1/accounts/no-such-account/deactivate", {"reason": "x"})
    assert missing.status_code == 404
