"""Changing a colleague's role and removing a member: audited, never leaving a team without
an admin (a provider) or without anyone (an agency), bad input answered, never a 500."""

from __future__ import annotations

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import Membership

from .conftest import TeamWorld

TEAM = "/team/providers/north-sea-university/"


def _member(team: TeamWorld, who: str) -> Membership:
    return Membership.objects.get(user=team.users[who], provider=team.provider_a)


def test_the_page_lists_members_with_their_roles(team: TeamWorld) -> None:
    content = team.client("admin_a").get(TEAM).content.decode()
    for who in ("staff_a", "admin_a", "issuer_a", "editor_a"):
        assert f'id="member-{_member(team, who).pk}"' in content
    assert "staff_b" not in content and "agency_staff" not in content


def test_change_a_role(team: TeamWorld) -> None:
    editor = _member(team, "editor_a")
    response = team.client("admin_a").post(TEAM + f"members/{editor.pk}/level", {"level": "issuer"})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.level == "issuer"
    event = AuditEvent.objects.get(action="member-level-changed")
    assert event.details == {"from": "editor", "to": "issuer"} and "editor_a" in event.target
    # and the new role takes effect: the former editor may issue now
    page = team.client("editor_a").get("/dashboard/providers/north-sea-university/")
    assert b"Issue the credential" in page.content


def test_never_the_last_admin(team: TeamWorld) -> None:
    client = team.client("admin_a")
    staff = _member(team, "staff_a")
    assert client.post(TEAM + f"members/{staff.pk}/remove").status_code == 302
    me = _member(team, "admin_a")
    demoted = client.post(TEAM + f"members/{me.pk}/level", {"level": "editor"})
    assert demoted.status_code == 409
    assert b"only admin" in demoted.content
    removed = client.post(TEAM + f"members/{me.pk}/remove")
    assert removed.status_code == 409
    me.refresh_from_db()
    assert me.level == "admin"
    # with a second admin, one may step down
    issuer = _member(team, "issuer_a")
    assert client.post(TEAM + f"members/{issuer.pk}/level", {"level": "admin"}).status_code == 302
    stepped = client.post(TEAM + f"members/{me.pk}/level", {"level": "editor"})
    assert stepped.status_code == 302 and stepped["Location"] == "/dashboard/"
    assert team.client("admin_a").get(TEAM).status_code == 403


def test_remove_a_member_takes_their_rights(team: TeamWorld) -> None:
    issuer = _member(team, "issuer_a")
    assert team.client("admin_a").post(TEAM + f"members/{issuer.pk}/remove").status_code == 302
    assert not Membership.objects.filter(pk=issuer.pk).exists()
    assert AuditEvent.objects.get(action="member-removed").details == {"level": "issuer"}
    assert (
        team.client("issuer_a").get("/dashboard/providers/north-sea-university/").status_code == 403
    )


def test_an_agency_keeps_one_member(team: TeamWorld) -> None:
    url = f"/team/agencies/{team.agency.slug}/"
    only = Membership.objects.get(user=team.users["agency_staff"])
    response = team.client("agency_staff").post(url + f"members/{only.pk}/remove")
    assert response.status_code == 409 and b"only member" in response.content
    assert Membership.objects.filter(pk=only.pk).exists()
    levelled = team.client("agency_staff").post(
        url + f"members/{only.pk}/level", {"level": "admin"}
    )
    assert levelled.status_code == 422 and b"no levels" in levelled.content


def test_bad_input(team: TeamWorld) -> None:
    client = team.client("admin_a")
    editor = _member(team, "editor_a")
    for data in ({"level": "owner"}, {}, {"level": "x" * 5000}):
        response = client.post(TEAM + f"members/{editor.pk}/level", data)
        assert response.status_code == 422, data
        assert f'id="member-{editor.pk}-level-error"'.encode() in response.content
    assert client.post(TEAM + "members/999999/level", {"level": "admin"}).status_code == 404
    assert client.post(TEAM + "members/999999/remove").status_code == 404
    assert client.post(TEAM + "invitations/I-NOPE/revoke").status_code == 404
    assert client.get("/team/providers/no-such-provider/").status_code == 404
    assert client.get(TEAM + "invite").status_code == 405
    editor.refresh_from_db()
    assert editor.level == "editor"
