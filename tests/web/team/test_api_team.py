"""The team API (``/api/v1/providers/{key}/team``, ``/api/v1/agencies/{key}/team``): the same
jobs as the team pages, through the same services.

Role × organisation × action for every endpoint: only a provider's admins manage its team
(not its editors or issuers, not another provider's admins, not agency staff, not the
operator), only an agency's staff manage their agency's team; a refused request changes
nothing and sends no mail. Invitations go through a real SMTP server on 127.0.0.1 and the
link they carry is accepted on the page. Bad input is a 4xx naming the field, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Membership, Role
from microcred_web.team.models import Invitation
from tests.web.wallet.fixtures_signin import Mailbox

from .conftest import TeamWorld, dead_mail_server, invitation_path

A = "/api/v1/providers/north-sea-university/team"
B = "/api/v1/providers/codecraft/team"
NVAO = "/api/v1/agencies/nvao/team"
AQAS = "/api/v1/agencies/aqas/team"
GOOD_PASSWORD = "correct horse battery staple 42"

#: Everyone the team world knows: staff_a and admin_a are provider A's admins, staff_b is
#: provider B's admin, agency_staff works for nvao, other_agency_staff for aqas.
EVERYONE = [
    "operator",
    "staff_a",
    "admin_a",
    "issuer_a",
    "editor_a",
    "staff_b",
    "agency_staff",
    "other_agency_staff",
    "nobody",
]
A_ADMINS = {"staff_a", "admin_a"}
NVAO_STAFF = {"agency_staff"}


class Api:
    """A test client that sends one user's bearer token (or none) and JSON bodies."""

    def __init__(self, team: TeamWorld, who: str | None) -> None:
        from django.test import Client

        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {team.token(who)}"} if who else {}

    def get(self, path: str) -> Any:
        return self.client.get(path, **self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, **self.headers)

    def post(self, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(path, data, content_type="application/json", **self.headers)

    def put(self, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.put(path, data, content_type="application/json", **self.headers)


def _member(team: TeamWorld, username: str) -> Membership:
    return Membership.objects.get(user=team.users[username], role__in=[Role.PROVIDER, Role.AGENCY])


def _pending(team: TeamWorld, org: Any, email: str, level: str = "editor") -> Invitation:
    """An invitation made by one of ``org``'s own admins through the service (the mail goes
    to Django's test outbox)."""
    from microcred_web.team import services

    admins = {
        team.provider_a: ("provider", "admin_a"),
        team.provider_b: ("provider", "staff_b"),
        team.agency: ("agency", "agency_staff"),
        team.other_agency: ("agency", "other_agency_staff"),
    }
    kind, admin = admins[org]
    return services.invite(team.users[admin], services.Organisation(kind, org), email, level)


def _errors_at(response: Any) -> list[list[Any]]:
    return [error["loc"] for error in response.json().get("errors") or []]


# --- permissions: role × organisation × action ----------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_reading_provider_a_team(team: TeamWorld, who: str) -> None:
    _pending(team, team.provider_a, "grace@nsu.example")
    response = Api(team, who).get(A)
    assert response.status_code == (200 if who in A_ADMINS else 403), (who, response.content)
    if who not in A_ADMINS:
        assert response.json()["code"] == "forbidden"
        assert "grace@nsu.example" not in response.content.decode()
        return
    body = response.json()
    assert body["provider"] == "north-sea-university"
    levels = {m["username"]: m["level"] for m in body["members"]}
    assert levels == {
        "staff_a": "admin",
        "admin_a": "admin",
        "issuer_a": "issuer",
        "editor_a": "editor",
    }
    assert [(i["email"], i["level"], i["state"]) for i in body["invitations"]] == [
        ("grace@nsu.example", "editor", "pending")
    ]
    assert body["invitations"][0]["id"].startswith("I-")


@pytest.mark.parametrize("who", EVERYONE)
def test_inviting_to_provider_a(team: TeamWorld, who: str, mailoutbox: list[Any]) -> None:
    response = Api(team, who).post(
        A + "/invitations", {"email": "grace@nsu.example", "level": "issuer"}
    )
    if who not in A_ADMINS:
        assert response.status_code == 403, (who, response.content)
        assert not Invitation.objects.exists()
        assert mailoutbox == []
        assert not AuditEvent.objects.filter(action="member-invited").exists()
        return
    assert response.status_code == 201, response.content
    body = response.json()
    invitation = Invitation.objects.get()
    assert body == {
        "id": invitation.public_id,
        "email": "grace@nsu.example",
        "level": "issuer",
        "state": "pending",
        "created": body["created"],
        "expires": body["expires"],
    }
    assert invitation.provider == team.provider_a and invitation.level == "issuer"
    assert [m.to for m in mailoutbox] == [["grace@nsu.example"]]
    event = AuditEvent.objects.get(action="member-invited")
    assert event.actor_name == who and event.interface == "api"


@pytest.mark.parametrize("who", EVERYONE)
def test_withdrawing_an_invitation_of_provider_a(team: TeamWorld, who: str) -> None:
    invitation = _pending(team, team.provider_a, "grace@nsu.example")
    response = Api(team, who).delete(f"{A}/invitations/{invitation.public_id}")
    invitation.refresh_from_db()
    if who not in A_ADMINS:
        assert response.status_code == 403, (who, response.content)
        assert not invitation.revoked
        return
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn" and invitation.revoked
    event = AuditEvent.objects.get(action="invitation-revoked")
    assert event.actor_name == who and event.interface == "api"


@pytest.mark.parametrize("who", EVERYONE)
def test_changing_a_level_at_provider_a(team: TeamWorld, who: str) -> None:
    editor = _member(team, "editor_a")
    response = Api(team, who).put(f"{A}/members/{editor.pk}", {"level": "issuer"})
    editor.refresh_from_db()
    if who not in A_ADMINS:
        assert response.status_code == 403, (who, response.content)
        assert editor.level == "editor"
        return
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": editor.pk,
        "username": "editor_a",
        "email": "editor_a@nsu.example",
        "level": "issuer",
    }
    assert editor.level == "issuer"
    event = AuditEvent.objects.get(action="member-level-changed")
    assert event.details == {"from": "editor", "to": "issuer"} and event.interface == "api"


@pytest.mark.parametrize("who", EVERYONE)
def test_removing_a_member_of_provider_a(team: TeamWorld, who: str) -> None:
    issuer = _member(team, "issuer_a")
    response = Api(team, who).delete(f"{A}/members/{issuer.pk}")
    still = Membership.objects.filter(pk=issuer.pk).exists()
    if who not in A_ADMINS:
        assert response.status_code == 403, (who, response.content)
        assert still
        return
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": issuer.pk,
        "username": "issuer_a",
        "email": "issuer_a@nsu.example",
        "level": "issuer",
    }
    assert not still
    assert AuditEvent.objects.get(action="member-removed").interface == "api"


