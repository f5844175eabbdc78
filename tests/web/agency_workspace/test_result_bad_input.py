"""Bad input on the QA-result form: the register's message next to the field it names, status
422, everything typed kept, nothing stored, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred_web.register.models import QAResult

from .conftest import World, form

NEW = "/dashboard/agencies/nvao/results/new"


def _post(world: World, data: dict[str, Any], url: str = NEW) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users["agency_x"])
    response = client.post(url, data)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"local_id": ""}, "local_id", "local_id is required"),
        ({"local_id": "x" * 65}, "local_id", "at most 64 characters"),
        ({"activity": "audit"}, "activity", "Input should be"),
        ({"providers": None}, "providers", "providers is required"),
        ({"providers": "no-such-university"}, "providers", "no record no-such-university"),
        ({"decision": "maybe"}, "decision", "Input should be"),
        ({"status": "secret"}, "status", "Input should be"),
        ({"valid_from": ""}, "valid_from", "valid_from is required"),
        ({"valid_from": "2025-02-30"}, "valid_from", "valid date"),
        ({"valid_until": "2020-01-01"}, "valid_until", "ends before valid_from"),
        ({"report_url": "ftp://nvao.example/r.pdf"}, "report_url", "absolute http(s) URL"),
        ({"decision_url": "not a url"}, "decision_url", "absolute http(s) URL"),
        ({"coverage": "everything"}, "coverage", "choose what the result covers"),
        ({"coverage": "specifications"}, "covered_specifications", "name at least one"),
        (
            {"coverage": "specifications", "covered_specifications": "S-NOPE"},
            "covered_specifications",
            "no record S-NOPE",
        ),
        ({"local_id": "bad\x00id"}, "local_id", "NUL character"),
        ({"providers": "north\x00"}, "providers", "NUL character"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    status, html = _post(world, form(**changes))
    assert status == 422, html
    assert QAResult.objects.count() == 0
    assert f'id="f-{field}-error"' in html, html
    error = html.split(f'id="f-{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert 'class="error-summary"' in html
    # Everything else typed is kept.
    assert 'value="https://nvao.example/reports/17.pdf"' in html or "report_url" in changes


def test_two_errors_are_both_shown(world: World) -> None:
    """The register checks in stages (the input's shape, then references and dates); every
    error of a stage is shown at once."""
    status, html = _post(world, form(valid_from="2025-02-30", report_url="nope", decision="x"))
    assert status == 422
    for field in ("valid_from", "report_url", "decision"):
        assert f'id="f-{field}-error"' in html
    status, html = _post(world, form(valid_until="2020-01-01", providers="ghost"))
    assert status == 422
    for field in ("valid_until", "providers"):
        assert f'id="f-{field}-error"' in html
    assert 'value="ghost"' in html  # the unknown provider stays in the form, ticked


def test_a_reference_already_used_is_not_overwritten(world: World, positive: Any) -> None:
    status, html = _post(world, form(local_id="NVAO-2024-03", decision="negative"))
    assert status == 422
    assert positive.public_id in html.split('id="f-local_id-error"', 1)[1].split("</p>", 1)[0]
    positive.refresh_from_db()
    assert positive.decision == "positive"


def test_a_preview_with_errors_shows_the_errors_and_no_effect(world: World) -> None:
    status, html = _post(world, form(valid_from="", action="preview"))
    assert status == 422
    assert 'id="f-valid_from-error"' in html and "after this" not in html


def test_an_edit_cannot_empty_a_required_element(world: World, positive: Any) -> None:
    url = f"/dashboard/agencies/nvao/results/{positive.public_id}/edit"
    status, html = _post(world, form(local_id="NVAO-2024-03", decision=""), url)
    assert status == 422
    assert "decision cannot be emptied" in html
    positive.refresh_from_db()
    assert positive.decision == "positive"


def test_a_withdrawn_result_cannot_be_edited(world: World, positive: Any) -> None:
    from microcred_web.register.qa_withdrawal import withdraw_qa_result

    assert withdraw_qa_result(world.users["agency_x"], positive, "recorded twice").ok
    url = f"/dashboard/agencies/nvao/results/{positive.public_id}/edit"
    status, html = _post(world, form(local_id="NVAO-2024-03", decision="negative"), url)
    assert status == 422 and "was withdrawn from the register and can no longer change" in html
    positive.refresh_from_db()
    assert positive.decision == "positive"


def test_an_unknown_result_is_404(world: World) -> None:
    status, _ = _post(world, form(), "/dashboard/agencies/nvao/results/Q-NOPE/edit")
    assert status == 404
