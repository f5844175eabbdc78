"""Role × provider × action: every dashboard, API and team action, for every kind of user.

Nobody acts for a provider or an agency they do not belong to; an issuer cannot edit
specifications, an editor cannot issue, the operator cannot issue, change a status or rotate
a key (but still sees the provider's page and edits specifications).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord, ProviderKey
from microcred_web.register.models import Membership, Specification

from .conftest import TeamWorld

#: Who may do what at provider A (north-sea-university). staff_a is an admin (the default).
ISSUERS = {"issuer_a", "admin_a", "staff_a"}
EDITORS = {"editor_a", "admin_a", "staff_a", "operator"}
ADMINS = {"admin_a", "staff_a"}
VIEWERS = ISSUERS | {"operator"}
WORKSPACE = ISSUERS | {"editor_a", "operator"}
EVERYONE = [
    "operator",
    "staff_a",
    "admin_a",
    "issuer_a",
    "editor_a",
    "staff_b",
    "agency_staff",
    "nobody",
]


def _issue(team: TeamWorld) -> IssuedCredentialRecord:
    from microcred_web.issuing import issue

    outcome = issue.issue_credential(
        team.users["issuer_a"], team.base.spec_a, issue.Learner("ada@example.org", "Ada Lovelace")
    )
    return outcome.record


def _base(team: TeamWorld) -> str:
    return f"/dashboard/providers/{team.provider_a.slug}/"


@pytest.mark.parametrize("who", EVERYONE)
def test_provider_page(team: TeamWorld, who: str) -> None:
    record = _issue(team)
    page = team.client(who).get(_base(team))
    assert page.status_code == (200 if who in WORKSPACE else 403), who
    content = page.content.decode()
    if who not in WORKSPACE:
        assert "You cannot open this page" in content
        assert "Ada Lovelace" not in content
        return
    assert ('action="/dashboard/providers/north-sea-university/issue"' in content) == (
        who in ISSUERS
    )
    assert ("rotate-key" in content) == (who in ISSUERS)
    assert ("Ada Lovelace" in content) == (who in VIEWERS), who
    assert (f'action="{_base(team)}credentials/{record.public_id}/status"' in content) == (
        who in ISSUERS
    )
    assert ('href="/team/providers/north-sea-university/"' in content) == (who in ADMINS)


@pytest.mark.parametrize("who", EVERYONE)
def test_issue_on_the_page(team: TeamWorld, who: str) -> None:
    data = {
        "specification": team.base.spec_a.public_id,
        "identifier": "eve@example.org",
        "cryptosuite": "eddsa-rdfc-2022",
    }
    response = team.client(who).post(_base(team) + "issue", data)
    allowed = who in ISSUERS
    assert response.status_code == (302 if allowed else 403), who
    assert IssuedCredentialRecord.objects.count() == (1 if allowed else 0)
    if not allowed:
        # refused before the form is read: an empty post is a 403 too, not a 422
        assert team.client(who).post(_base(team) + "issue", {}).status_code == 403


@pytest.mark.parametrize("who", EVERYONE)
def test_status_change_on_the_page(team: TeamWorld, who: str) -> None:
    record = _issue(team)
    url = _base(team) + f"credentials/{record.public_id}/status"
    data = {"action": "revoke", "reason": "fraud", "confirm": "yes"}
    response = team.client(who).post(url, data)
    assert response.status_code == (302 if who in ISSUERS else 403), who
    record.refresh_from_db()
    assert record.revoked == (who in ISSUERS)
    confirm = team.client(who).get(_base(team) + f"credentials/{record.public_id}/revoke")
    assert confirm.status_code in ((200, 302) if who in ISSUERS else (403,)), who


@pytest.mark.parametrize("who", EVERYONE)
def test_rotate_on_the_page(team: TeamWorld, who: str) -> None:
    _issue(team)
    response = team.client(who).post(_base(team) + "rotate-key", {"confirm": "rotate"})
    assert response.status_code == (302 if who in ISSUERS else 403), who
    assert ProviderKey.objects.filter(provider=team.provider_a).count() == (
        2 if who in ISSUERS else 1
    )
    if who not in ISSUERS:
        assert team.client(who).post(_base(team) + "rotate-key", {}).status_code == 403


@pytest.mark.parametrize("who", EVERYONE)
def test_download_a_credential(team: TeamWorld, who: str) -> None:
    record = _issue(team)
    response = team.client(who).get(f"/dashboard/credentials/{record.public_id}.json")
    assert response.status_code == (200 if who in VIEWERS else 403), who


@pytest.mark.parametrize("who", EVERYONE)
def test_api_issue_status_and_read(team: TeamWorld, who: str, client: Any) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {team.token(who)}"}
    body = {"specification": team.base.spec_a.public_id, "learner": {"identifier": "x@ex.org"}}
    issued = client.post(
        "/api/v1/credentials/issue", json.dumps(body), content_type="application/json", **auth
    )
    assert issued.status_code == (201 if who in ISSUERS else 403), (who, issued.content)
    if who not in ISSUERS:
        assert "issuers and admins" in issued.json()["detail"]
    record = _issue(team)
    read = client.get(f"/api/v1/credentials/urn:uuid:{record.public_id}", **auth)
    assert read.status_code == (200 if who in VIEWERS else 403), who
    changed = client.post(
        f"/api/v1/credentials/urn:uuid:{record.public_id}/status",
        json.dumps({"action": "revoke", "reason": "x"}),
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == (200 if who in ISSUERS else 403), who


@pytest.mark.parametrize("who", EVERYONE)
def test_api_specification_write(team: TeamWorld, who: str, client: Any) -> None:
    from tests.web.issuing.conftest import SPEC

    auth = {"HTTP_AUTHORIZATION": f"Bearer {team.token(who)}"}
    body = {**SPEC, "id": "NEW-1"}
    response = client.post(
        f"/api/v1/providers/{team.provider_a.slug}/specifications",
        json.dumps(body),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == (201 if who in EDITORS else 403), (who, response.content)
    assert Specification.objects.filter(local_id="NEW-1").exists() == (who in EDITORS)


@pytest.mark.parametrize("who", EVERYONE)
def test_team_pages_of_a_provider(team: TeamWorld, who: str) -> None:
    url = f"/team/providers/{team.provider_a.slug}/"
    client = team.client(who)
    allowed = who in ADMINS
    assert client.get(url).status_code == (200 if allowed else 403), who
    editor = Membership.objects.get(user=team.users["editor_a"])
    writes = {
        "invite": {"email": "new@nsu.example", "level": "issuer"},
        f"members/{editor.pk}/level": {"level": "admin"},
        f"members/{editor.pk}/remove": {},
    }
    if allowed:
        return  # what admins do is tested in test_team_members / test_team_invitations
    for suffix, data in writes.items():
        assert client.post(url + suffix, data).status_code == 403, (who, suffix)
        assert client.post(url + suffix, {}).status_code == 403, (who, suffix)
    editor.refresh_from_db()
    assert editor.level == "editor"
    assert not AuditEvent.objects.filter(action__startswith="member-").exists()


@pytest.mark.parametrize("who", [*EVERYONE, "other_agency_staff"])
def test_team_pages_of_an_agency(team: TeamWorld, who: str) -> None:
    url = f"/team/agencies/{team.agency.slug}/"
    client = team.client(who)
    allowed = who == "agency_staff"
    assert client.get(url).status_code == (200 if allowed else 403), who
    member = Membership.objects.get(user=team.users["agency_staff"])
    if not allowed:
        assert client.post(url + "invite", {"email": "x@agency.example"}).status_code == 403
        assert client.post(url + f"members/{member.pk}/remove", {}).status_code == 403
        assert Membership.objects.filter(pk=member.pk).exists()


def test_a_member_of_another_team_is_not_found_through_this_one(team: TeamWorld) -> None:
    """An admin of B cannot reach A's memberships by id through B's team page."""
    editor = Membership.objects.get(user=team.users["editor_a"])
    client = team.client("staff_b")
    url = f"/team/providers/{team.provider_b.slug}/members/{editor.pk}/"
    assert client.post(url + "level", {"level": "admin"}).status_code == 404
    assert client.post(url + "remove", {}).status_code == 404
    editor.refresh_from_db()
    assert editor.level == "editor"


@pytest.mark.parametrize("who", EVERYONE)
def test_tokens_page(team: TeamWorld, who: str) -> None:
    client = team.client(who)
    allowed = who != "nobody"
    assert client.get("/team/tokens/").status_code == (200 if allowed else 403), who
    created = client.post("/team/tokens/new", {"name": "records system"})
    assert created.status_code == (200 if allowed else 403), who


def test_nobody_revokes_another_users_token(team: TeamWorld) -> None:
    from microcred_web.register.models import ApiToken
    from microcred_web.register.tokens import create_token

    theirs = create_token(team.users["issuer_a"], "theirs").record
    for who in ("admin_a", "operator", "staff_b"):
        response = team.client(who).post(f"/team/tokens/{theirs.pk}/revoke")
        assert response.status_code == 404, who
    assert not ApiToken.objects.get(pk=theirs.pk).revoked


def test_sign_in_is_required_everywhere(team: TeamWorld, client: Any) -> None:
    for url in (
        "/team/tokens/",
        f"/team/providers/{team.provider_a.slug}/",
        f"/team/agencies/{team.agency.slug}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.post("/team/tokens/new", {"name": "x"}).status_code == 302