def test_an_admin_of_a_cannot_touch_b_team(team: TeamWorld, mailoutbox: list[Any]) -> None:
    """Not through B's paths (403), and not by naming B's member or invitation under A (404)."""
    admin_a = Api(team, "admin_a")
    member_b = _member(team, "staff_b")
    invitation_b = _pending(team, team.provider_b, "hans@codecraft.example")
    sent = len(mailoutbox)
    assert admin_a.get(B).status_code == 403
    assert (
        admin_a.post(B + "/invitations", {"email": "x@nsu.example", "level": "admin"}).status_code
        == 403
    )
    assert admin_a.delete(f"{B}/invitations/{invitation_b.public_id}").status_code == 403
    assert admin_a.put(f"{B}/members/{member_b.pk}", {"level": "editor"}).status_code == 403
    assert admin_a.delete(f"{B}/members/{member_b.pk}").status_code == 403
    # B's records named under A's team are not A's: 404, nothing changes
    for response in (
        admin_a.put(f"{A}/members/{member_b.pk}", {"level": "editor"}),
        admin_a.delete(f"{A}/members/{member_b.pk}"),
        admin_a.delete(f"{A}/invitations/{invitation_b.public_id}"),
    ):
        assert response.status_code == 404, response.content
    member_b.refresh_from_db()
    invitation_b.refresh_from_db()
    assert member_b.level == "admin" and not invitation_b.revoked
    assert len(mailoutbox) == sent
    assert Invitation.objects.filter(provider=team.provider_b).count() == 1
    assert not Invitation.objects.filter(email="x@nsu.example").exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_the_agency_team(team: TeamWorld, who: str, mailoutbox: list[Any]) -> None:
    """Only nvao's staff: not aqas's, not provider admins, not the operator."""
    colleague = team.users["agency_staff"].__class__.objects.create(
        username="nvao_2", email="two@nvao.example"
    )
    second = Membership.objects.create(user=colleague, role=Role.AGENCY, agency=team.agency)
    invitation = _pending(team, team.agency, "three@nvao.example")
    sent = len(mailoutbox)
    api = Api(team, who)
    codes = [
        api.get(NVAO).status_code,
        api.post(NVAO + "/invitations", {"email": "four@nvao.example"}).status_code,
        api.delete(f"{NVAO}/invitations/{invitation.public_id}").status_code,
        api.delete(f"{NVAO}/members/{second.pk}").status_code,
    ]
    invitation.refresh_from_db()
    if who not in NVAO_STAFF:
        assert codes == [403, 403, 403, 403], who
        assert Membership.objects.filter(pk=second.pk).exists() and not invitation.revoked
        assert len(mailoutbox) == sent
        return
    assert codes == [200, 201, 200, 200]
    assert invitation.revoked and not Membership.objects.filter(pk=second.pk).exists()
    assert mailoutbox[-1].to == ["four@nvao.example"]


