"""Merging a duplicate provider: its specifications, QA results and memberships move to the
kept one in one transaction, its public page redirects, and it is audited; refused when the
duplicate has signed credentials under its own DID."""

from __future__ import annotations

from datetime import date
from typing import Any

from microcred_web.issuing import issue
from microcred_web.issuing.models import AuditEvent
from microcred_web.operator.models import MergedProvider
from microcred_web.register.models import Agency, Membership, Provider, QAResult, Specification

from .conftest import IssuingWorld, signed_in


def _merge(client: Any, kept: str, dup: str, **changes: str) -> Any:
    data = {"duplicate": dup, "reason": "Registered twice", "confirm": "on"} | changes
    return client.post(f"/operator/providers/{kept}/merge", data)


def test_merging_moves_everything_and_redirects(client: Any, world: IssuingWorld) -> None:
    kept = world.provider_a
    duplicate = Provider.objects.create(
        slug="nsu", legal_name={"en": "NSU"}, kind="university", country="NL"
    )
    spec = Specification.objects.create(
        provider=duplicate, local_id="X-1", data={}, title_en="Extra"
    )
    agency = Agency.objects.create(slug="nvao", name={"en": "NVAO"}, acronym="NVAO")
    result = QAResult.objects.create(
        agency=agency, activity="institutional", decision="positive", valid_from=date(2020, 1, 1)
    )
    result.providers.add(duplicate)
    staff = world.users["nobody"]
    Membership.objects.create(user=staff, role="provider", provider=duplicate)
    old_public_id = duplicate.public_id

    signed_in(client, world.users["operator"])
    response = _merge(client, kept.slug, "nsu")
    assert response.status_code == 302
    assert not Provider.objects.filter(slug="nsu").exists()
    spec.refresh_from_db()
    assert spec.provider == kept
    assert list(result.providers.all()) == [kept]
    assert Membership.objects.filter(user=staff, provider=kept).exists()
    merged = MergedProvider.objects.get(slug="nsu")
    assert merged.kept == kept and merged.public_id == old_public_id
    row = AuditEvent.objects.get(action="provider-merged")
    assert row.reason == "Registered twice"
    assert row.details["specifications"] == 1 and row.details["qa_results"] == 1
    page = client.get("/providers/nsu/")
    assert page.status_code == 301 and page["Location"] == f"/providers/{kept.slug}/"


def test_a_duplicate_that_has_signed_is_not_merged(client: Any, world: IssuingWorld) -> None:
    issue.issue_credential(world.users["staff_b"], world.spec_b, issue.Learner("a@example.org"))
    signed_in(client, world.users["operator"])
    response = _merge(client, world.provider_a.slug, world.provider_b.slug)
    assert response.status_code == 422
    assert "signed credentials" in response.content.decode()
    assert Provider.objects.filter(slug=world.provider_b.slug).exists()
    assert not AuditEvent.objects.filter(action="provider-merged").exists()


def test_bad_merges_are_refused_at_the_field(client: Any, world: IssuingWorld) -> None:
    signed_in(client, world.users["operator"])
    a = world.provider_a.slug
    for changes, field in (
        ({"duplicate": "no-such"}, "duplicate"),
        ({"duplicate": a}, "duplicate"),
        ({"confirm": ""}, "confirm"),
        ({"reason": ""}, "reason"),
    ):
        response = _merge(client, a, world.provider_b.slug, **changes)
        assert response.status_code == 422, changes
        assert f'id="{field}-error"' in response.content.decode(), changes
    Specification.objects.create(provider=world.provider_b, local_id="DS-101", data={})
    # world.spec_a has local id DS-101 too, but provider_b has signed nothing.
    clash = _merge(client, a, world.provider_b.slug)
    assert clash.status_code == 422 and "DS-101" in clash.content.decode()
