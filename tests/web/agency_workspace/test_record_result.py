"""Recording, editing and previewing a QA result by form: the register's validation, errors next
to the field with everything typed kept, the preview computed by the register's own rule."""

from __future__ import annotations

from typing import Any

from django.test import Client

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import QAResult
from microcred_web.register.services import provider_standing

from .conftest import World, form

NEW = "/dashboard/agencies/nvao/results/new"


def _client(world: World, who: str = "agency_x") -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_the_blank_form_shows_every_element(world: World) -> None:
    response = _client(world).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "local_id",
        "activity",
        "providers",
        "decision",
        "status",
        "valid_from",
        "valid_until",
        "report_url",
        "decision_url",
        "coverage",
    ):
        assert f'id="f-{name}"' in html, name


def test_saving_records_the_result_as_the_agency(world: World) -> None:
    response = _client(world).post(NEW, form())
    assert response.status_code == 302, response.content.decode()
    result = QAResult.objects.get()
    assert response["Location"] == f"/dashboard/agencies/nvao/?saved={result.public_id}"
    assert result.agency == world.agency_x
    assert result.local_id == "NVAO-2025-17" and result.covers_microcredentials
    assert [p.slug for p in result.providers.all()] == ["north-sea-university"]
    assert str(result.valid_until) == "2031-06-30"
    event = AuditEvent.objects.get(action="qa-result-created")
    assert event.interface == "page" and event.actor == world.users["agency_x"]
    page = _client(world).get(response["Location"]).content.decode()
    assert f"Saved {result.public_id}." in page and "NVAO-2025-17" in page


def test_preview_says_the_effect_and_saves_nothing(world: World) -> None:
    response = _client(world).post(NEW, form(action="preview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "after this, North Sea University: quality assured until 2031-06-30" in html
    assert "until now: not quality assured." in html
    assert QAResult.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="qa-result").exists()
    assert not provider_standing(world.provider_a).quality_assured
    # What was typed is still in the form, ready to save.
    assert 'value="NVAO-2025-17"' in html and 'value="2031-06-30"' in html


def test_preview_of_a_negative_decision_uses_the_supersession_rule(
    world: World, positive: Any
) -> None:
    negative = form(
        local_id="NVAO-2026-01",
        decision="negative",
        valid_from="2026-01-15",
        valid_until="",
        action="preview",
    )
    html = _client(world).post(NEW, negative).content.decode()
    assert "after this, North Sea University: not quality assured" in html
    assert "until now: quality assured until 2030-12-31." in html
    assert QAResult.objects.count() == 1


def test_search_finds_providers_and_keeps_what_was_typed(world: World) -> None:
    data = form(providers=None, action="search", provider_search="codecraft")
    html = _client(world).post(NEW, data).content.decode()
    assert 'name="add_provider" value="codecraft"' in html
    assert 'value="NVAO-2025-17"' in html and 'value="https://nvao.example/reports/17.pdf"' in html
    # Ticking the found provider adds it.
    data = form(providers=None, add_provider="codecraft", action="save")
    assert _client(world).post(NEW, data).status_code == 302
    assert [p.slug for p in QAResult.objects.get().providers.all()] == ["codecraft"]


def test_search_json_for_the_picker(world: World) -> None:
    response = _client(world).get("/dashboard/agencies/nvao/providers?q=north")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["providers"]] == ["north-sea-university"]
    assert _client(world).get("/dashboard/agencies/nvao/providers?q=").json() == {"providers": []}


def test_named_specifications_are_covered(world: World) -> None:
    from microcred_web.register import services
    from tests.web.register.conftest import spec

    saved = services.save_specification(world.users["staff_a"], world.provider_a, spec())
    assert saved.specification is not None
    public_id = saved.specification.public_id
    listed = _client(world).post(NEW, form(action="update")).content.decode()
    assert f'name="covered_specifications" value="{public_id}"' in listed
    data = form(activity="programme", coverage="specifications", covered_specifications=public_id)
    assert _client(world).post(NEW, data).status_code == 302
    result = QAResult.objects.get()
    assert [s.public_id for s in result.covered_specifications.all()] == [public_id]
    assert not result.covers_microcredentials


def test_edit_changes_the_result(world: World, positive: Any) -> None:
    url = f"/dashboard/agencies/nvao/results/{positive.public_id}/edit"
    page = _client(world).get(url).content.decode()
    assert 'value="NVAO-2024-03"' in page and 'value="2030-12-31"' in page
    data = form(local_id="NVAO-2024-03", valid_from="2024-01-01", valid_until="2029-12-31")
    assert _client(world).post(url, data).status_code == 302
    positive.refresh_from_db()
    assert str(positive.valid_until) == "2029-12-31"
    assert QAResult.objects.count() == 1
    assert AuditEvent.objects.filter(action="qa-result-updated").exists()


def test_search_with_a_nul_character_is_no_error(world: World) -> None:
    response = _client(world).get("/dashboard/agencies/nvao/providers?q=north%00")
    assert response.status_code == 200
    data = form(action="search", provider_search="code\x00craft")
    assert _client(world).post(NEW, data).status_code == 200


def test_preview_of_an_edit_names_the_providers_before_and_after(
    world: World, positive: Any
) -> None:
    """Moving a result to another provider: the one it leaves loses its standing, the one it
    names gains it; nothing changes until saved."""
    url = f"/dashboard/agencies/nvao/results/{positive.public_id}/edit"
    data = form(
        local_id="NVAO-2024-03", providers="codecraft", valid_from="2024-01-01", action="preview"
    )
    html = _client(world).post(url, data).content.decode()
    assert "after this, CodeCraft Academy: quality assured until 2031-06-30" in html
    assert "after this, North Sea University: not quality assured" in html
    positive.refresh_from_db()
    assert [p.slug for p in positive.providers.all()] == ["north-sea-university"]
    assert provider_standing(world.provider_a).quality_assured