def test_the_agency_team_has_no_levels(team: TeamWorld) -> None:
    api = Api(team, "agency_staff")
    _pending(team, team.agency, "three@nvao.example")
    body = api.get(NVAO).json()
    assert body["agency"] == "nvao"
    assert body["members"] == [
        {
            "id": _member(team, "agency_staff").pk,
            "username": "agency_staff",
            "email": "agency_staff@agency.example",
        }
    ]
    assert "level" not in body["invitations"][0]
    # a level is refused by name, and there is no operation to change one
    refused = api.post(NVAO + "/invitations", {"email": "four@nvao.example", "level": "admin"})
    assert refused.status_code == 422 and ["body", "payload", "level"] in _errors_at(refused)
    member = _member(team, "agency_staff")
    assert api.put(f"{NVAO}/members/{member.pk}", {"level": "admin"}).status_code == 405
    # aqas's staff member is not nvao's
    assert Api(team, "other_agency_staff").get(AQAS).status_code == 200
    assert Api(team, "agency_staff").get(AQAS).status_code == 403


def test_agency_staff_cannot_touch_provider_teams(team: TeamWorld) -> None:
    api = Api(team, "agency_staff")
    editor = _member(team, "editor_a")
    assert api.get(A).status_code == 403
    assert api.put(f"{A}/members/{editor.pk}", {"level": "admin"}).status_code == 403
    assert api.delete(f"{A}/members/{editor.pk}").status_code == 403
    editor.refresh_from_db()
    assert editor.level == "editor"


def test_without_a_token_nothing_is_answered(team: TeamWorld) -> None:
    api = Api(team, None)
    editor = _member(team, "editor_a")
    for response in (
        api.get(A),
        api.post(A + "/invitations", {"email": "g@nsu.example", "level": "editor"}),
        api.put(f"{A}/members/{editor.pk}", {"level": "admin"}),
        api.delete(f"{A}/members/{editor.pk}"),
        api.get(NVAO),
    ):
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
        assert response.json()["code"] == "unauthorized"


def test_a_token_follows_its_users_level_when_used(team: TeamWorld) -> None:
    """A token made while admin loses the team the moment its user is demoted."""
    api = Api(team, "admin_a")
    assert api.get(A).status_code == 200
    Api(team, "staff_a").put(f"{A}/members/{_member(team, 'admin_a').pk}", {"level": "issuer"})
    assert api.get(A).status_code == 403


# --- invitation mail, through a real SMTP server --------------------------------------------


