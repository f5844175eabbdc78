"""The operator's other jobs through the API: deactivating an account, merging a duplicate
provider (refused when the duplicate signed anything), the emergency status change (reasoned,
audited, shown to the provider) and the audit log with the viewer's filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord
from microcred_web.operator.models import MergedProvider
from microcred_web.register.models import Membership, Provider, Specification

from .conftest import ApiWorld, errors_name

# --- accounts -------------------------------------------------------------------------------


def test_deactivating_an_account_stops_its_tokens(api: ApiWorld) -> None:
    before = api.get("staff_b", "/api/v1/credentials/urn:uuid:" + str(api.credential.public_id))
    assert before.status_code == 403  # the token works (staff_b may not read A's credential)

    response = api.post("operator", "/api/v1/accounts/staff_b/deactivate", {"reason": "left"})

    assert response.status_code == 200, response.content
    assert response.json() == {"username": "staff_b", "active": False, "tokens_revoked": 1}
    account = api.users["staff_b"]
    account.refresh_from_db()
    assert not account.is_active
    assert Membership.objects.filter(user=account).exists()  # kept, with its history
    row = AuditEvent.objects.get(action="account-deactivated")
    assert (row.reason, row.interface, row.target) == ("left", "api", "account staff_b")
    after = api.post(
        "staff_b",
        f"/api/v1/specifications/{api.base.spec_b.public_id}/duplicate",
        {"local_id": "Z"},
    )
    assert after.status_code == 401

    again = api.post("operator", "/api/v1/accounts/staff_b/deactivate", {"reason": "left"})
    assert again.status_code == 409 and again.json()["code"] == "already-deactivated"


def test_deactivation_refusals_name_the_reason(api: ApiWorld) -> None:
    for body in ({}, {"reason": ""}, {"reason": "  "}):
        response = api.post("operator", "/api/v1/accounts/staff_b/deactivate", body)
        assert response.status_code == 422 and errors_name(response, "reason"), body
    own = api.post("operator", "/api/v1/accounts/operator/deactivate", {"reason": "tired"})
    assert own.status_code == 422 and own.json()["code"] == "own-account"
    assert api.users["operator"].is_active
    assert not AuditEvent.objects.filter(action="account-deactivated").exists()


def test_a_learners_wallet_account_is_no_staff_account(api: ApiWorld) -> None:
    from django.contrib.auth import get_user_model

    from microcred_web.wallet.models import LearnerAccount

    user = get_user_model().objects.create(username="learner-ada", email="ada@example.org")
    LearnerAccount.objects.create(user=user)
    response = api.post("operator", "/api/v1/accounts/learner-ada/deactivate", {"reason": "x"})
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.is_active


# --- merging --------------------------------------------------------------------------------


def _duplicate(api: ApiWorld) -> Provider:
    dup = Provider.objects.create(
        slug="north-sea-univ", legal_name={"en": "North Sea Univ."}, kind="university", country="NL"
    )
    from tests.web.issuing.conftest import _spec

    _spec(dup, "DS-900")
    return dup


def test_merging_moves_everything_of_an_unsigned_duplicate(api: ApiWorld) -> None:
    dup = _duplicate(api)
    moved_spec = Specification.objects.get(provider=dup)

    response = api.post(
        "operator",
        f"/api/v1/providers/{api.provider_a.public_id}/merge",
        {"duplicate": dup.public_id, "reason": "registered twice"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["merged"] == "north-sea-univ"
    assert body["moved"] == {"specifications": 1, "qa_results": 0, "memberships": 0}
    assert body["provider"]["slug"] == api.provider_a.slug
    moved_spec.refresh_from_db()
    assert moved_spec.provider == api.provider_a
    assert MergedProvider.objects.filter(slug="north-sea-univ", kept=api.provider_a).exists()
    row = AuditEvent.objects.get(action="provider-merged")
    assert row.interface == "api" and row.reason == "registered twice"


def test_a_duplicate_that_signed_anything_is_not_merged(api: ApiWorld) -> None:
    """Provider A has issued a credential: merging it into B is refused (409), nothing moves."""
    response = api.post(
        "operator",
        f"/api/v1/providers/{api.provider_b.slug}/merge",
        {"duplicate": api.provider_a.slug, "reason": "same university"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate-signed"
    assert Provider.objects.filter(slug=api.provider_a.slug).exists()
    assert Specification.objects.filter(provider=api.provider_a).count() == 1
    assert IssuedCredentialRecord.objects.get().provider == api.provider_a
    assert not AuditEvent.objects.filter(action="provider-merged").exists()


def test_merge_refusals_name_the_field(api: ApiWorld) -> None:
    path = f"/api/v1/providers/{api.provider_a.slug}/merge"
    cases = [
        ({"duplicate": "no-such-provider", "reason": "x"}, "duplicate", "no-duplicate"),
        ({"duplicate": api.provider_a.slug, "reason": "x"}, "duplicate", "same-provider"),
        ({"duplicate": api.provider_b.slug, "reason": " "}, "reason", "reason-required"),
        ({"duplicate": api.provider_b.slug}, "reason", "invalid-request"),
    ]
    for body, field, code in cases:
        response = api.post("operator", path, body)
        assert response.status_code == 422, body
        assert errors_name(response, field) and response.json()["code"] == code, response.json()
    assert api.post("operator", "/api/v1/providers/nope/merge", cases[0][0]).status_code == 404
    assert Provider.objects.filter(slug=api.provider_b.slug).exists()


def test_same_local_id_on_both_is_a_conflict(api: ApiWorld) -> None:
    dup = _duplicate(api)
    from tests.web.issuing.conftest import _spec

    _spec(dup, api.spec_a.local_id)
    response = api.post(
        "operator",
        f"/api/v1/providers/{api.provider_a.slug}/merge",
        {"duplicate": dup.slug, "reason": "same"},
    )
    assert response.status_code == 409 and response.json()["code"] == "local-id-clash"


# --- the emergency action -------------------------------------------------------------------


def _emergency(api: ApiWorld, role: str = "operator", **body: str) -> Any:
    payload = {"action": "revoke", "reason": "Court order 2026/117"} | body
    path = f"/api/v1/credentials/urn:uuid:{api.credential.public_id}/emergency-status"
    return api.post(role, path, payload)


def test_the_emergency_action_is_audited_and_shown_to_the_provider(api: ApiWorld) -> None:
    response = _emergency(api, action="suspend", reason="Order 17/2026, pending appeal")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": f"urn:uuid:{api.credential.public_id}",
        "provider": api.provider_a.slug,
        "action": "suspend",
        "revoked": False,
        "suspended": True,
    }
    row = AuditEvent.objects.get(action="emergency-suspend")
    assert row.interface == "api" and row.actor == api.users["operator"]
    assert row.reason == "Order 17/2026, pending appeal"
    assert row.details["provider"] == api.provider_a.slug

    # The provider sees it: on its dashboard and in its history through the API's audit rows.
    client = Client()
    client.force_login(api.users["staff_a"])
    dashboard = client.get(f"/dashboard/providers/{api.provider_a.slug}/")
    assert dashboard.status_code == 200
    assert "Order 17/2026, pending appeal" in dashboard.content.decode()
    history = client.get(f"/history/providers/{api.provider_a.slug}/")
    assert "emergency-suspend" in history.content.decode()

    back = _emergency(api, action="reinstate", reason="Appeal granted, order 18/2026")
    assert back.status_code == 200 and back.json()["suspended"] is False


def test_the_emergency_action_needs_a_reason_and_follows_the_state_rules(
    api: ApiWorld,
) -> None:
    for reason in ("", "   "):
        response = _emergency(api, reason=reason)
        assert response.status_code == 422 and errors_name(response, "reason"), reason
    missing = api.post(
        "operator",
        f"/api/v1/credentials/urn:uuid:{api.credential.public_id}/emergency-status",
        {"action": "revoke"},
    )
    assert missing.status_code == 422 and errors_name(missing, "reason")
    bad_action = _emergency(api, action="delete")
    assert bad_action.status_code == 422 and errors_name(bad_action, "action")
    not_suspended = _emergency(api, action="reinstate")
    assert not_suspended.status_code == 409
    assert not_suspended.json()["code"] == "credential-not-suspended"
    api.credential.refresh_from_db()
    assert not api.credential.revoked and not api.credential.suspended

    assert _emergency(api).status_code == 200
    final = _emergency(api)
    assert final.status_code == 409 and final.json()["code"] == "credential-revoked"
    unknown = api.post(
        "operator",
        "/api/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000/emergency-status",
        {"action": "revoke", "reason": "x"},
    )
    assert unknown.status_code == 404


def test_the_emergency_action_is_refused_without_a_usable_kek(
    api: ApiWorld, monkeypatch: Any
) -> None:
    monkeypatch.delenv("MICROCRED_KEK")
    response = _emergency(api)
    assert response.status_code == 503 and response.json()["code"] == "kek-unavailable"
    api.credential.refresh_from_db()
    assert not api.credential.revoked


# --- the audit log --------------------------------------------------------------------------


def test_the_audit_log_with_the_viewers_filters(api: ApiWorld) -> None:
    _emergency(api, action="suspend", reason="Order 1")
    api.post("operator", "/api/v1/accounts/staff_b/deactivate", {"reason": "left"})

    everything = api.get("operator", "/api/v1/audit").json()
    assert everything["count"] == AuditEvent.objects.count() >= 4
    newest = everything["items"][0]
    assert newest["action"] == "account-deactivated" and newest["interface"] == "api"
    assert set(newest) == {"at", "actor", "action", "target", "reason", "interface", "details"}

    def actions(**query: Any) -> set[str]:
        response = api.get("operator", "/api/v1/audit", query)
        assert response.status_code == 200, response.content
        return {item["action"] for item in response.json()["items"]}

    assert actions(interface="api") == {"emergency-suspend", "account-deactivated"}
    assert "qa-result-created" in actions(interface="cli")
    assert actions(record_type="account") == {"account-deactivated"}
    assert actions(record_type="credential", interface="api") == {"emergency-suspend"}
    assert actions(actor="agency_x") == {"qa-result-created", "token-created"}
    assert actions(action="emergency-suspend") == {"emergency-suspend"}
    assert actions(record="staff_b", interface="api") == {"account-deactivated"}
    today = timezone.localdate()
    assert actions(since=today.isoformat(), until=today.isoformat(), interface="api") == {
        "emergency-suspend",
        "account-deactivated",
    }
    assert actions(until=(today - timedelta(days=1)).isoformat()) == set()
    paged = api.get("operator", "/api/v1/audit", {"per_page": 1, "page": 2}).json()
    assert paged["count"] == everything["count"] and len(paged["items"]) == 1
    assert paged["items"][0] == everything["items"][1]


def test_bad_audit_filters_name_the_parameter(api: ApiWorld) -> None:
    today = timezone.localdate()
    cases = [
        ({"since": today.isoformat(), "until": (today - timedelta(days=2)).isoformat()}, "until"),
        ({"since": "yesterday"}, "since"),
        ({"interface": "fax"}, "interface"),
        ({"record_type": "learner"}, "record_type"),
        ({"per_page": 1000}, "per_page"),
    ]
    for query, field in cases:
        response = api.get("operator", "/api/v1/audit", query)
        assert response.status_code == 422, query
        assert errors_name(response, field), (query, response.json())


# --- roles ----------------------------------------------------------------------------------


def test_granting_and_removing_roles(api: ApiWorld) -> None:
    path = "/api/v1/accounts/nobody/memberships"
    response = api.post("operator", path, {"role": "provider", "organisation": "codecraft"})

    assert response.status_code == 201, response.content
    (membership,) = response.json()["memberships"]
    assert (membership["role"], membership["provider"]) == ("provider", "codecraft")
    assert Membership.objects.filter(user=api.users["nobody"], provider=api.provider_b).exists()
    row = AuditEvent.objects.get(action="membership-granted", target="account nobody")
    assert row.interface == "api" and row.details["provider"] == "codecraft"
    # The role works at once: the account's token now acts for CodeCraft.
    duplicate = api.post(
        "nobody",
        f"/api/v1/specifications/{api.base.spec_b.public_id}/duplicate",
        {"local_id": "PY-2"},
    )
    assert duplicate.status_code == 201

    again = api.post("operator", path, {"role": "provider", "organisation": "codecraft"})
    assert again.status_code == 409 and again.json()["code"] == "already-granted"
    for body, field in (
        ({"role": "provider", "organisation": "no-such-provider"}, "organisation"),
        ({"role": "agency", "organisation": ""}, "organisation"),
        ({"role": "operator", "organisation": "nvao"}, "organisation"),
        ({"role": "learner"}, "role"),
    ):
        refused = api.post("operator", path, body)
        assert refused.status_code == 422 and errors_name(refused, field), body

    listed = api.get("operator", "/api/v1/accounts", {"q": "nobody"}).json()
    assert [a["username"] for a in listed["items"]] == ["nobody"]
    removed = Client().delete(
        f"/api/v1/accounts/nobody/memberships/{membership['id']}", **api.headers("operator")
    )
    assert removed.status_code == 200 and removed.json()["memberships"] == []
    assert AuditEvent.objects.filter(action="membership-removed", interface="api").exists()


def test_a_role_is_removed_only_through_its_own_account(api: ApiWorld) -> None:
    other = api.users["staff_b"].memberships.get()
    response = Client().delete(
        f"/api/v1/accounts/nobody/memberships/{other.pk}", **api.headers("operator")
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
    assert not AuditEvent.objects.filter(action="membership-removed").exists()
