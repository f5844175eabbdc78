"""The API's issue operation mails the claim message by default and not with "notify": false."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import IssuingWorld, Mailbox

mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings
world = fixtures_signin.world


def post(client: Any, world: IssuingWorld, address: str, **extra: Any) -> Any:
    body = {"specification": world.spec_a.public_id, "learner": {"identifier": address}, **extra}
    return client.post(
        "/api/v1/credentials/issue",
        body,
        content_type="application/json",
        **world.auth("staff_a"),
    )


@pytest.mark.django_db(transaction=True)
def test_notify_default_and_off(world: IssuingWorld, client: Any, mailbox: Mailbox) -> None:
    assert post(client, world, "ada@example.eu").status_code == 201
    assert len(mailbox.to("ada@example.eu")) == 1
    assert post(client, world, "bob@example.eu", notify=False).status_code == 201
    assert mailbox.to("bob@example.eu") == []
    assert post(client, world, "eve@example.eu", notify="maybe").status_code == 422
