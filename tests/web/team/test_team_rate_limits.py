"""Invitations send mail and their links make accounts: both are rate limited."""

from __future__ import annotations

from typing import Any

from tests.web.security.conftest import tighten
from tests.web.wallet.fixtures_signin import Mailbox

from .conftest import TeamWorld


def test_invitations_sent_per_account(team: TeamWorld, mailbox: Mailbox, settings: Any) -> None:
    tighten(settings, team_invite="2/h")
    client = team.client("admin_a")
    url = "/team/providers/north-sea-university/invite"
    codes = [
        client.post(url, {"email": f"c{n}@nsu.example", "level": "editor"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert len(mailbox.messages) == 2
    # another admin's count is their own
    assert (
        team.client("staff_a").post(url, {"email": "d@nsu.example", "level": "editor"}).status_code
        == 302
    )


def test_invitation_links_used_per_network(team: TeamWorld, settings: Any, client: Any) -> None:
    tighten(settings, team_invitation_use="2/h")
    url = "/team/invitations/guessed-token/"
    assert [client.post(url, {}).status_code for _ in range(3)] == [404, 404, 429]
    assert client.get(url).status_code == 404  # opening a link is not counted
