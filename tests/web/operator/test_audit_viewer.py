"""The operator's audit-log viewer: filter by actor, action, record type, record, interface
and dates; paged; bad filters answered at the field. Records' history for their editors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from microcred_web.issuing.audit import record_event
from microcred_web.issuing.models import AuditEvent
from microcred_web.operator import auditlog

from .conftest import IssuingWorld, signed_in

URL = "/operator/audit/"


def _rows(world: IssuingWorld) -> None:
    op, staff = world.users["operator"], world.users["staff_a"]
    record_event(
        op,
        "provider-updated",
        "provider north-sea-university",
        interface="page",
        details={"fields": ["city"]},
    )
    record_event(
        staff,
        "specification-updated",
        f"specification {world.spec_a.public_id}",
        interface="api",
        details={"provider": world.provider_a.slug},
    )
    record_event(world.users["staff_b"], "provider-updated", "provider codecraft", interface="cli")
    old = record_event(op, "agency-created", "agency nvao", interface="import")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))


def _targets(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_filters(client: Any, world: IssuingWorld) -> None:
    _rows(world)
    signed_in(client, world.users["operator"])
    body = _targets(client.get(URL, {"actor": "staff_a"}))
    assert "specification-updated" in body and "provider codecraft" not in body
    body = _targets(client.get(URL, {"action": "provider-updated"}))
    assert "provider codecraft" in body and "agency nvao" not in body
    body = _targets(client.get(URL, {"record_type": "agency"}))
    assert "agency nvao" in body and "provider codecraft" not in body
    body = _targets(client.get(URL, {"record": "codecraft"}))
    assert "provider codecraft" in body and "north-sea-university</td>" not in body
    body = _targets(client.get(URL, {"interface": "api"}))
    assert "specification-updated" in body and "provider codecraft" not in body
    today = timezone.localdate().isoformat()
    body = _targets(client.get(URL, {"since": today, "until": today}))
    assert "agency nvao" not in body and "provider codecraft" in body
    long_ago = (timezone.localdate() - timedelta(days=40)).isoformat()
    body = _targets(client.get(URL, {"until": long_ago}))
    assert "agency nvao" in body and "provider codecraft" not in body


def test_bad_filters_are_shown_not_raised(client: Any, world: IssuingWorld) -> None:
    signed_in(client, world.users["operator"])
    for query in (
        {"since": "soon"},
        {"action": "nope"},
        {"interface": "fax"},
        {"since": "2026-02-01", "until": "2026-01-01"},
        {"actor": "x" * 500},
    ):
        response = client.get(URL, query)
        assert response.status_code == 422, query
        assert "There is a problem" in response.content.decode()
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_paging(client: Any, world: IssuingWorld) -> None:
    for n in range(auditlog.PAGE_SIZE + 5):
        record_event(world.users["operator"], "provider-updated", f"provider p-{n:03}")
    signed_in(client, world.users["operator"])
    first = _targets(client.get(URL, {"action": "provider-updated"}))
    assert "Page 1 of 2" in first and "provider p-054" in first and "provider p-000" not in first
    second = _targets(client.get(URL, {"action": "provider-updated", "page": "2"}))
    assert "provider p-000" in second and "action=provider-updated" in second


def test_a_providers_history_is_its_own(client: Any, world: IssuingWorld) -> None:
    _rows(world)
    signed_in(client, world.users["staff_a"])
    body = _targets(client.get(f"/history/providers/{world.provider_a.slug}/"))
    assert "provider north-sea-university" in body and "specification-updated" in body
    assert "provider codecraft" not in body and "agency nvao" not in body
    spec = _targets(client.get(f"/history/specifications/{world.spec_a.public_id}/"))
    assert "specification-updated" in spec and "provider-updated" not in spec


def test_an_agencys_history_for_its_staff(client: Any, world: IssuingWorld) -> None:
    from microcred_web.register.models import Agency, Membership

    Agency.objects.create(slug="nvao", name={"en": "NVAO"}, acronym="NVAO")
    _rows(world)
    record_event(None, "qa-result-created", "qa-result nvao/R-1")
    record_event(None, "qa-result-created", "qa-result nvaox/R-2")
    agent = world.users["nobody"]
    signed_in(client, agent)
    assert client.get("/history/agencies/nvao/").status_code == 403
    Membership.objects.create(user=agent, role="agency", agency=Agency.objects.get())
    body = _targets(client.get("/history/agencies/nvao/"))
    assert "agency nvao" in body and "qa-result nvao/R-1" in body
    assert "nvaox" not in body and "provider codecraft" not in body
