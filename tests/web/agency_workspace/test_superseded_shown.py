"""A later negative decision of the same agency supersedes its positive one: the provider's
standing changes from the decision's date, and the older result is shown as superseded on the
public page, in the workspace and in the API; the register the verifier consults gives the
standing on a credential's issue date (before the decision: still assured)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from microcred.register.standing import Grade, standing_on
from microcred_web.issuing import identity
from microcred_web.register import records
from microcred_web.register.services import provider_standing
from microcred_web.verification.resolvers import InstanceQARegister

from .conftest import World

DECIDED = date(2026, 1, 15)


@pytest.fixture
def negative(world: World, positive: Any) -> Any:
    outcome = records.save_qa_result(
        world.users["agency_x"],
        {
            "agency": "nvao",
            "local_id": "NVAO-2026-01",
            "activity": "institutional",
            "providers": ["north-sea-university"],
            "decision": "negative",
            "valid_from": DECIDED.isoformat(),
        },
    )
    assert outcome.ok, outcome.findings
    return outcome.record


def test_standing_before_and_after_the_negative_decision(world: World, negative: Any) -> None:
    before = provider_standing(world.provider_a, date(2026, 1, 14))
    assert before.grade is Grade.ASSURED
    after = provider_standing(world.provider_a, DECIDED)
    assert after.grade is Grade.NEGATIVE and after.basis is not None
    assert after.basis.key == negative.public_id


def test_public_page_shows_the_older_result_superseded(
    world: World, positive: Any, negative: Any
) -> None:
    html = Client().get("/providers/north-sea-university/").content.decode()
    assert "Not quality assured today" in html
    history = html.split('id="history-title"', 1)[1]
    rows = history.split("<tr>")
    older = next(r for r in rows if "2024-01-01" in r)
    assert "Superseded by the NVAO decision of 2026-01-15" in older
    newer = next(r for r in rows if "2026-01-15" in r)
    assert "<td>Current</td>" in newer
    agency_page = Client().get("/agencies/nvao/").content.decode()
    assert "Superseded by the NVAO decision of 2026-01-15" in agency_page


def test_api_and_workspace_say_superseded(world: World, positive: Any, negative: Any) -> None:
    body = Client().get(f"/api/v1/qa-results/{positive.public_id}").json()
    assert body["state"] == "superseded" and body["superseded_by"] == negative.public_id
    newer = Client().get(f"/api/v1/qa-results/{negative.public_id}").json()
    assert newer["state"] == "current" and newer["superseded_by"] is None
    listed = Client().get("/api/v1/qa-results?provider=north-sea-university").json()["items"]
    assert {i["public_id"]: i["state"] for i in listed} == {
        positive.public_id: "superseded",
        negative.public_id: "current",
    }
    client = Client()
    client.force_login(world.users["agency_x"])
    html = client.get("/dashboard/agencies/nvao/").content.decode()
    row = html.split(f'id="result-{positive.public_id}"', 1)[1].split("</tr>", 1)[0]
    assert "Superseded by the NVAO decision of 2026-01-15" in row


def test_open_data_states_and_the_export_imports_back(
    world: World, positive: Any, negative: Any
) -> None:
    from microcred_web.register import exporting, importing

    document = exporting.register_document()
    states = {r["public_id"]: r["state"] for r in document["qa_results"]}
    assert states == {positive.public_id: "superseded", negative.public_id: "current"}
    import json

    report = importing.import_bytes(
        json.dumps({"qa_results": document["qa_results"]}).encode(),
        kind="qa-results",
        user=world.users["operator"],
        name="register.json",
    )
    assert {row["outcome"] for row in report.as_dict()["rows"]} == {"unchanged"}


def test_the_verifiers_register_gives_the_standing_on_the_issue_date(
    world: World, negative: Any
) -> None:
    entry = InstanceQARegister().lookup(identity.did_for_provider(world.provider_a))
    assert entry is not None
    assert standing_on(entry.results, date(2025, 10, 1)).grade is Grade.ASSURED
    assert standing_on(entry.results, date(2026, 2, 1)).grade is Grade.NEGATIVE
