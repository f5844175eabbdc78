"""Invitations by e-mail, through a real SMTP server on 127.0.0.1: the link works once and
until it expires, only its digest is stored, accepting makes the account and the membership,
every step is audited, bad input is answered next to the field (never a 500)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Membership, Role
from microcred_web.team.models import Invitation
from microcred_web.wallet.tokens import token_hash
from tests.web.wallet.fixtures_signin import Mailbox

from .conftest import TeamWorld, dead_mail_server, invitation_path

TEAM = "/team/providers/north-sea-university/"
GOOD_PASSWORD = "correct horse battery staple 42"


def _invite(team: TeamWorld, email: str = "grace@nsu.example", level: str = "issuer") -> Any:
    return team.client("admin_a").post(TEAM + "invite", {"email": email, "level": level})


def test_the_invitation_arrives_and_only_its_digest_is_stored(
    team: TeamWorld, mailbox: Mailbox
) -> None:
    response = _invite(team)
    assert response.status_code == 302
    path = invitation_path(mailbox, "grace@nsu.example")
    token = path.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == token_hash(token)
    assert token not in str(list(Invitation.objects.values()))
    assert invitation.level == "issuer"
    message = mailbox.to("grace@nsu.example")[-1]
    assert "North Sea University" in message["Subject"]
    assert "Issuer (credentials)" in mailbox.text(message)
    assert path in mailbox.html(message)
    event = AuditEvent.objects.get(action="member-invited")
    assert event.actor_name == "admin_a" and event.interface == "page"
    assert "grace" not in event.target + str(event.details)  # no address in the audit log
    page = team.client("admin_a").get(TEAM).content.decode()
    assert "grace@nsu.example" in page  # pending, shown to the team's admins


def test_accepting_makes_the_account_and_the_membership_once(
    team: TeamWorld, mailbox: Mailbox, client: Any
) -> None:
    _invite(team)
    path = invitation_path(mailbox, "grace@nsu.example")
    page = client.get(path)
    assert page.status_code == 200 and b"Create your account" in page.content
    assert page["Cache-Control"].startswith("max-age=0")
    assert not Invitation.objects.get().accepted  # a GET changes nothing
    accepted = client.post(
        path, {"username": "grace", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert accepted.status_code == 302
    assert accepted["Location"] == "/dashboard/providers/north-sea-university/"
    membership = Membership.objects.get(user__username="grace")
    assert membership.role == Role.PROVIDER and membership.level == "issuer"
    assert membership.user.email == "grace@nsu.example"
    assert membership.user.check_password(GOOD_PASSWORD)
    assert client.get(accepted["Location"]).status_code == 200  # signed in, and an issuer
    event = AuditEvent.objects.get(action="invitation-accepted")
    assert event.actor_name == "grace" and event.details["account-created"] is True
    # the link works once
    again = team.client(None).get(path)
    assert again.status_code == 410 and b"already been accepted" in again.content
    second = team.client(None).post(
        path, {"username": "mallory", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert second.status_code == 410
    assert not Membership.objects.filter(user__username="mallory").exists()


def test_a_signed_in_colleague_joins_with_their_account(team: TeamWorld, mailbox: Mailbox) -> None:
    """An agency's staff member invited to a provider joins with the account they have."""
    _invite(team, "agency_staff@agency.example", "editor")
    path = invitation_path(mailbox, "agency_staff@agency.example")
    client = team.client("agency_staff")
    page = client.get(path)
    assert b"Join as agency_staff" in page.content
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=team.users["agency_staff"], role=Role.PROVIDER).level == (
        "editor"
    )