def test_the_invitation_mail_arrives_and_its_link_is_accepted_on_the_page(
    team: TeamWorld, mailbox: Mailbox, client: Any
) -> None:
    response = Api(team, "admin_a").post(
        A + "/invitations", {"email": "grace@nsu.example", "level": "issuer"}
    )
    assert response.status_code == 201, response.content
    message = mailbox.to("grace@nsu.example")[-1]
    assert "North Sea University" in message["Subject"]
    assert "Issuer (credentials)" in mailbox.text(message)
    path = invitation_path(mailbox, "grace@nsu.example")
    assert path in mailbox.html(message)
    # the token is in the mail only: not in the API's answer, not stored
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in response.content.decode()
    assert token not in str(list(Invitation.objects.values()))
    accepted = client.post(
        path, {"username": "grace", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert accepted.status_code == 302
    assert Membership.objects.get(user__username="grace").level == "issuer"
    # the API then lists grace as a member, and the invitation no longer as pending
    body = Api(team, "admin_a").get(A).json()
    assert {"username": "grace", "level": "issuer"}.items() <= next(
        m for m in body["members"] if m["username"] == "grace"
    ).items()
    assert body["invitations"] == []
    # withdrawing it now is too late, and says so
    late = Api(team, "admin_a").delete(f"{A}/invitations/{response.json()['id']}")
    assert late.status_code == 200 and late.json()["state"] == "accepted"
    assert Membership.objects.filter(user__username="grace").exists()


def test_inviting_again_replaces_the_earlier_link(team: TeamWorld, mailbox: Mailbox) -> None:
    api = Api(team, "admin_a")
    first = api.post(A + "/invitations", {"email": "grace@nsu.example", "level": "editor"}).json()
    second = api.post(A + "/invitations", {"email": "grace@nsu.example", "level": "admin"}).json()
    assert len(mailbox.to("grace@nsu.example")) == 2
    assert [i["id"] for i in api.get(A).json()["invitations"]] == [second["id"]]
    assert Invitation.objects.get(public_id=first["id"]).revoked


def test_a_mail_server_that_refuses_keeps_nothing(team: TeamWorld, settings: Any) -> None:
    dead_mail_server(settings)
    response = Api(team, "admin_a").post(
        A + "/invitations", {"email": "grace@nsu.example", "level": "editor"}
    )
    assert response.status_code == 503, response.content
    body = response.json()
    assert body["code"] == "mail-failed" and "try again" in body["detail"]
    assert _errors_at(response) == [["body", "payload", "email"]]
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="member-invited").exists()


# --- the last admin, bad input ------------------------------------------------------------


def test_the_last_admin_stays(team: TeamWorld) -> None:
    staff = Api(team, "staff_a")
    admin_a = _member(team, "admin_a")
    staff_a = _member(team, "staff_a")
    assert staff.put(f"{A}/members/{admin_a.pk}", {"level": "editor"}).status_code == 200
    demote = staff.put(f"{A}/members/{staff_a.pk}", {"level": "issuer"})
    assert demote.status_code == 409 and demote.json()["code"] == "last-admin"
    assert _errors_at(demote) == [["body", "payload", "level"]]
    remove = staff.delete(f"{A}/members/{staff_a.pk}")
    assert remove.status_code == 409 and remove.json()["code"] == "last-admin"
    staff_a.refresh_from_db()
    assert staff_a.level == "admin"
    # the agency's only member stays too
    only = Api(team, "agency_staff").delete(f"{NVAO}/members/{_member(team, 'agency_staff').pk}")
    assert only.status_code == 409 and only.json()["code"] == "last-admin"
    assert Membership.objects.filter(user=team.users["agency_staff"]).exists()


def test_an_admin_may_step_down_while_another_admin_remains(team: TeamWorld) -> None:
    api = Api(team, "admin_a")
    answer = api.put(f"{A}/members/{_member(team, 'admin_a').pk}", {"level": "editor"})
    assert answer.status_code == 200 and answer.json()["level"] == "editor"
    assert api.get(A).status_code == 403  # no longer an admin, at once


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"email": "not-an-address", "level": "editor"}, 422, "email-invalid", "email"),
        ({"email": "a@b@nsu.example", "level": "editor"}, 422, "email-invalid", "email"),
        ({"email": "   ", "level": "editor"}, 422, "email-missing", "email"),
        ({"email": "", "level": "editor"}, 422, "invalid-request", "email"),
        ({"email": "x" * 250 + "@nsu.example", "level": "editor"}, 422, "invalid-request", "email"),
        ({"email": "editor_a@nsu.example", "level": "admin"}, 422, "already-member", "email"),
        ({"email": "g@nsu.example", "level": "owner"}, 422, "invalid-request", "level"),
        ({"email": "g@nsu.example"}, 422, "invalid-request", "level"),
        ({"level": "editor"}, 422, "invalid-request", "email"),
        (
            {"email": "g@nsu.example", "level": "editor", "role": "x"},
            422,
            "invalid-request",
            "role",
        ),
        ({"email": 12, "level": "editor"}, 422, "invalid-request", "email"),
    ],
)
def test_bad_invitations_name_the_field(
    team: TeamWorld, mailoutbox: list[Any], body: Any, status: int, code: str, field: str
) -> None:
    response = Api(team, "admin_a").post(A + "/invitations", body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert ["body", "payload", field] in _errors_at(response)
    assert not Invitation.objects.exists() and mailoutbox == []


def test_bad_level_changes_name_the_field(team: TeamWorld) -> None:
    api = Api(team, "admin_a")
    editor = _member(team, "editor_a")
    for body in ({"level": "owner"}, {}, {"level": "x" * 5000}, {"level": None}):
        response = api.put(f"{A}/members/{editor.pk}", body)
        assert response.status_code == 422, body
        assert ["body", "payload", "level"] in _errors_at(response), body
    editor.refresh_from_db()
    assert editor.level == "editor"


def test_unknown_records_are_404_naming_the_parameter(team: TeamWorld) -> None:
    api = Api(team, "admin_a")
    for response, loc in (
        (api.put(f"{A}/members/999999", {"level": "admin"}), ["path", "member_id"]),
        (api.delete(f"{A}/members/999999"), ["path", "member_id"]),
        (api.delete(f"{A}/invitations/I-NOPE"), ["path", "invitation_id"]),
    ):
        assert response.status_code == 404, response.content
        assert _errors_at(response) == [loc]
    for path in ("/api/v1/providers/no-such-provider/team", "/api/v1/agencies/no-such/team"):
        missing = api.get(path)
        assert missing.status_code == 404 and "no-such" in missing.json()["detail"]


def test_malformed_requests_are_4xx(team: TeamWorld) -> None:
    api = Api(team, "admin_a")
    for member_id in ("0", "-1", "abc", str(2**70)):
        response = api.delete(f"{A}/members/{member_id}")
        assert response.status_code == 422, (member_id, response.content)
        assert response.json()["code"] == "invalid-request"
        assert _errors_at(response) == [["path", "member_id"]], member_id
    assert api.post(A + "/invitations", "{not json").status_code == 400
    assert (
        api.post(A + "/invitations", '{"email": "a\\u0000@x.org", "level": "admin"}').status_code
        == 400
    )
    assert Membership.objects.filter(provider=team.provider_a).count() == 4


def test_invitations_share_the_pages_rate_limit(
    team: TeamWorld, mailbox: Mailbox, settings: Any
) -> None:
    """Each invitation sends a mail: API and page count together, per account."""
    from tests.web.security.conftest import tighten

    tighten(settings, team_invite="2/h")
    api = Api(team, "admin_a")
    assert (
        api.post(A + "/invitations", {"email": "c1@nsu.example", "level": "editor"}).status_code
        == 201
    )
    page = team.client("admin_a").post(
        "/team/providers/north-sea-university/invite",
        {"email": "c2@nsu.example", "level": "editor"},
    )
    assert page.status_code == 302
    refused = api.post(A + "/invitations", {"email": "c3@nsu.example", "level": "editor"})
    assert refused.status_code == 429 and refused.json()["code"] == "rate-limited"
    assert int(refused["Retry-After"]) >= 1
    assert len(mailbox.messages) == 2
    # another admin's count is their own
    other = Api(team, "staff_a").post(
        A + "/invitations", {"email": "c4@nsu.example", "level": "editor"}
    )
    assert other.status_code == 201
