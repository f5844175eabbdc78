"""The audit log records API token creation and revocation, by whom, naming the token by its
prefix; the token itself never appears."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import ApiToken
from microcred_web.register.tokens import create_token, revoke_token
from tests.web.register.conftest import World


def test_create_and_revoke_through_the_command(world: World) -> None:
    AuditEvent.objects.all().delete()  # the fixture's own tokens
    out = StringIO()
    call_command("create_token", "staff_a", "--name", "ci", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    call_command("create_token", "staff_a", "--revoke", token[:12], stdout=StringIO())

    created, revoked = AuditEvent.objects.order_by("pk")
    assert (created.action, created.actor_name, created.interface) == (
        "token-created",
        "shell",
        "cli",
    )
    assert (revoked.action, revoked.actor_name) == ("token-revoked", "shell")
    assert created.target == f"token {token[:12]}… of staff_a"
    assert created.details == {"owner": "staff_a", "prefix": token[:12], "name": "ci"}
    everything = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert token not in everything
    assert ApiToken.objects.get(prefix=token[:12]).digest not in everything


def test_the_actor_defaults_to_the_owner(world: World) -> None:
    AuditEvent.objects.all().delete()
    new = create_token(world.users["staff_b"], "laptop")
    revoke_token(new.record, actor=world.users["operator"])
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "actor")) == [
        ("token-created", world.users["staff_b"].pk),
        ("token-revoked", world.users["operator"].pk),
    ]