def test_expired_revoked_replaced_and_unknown_links(team: TeamWorld, mailbox: Mailbox) -> None:
    client = team.client(None)
    assert client.get("/team/invitations/not-a-token/").status_code == 404
    assert client.get("/team/invitations/" + "x" * 500 + "/").status_code == 404
    _invite(team, "a@nsu.example")
    first = invitation_path(mailbox, "a@nsu.example")
    _invite(team, "a@nsu.example")  # a second invitation replaces the first
    second = invitation_path(mailbox, "a@nsu.example")
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
    Invitation.objects.filter(revoked=False).update(expires=timezone.now() - timedelta(minutes=1))
    gone = client.get(second)
    assert gone.status_code == 410 and b"expired" in gone.content
    # withdrawn by an admin
    _invite(team, "b@nsu.example")
    third = invitation_path(mailbox, "b@nsu.example")
    pending = Invitation.objects.get(email="b@nsu.example")
    withdrawn = team.client("admin_a").post(TEAM + f"invitations/{pending.public_id}/revoke")
    assert withdrawn.status_code == 302
    assert client.get(third).status_code == 410
    assert AuditEvent.objects.filter(action="invitation-revoked").count() == 1
    assert not Membership.objects.filter(user__email__in=["a@nsu.example", "b@nsu.example"])


def test_bad_input_on_the_invite_form(team: TeamWorld, mailbox: Mailbox) -> None:
    client = team.client("admin_a")
    for data, field in (
        ({"email": "not an address", "level": "issuer"}, "email"),
        ({"email": "", "level": "issuer"}, "email"),
        ({"email": "x@nsu.example", "level": "owner"}, "level"),
        ({"email": "x" * 300 + "@nsu.example", "level": "issuer"}, "email"),
        ({"email": "editor_a@nsu.example", "level": "issuer"}, "email"),  # already a member
    ):
        response = client.post(TEAM + "invite", data)
        assert response.status_code == 422, data
        content = response.content.decode()
        assert f'id="invite-{field}-error"' in content, data
        if data["email"] and len(data["email"]) < 100:
            assert f'value="{data["email"]}"' in content  # nothing typed is lost
    assert not Invitation.objects.exists()
    assert mailbox.messages == []


def test_a_mail_server_that_is_down_leaves_nothing(team: TeamWorld, settings: Any) -> None:
    dead_mail_server(settings)
    response = _invite(team)
    assert response.status_code == 503
    assert b"could not be sent" in response.content
    assert b'value="grace@nsu.example"' in response.content
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="member-invited").exists()


def test_bad_input_on_the_accept_form(team: TeamWorld, mailbox: Mailbox, client: Any) -> None:
    _invite(team)
    path = invitation_path(mailbox, "grace@nsu.example")
    for data, field in (
        ({"username": "", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, "username"),
        (
            {"username": "bad name!", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            "username",
        ),
        (
            {"username": "staff_a", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            "username",
        ),
        ({"username": "grace", "password1": "12345678", "password2": "12345678"}, "password1"),
        ({"username": "grace", "password1": GOOD_PASSWORD, "password2": "other"}, "password2"),
        (
            {"username": "g" * 200, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            "username",
        ),
        ({}, "username"),
    ):
        response = client.post(path, data)
        assert response.status_code in (409, 422), (data, response.status_code)
        assert f'id="account-{field}-error"'.encode() in response.content, data
    assert not Membership.objects.filter(user__username="grace").exists()
    assert Invitation.objects.get().accepted is None


def test_a_wallet_account_cannot_join(team: TeamWorld, mailbox: Mailbox) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from microcred_web.wallet.models import LearnerAccount

    learner = get_user_model().objects.create(username="learner-1", email="grace@nsu.example")
    LearnerAccount.objects.create(user=learner)
    _invite(team)
    path = invitation_path(mailbox, "grace@nsu.example")
    client = Client()
    client.force_login(learner)
    assert b"Sign out first" in client.get(path).content
    assert client.post(path).status_code == 403
    assert not Membership.objects.filter(user=learner).exists()


def test_agency_staff_invite_a_colleague(team: TeamWorld, mailbox: Mailbox, client: Any) -> None:
    url = f"/team/agencies/{team.agency.slug}/"
    response = team.client("agency_staff").post(url + "invite", {"email": "new@agency.example"})
    assert response.status_code == 302
    path = invitation_path(mailbox, "new@agency.example")
    accepted = client.post(
        path, {"username": "newbie", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert accepted.status_code == 302
    assert Membership.objects.filter(
        user__username="newbie", role=Role.AGENCY, agency=team.agency
    ).exists()
    assert client.get(url).status_code == 200  # and may manage the team in turn
