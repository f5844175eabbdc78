"""Issuing from the dashboard tells the provider whether the claim message went out, and a
mail server that is down does not stop the credential."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.wallet import fixtures_signin
from tests.web.wallet.fixtures_signin import IssuingWorld, Mailbox, dead_mail_server

mailbox = fixtures_signin.mailbox
issuing_settings = fixtures_signin.issuing_settings
world = fixtures_signin.world


def issue(client: Any, world: IssuingWorld) -> Any:
    data = {
        "specification": world.spec_a.public_id,
        "identifier": "ada@example.eu",
        "scheme": "",
        "name": "",
        "cryptosuite": "eddsa-rdfc-2022",
    }
    return client.post(f"/dashboard/providers/{world.provider_a.slug}/issue", data, follow=True)


@pytest.mark.django_db(transaction=True)
def test_sent_and_failed_are_shown(
    world: IssuingWorld, client: Any, mailbox: Mailbox, settings: Any
) -> None:
    from microcred_web.issuing.models import IssuedCredentialRecord

    client.force_login(world.users["staff_a"])
    page = issue(client, world).content.decode()
    assert "sent a claim message" in page
    assert len(mailbox.to("ada@example.eu")) == 1
    IssuedCredentialRecord.objects.all().delete()
    dead_mail_server(settings)
    page = issue(client, world).content.decode()
    assert "could not be sent" in page and "ada@example.eu" not in page.split("<main")[1]
    assert IssuedCredentialRecord.objects.count() == 1
