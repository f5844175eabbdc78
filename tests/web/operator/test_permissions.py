"""Nobody but the register operator opens an operator page or takes an operator action: a
visitor is sent to sign in, a provider's staff and an account without a role get the 403
page, and nothing is written. The public form and the welcome pages are for anyone."""

from __future__ import annotations

from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Membership

from .conftest import IssuingWorld, signed_in


def _urls(world: IssuingWorld, request_id: str) -> list[tuple[str, str, dict[str, str]]]:
    staff = world.users["staff_b"]
    membership = Membership.objects.get(user=staff)
    slug = world.provider_a.slug
    return [
        ("get", "/operator/", {}),
        ("get", "/operator/requests/", {}),
        ("get", f"/operator/requests/{request_id}/", {}),
        ("post", f"/operator/requests/{request_id}/approve", {"slug": "bcs"}),
        ("post", f"/operator/requests/{request_id}/reject", {"reason": "no"}),
        ("get", "/operator/providers/", {}),
        ("get", f"/operator/providers/{slug}/", {}),
        (
            "post",
            f"/operator/providers/{slug}/",
            {"slug": slug, "legal_name": "X", "kind": "company", "country": "NL"},
        ),
        (
            "post",
            f"/operator/providers/{slug}/merge",
            {"duplicate": "codecraft", "reason": "same", "confirm": "on"},
        ),
        ("get", "/operator/agencies/", {}),
        ("get", "/operator/accounts/", {}),
        ("get", f"/operator/accounts/{staff.pk}/", {}),
        ("post", f"/operator/accounts/{staff.pk}/grant", {"role": "operator"}),
        ("post", f"/operator/accounts/{staff.pk}/memberships/{membership.pk}/remove", {}),
        ("post", f"/operator/accounts/{staff.pk}/deactivate", {"reason": "left"}),
        ("get", "/operator/emergency/", {}),
        (
            "post",
            "/operator/emergency/",
            {"credential": "x", "action": "revoke", "reason": "order", "confirm": "on"},
        ),
        ("get", "/operator/audit/", {}),
    ]


@pytest.mark.parametrize("who", ["staff_a", "staff_b", "nobody"])
def test_non_operators_are_refused_everywhere(
    client: Any, world: IssuingWorld, pending_request: Any, who: str
) -> None:
    signed_in(client, world.users[who])
    before = AuditEvent.objects.count()
    for method, url, data in _urls(world, pending_request.public_id):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (who, method, url, response.status_code)
        assert "You cannot open this page" in response.content.decode()
    assert AuditEvent.objects.count() == before
    pending_request.refresh_from_db()
    assert pending_request.status == "pending"
    assert Membership.objects.filter(user=world.users["staff_b"]).exists()
    assert world.users["staff_b"].__class__.objects.get(pk=world.users["staff_b"].pk).is_active


def test_visitors_are_sent_to_sign_in(
    client: Any, world: IssuingWorld, pending_request: Any
) -> None:
    for method, url, data in _urls(world, pending_request.public_id):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/accounts/login/")


def test_the_operator_opens_every_page(
    client: Any, world: IssuingWorld, pending_request: Any
) -> None:
    signed_in(client, world.users["operator"])
    for method, url, _data in _urls(world, pending_request.public_id):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_public_pages_are_for_anyone(client: Any, db: Any) -> None:
    for url in (
        "/register-organisation/",
        "/register-organisation/sent/",
        "/welcome/password-set/",
        "/welcome/set-password/MQ/bad-token/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["staff_b", "nobody"])
def test_history_pages_are_for_those_who_may_edit_the_record(
    client: Any, world: IssuingWorld, who: str
) -> None:
    signed_in(client, world.users[who])
    assert client.get(f"/history/providers/{world.provider_a.slug}/").status_code == 403
    assert client.get(f"/history/specifications/{world.spec_a.public_id}/").status_code == 403
    signed_in(client, world.users["staff_a"])
    assert client.get(f"/history/providers/{world.provider_a.slug}/").status_code == 200
    assert client.get(f"/history/specifications/{world.spec_a.public_id}/").status_code == 200
