"""The dashboard without a usable KEK: issuing and revoking answer a clear 503 page and change
nothing."""

from __future__ import annotations

from typing import Any

import pytest

from microcred_web.issuing.models import IssuedCredentialRecord, StatusListRecord
from tests.web.issuing.conftest import IssuingWorld

from .test_dashboard import issue, issued, status_url


def test_issuing_on_the_page_without_a_kek(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICROCRED_KEK")
    client.force_login(world.users["staff_a"])
    response = issue(client, world)
    assert response.status_code == 503
    assert "signing is unavailable" in response.content.decode()
    assert not IssuedCredentialRecord.objects.exists()


def test_revoking_on_the_page_without_a_kek(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(world.users["staff_a"])
    record = issued(client, world)
    signed = StatusListRecord.objects.get().signed
    monkeypatch.delenv("MICROCRED_KEK")
    response = client.post(
        status_url(world, record), {"action": "revoke", "reason": "x", "confirm": "yes"}
    )
    assert response.status_code == 503
    assert "signing is unavailable" in response.content.decode()
    record.refresh_from_db()
    assert not record.revoked
    assert StatusListRecord.objects.get().signed == signed
