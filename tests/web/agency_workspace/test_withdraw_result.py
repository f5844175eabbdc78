"""Withdrawing a QA result: asks why, keeps the row marked withdrawn, and it counts on no date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.services import provider_standing

from .conftest import World


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["agency_x"])
    return client


def test_withdraw_asks_why_then_withdraws(world: World, positive: Any) -> None:
    url = f"/dashboard/agencies/nvao/results/{positive.public_id}/withdraw"
    assert provider_standing(world.provider_a, date(2026, 6, 1)).quality_assured
    page = _client(world).get(url)
    assert page.status_code == 200 and 'id="f-reason"' in page.content.decode()
    refused = _client(world).post(url, {"reason": "   "})
    assert refused.status_code == 422
    assert 'id="f-reason-error"' in refused.content.decode()
    positive.refresh_from_db()
    assert positive.withdrawn_at is None

    done = _client(world).post(url, {"reason": "Recorded for the wrong university"})
    assert done.status_code == 302
    assert done["Location"] == f"/dashboard/agencies/nvao/?withdrawn={positive.public_id}"
    positive.refresh_from_db()
    assert positive.withdrawn_at is not None
    assert positive.withdrawn_reason == "Recorded for the wrong university"
    # It counts on no date, not even one before it was withdrawn.
    assert not provider_standing(world.provider_a, date(2026, 6, 1)).quality_assured
    event = AuditEvent.objects.get(action="qa-result-withdrawn")
    assert event.reason == "Recorded for the wrong university" and event.interface == "page"

    workspace = _client(world).get(done["Location"]).content.decode()
    row = workspace.split(f'id="result-{positive.public_id}"', 1)[1].split("</tr>", 1)[0]
    assert "Withdrawn: Recorded for the wrong university" in row and "Edit" not in row
    public = Client().get("/providers/north-sea-university/").content.decode()
    assert "Withdrawn: Recorded for the wrong university" in public


def test_withdrawing_twice_is_refused(world: World, positive: Any) -> None:
    url = f"/dashboard/agencies/nvao/results/{positive.public_id}/withdraw"
    assert _client(world).post(url, {"reason": "error"}).status_code == 302
    again = _client(world).post(url, {"reason": "error again"})
    assert again.status_code == 422 and "already withdrawn" in again.content.decode()
    assert AuditEvent.objects.filter(action="qa-result-withdrawn").count() == 1


def test_a_reason_too_long_is_refused_and_kept(world: World, positive: Any) -> None:
    url = f"/dashboard/agencies/nvao/results/{positive.public_id}/withdraw"
    response = _client(world).post(url, {"reason": "x" * 1001})
    assert response.status_code == 422
    assert "x" * 1001 in response.content.decode()
    positive.refresh_from_db()
    assert positive.withdrawn_at is None
