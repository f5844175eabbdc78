"""The audit log records every credential issued: one row each, one by one or in bulk (inside
the batch's transaction, so a killed run leaves exactly one row per credential it kept), plus
one row per finished bulk run with its counts. Status changes and key rotations: test_status,
test_keys. No learner data in any row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred_web.issuing import bulk
from microcred_web.issuing.issue import IssuingRun
from microcred_web.issuing.models import AuditEvent, IssuedCredentialRecord

from .conftest import IssuingWorld
from .test_bulk import Crash, crash_after, learners_csv, run


def _issue_rows() -> Any:
    return AuditEvent.objects.filter(action="issue")


def test_one_credential_through_the_api(world: IssuingWorld, client: Any) -> None:
    body = {"specification": world.spec_a.public_id, "learner": {"identifier": "ada@example.org"}}
    response = client.post(
        "/api/v1/credentials/issue", body, content_type="application/json", **world.auth("staff_a")
    )
    assert response.status_code == 201, response.content
    record = IssuedCredentialRecord.objects.get()
    event = _issue_rows().get()
    assert (event.actor, event.target, event.interface) == (
        world.users["staff_a"],
        f"credential {record.public_id}",
        "api",
    )
    assert event.details["specification"] == world.spec_a.public_id
    # issued again: nothing new happened, nothing new recorded
    client.post(
        "/api/v1/credentials/issue", body, content_type="application/json", **world.auth("staff_a")
    )
    assert _issue_rows().count() == 1
    assert "ada@example.org" not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_one_credential_through_the_dashboard_page(world: IssuingWorld, client: Any) -> None:
    client.force_login(world.users["staff_a"])
    response = client.post(
        f"/dashboard/providers/{world.provider_a.slug}/issue",
        {
            "specification": world.spec_a.public_id,
            "identifier": "ada@example.org",
            "name": "",
            "cryptosuite": "eddsa-rdfc-2022",
        },
    )
    assert response.status_code == 302, response.content
    assert _issue_rows().get().interface == "page"


@pytest.mark.django_db(transaction=True)
def test_bulk_one_row_per_credential_and_one_per_run(world: IssuingWorld, tmp_path: Path) -> None:
    learners = learners_csv(tmp_path, 5, extra="learner-0@example.org,Learner 0\n,No id\n")
    with pytest.raises(Exception, match="1 learner"):
        run(world, learners, tmp_path / "out")
    records = {f"credential {r.public_id}" for r in IssuedCredentialRecord.objects.all()}
    rows = _issue_rows()
    assert sorted(rows.values_list("target", flat=True)) == sorted(records)
    assert set(rows.values_list("actor_name", "interface")) == {("shell", "cli")}
    summary = AuditEvent.objects.get(action="issue-bulk")
    assert summary.target == f"specification {world.spec_a.public_id}"
    assert {k: summary.details[k] for k in ("rows", "issued", "existing", "refused")} == {
        "rows": 7,
        "issued": 5,
        "existing": 1,
        "refused": 1,
    }
    assert summary.details["repeated"] == 1
    assert summary.details["lines"] == [2, 8]


@pytest.mark.django_db(transaction=True)
def test_killed_bulk_run_leaves_one_row_per_kept_credential(
    world: IssuingWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "BATCH_SIZE", 4)
    learners = learners_csv(tmp_path, 10)
    real = IssuingRun.sign
    monkeypatch.setattr(IssuingRun, "sign", crash_after(6))
    with pytest.raises(Crash):
        run(world, learners, tmp_path / "out")
    assert _issue_rows().count() == IssuedCredentialRecord.objects.count() == 4
    assert not AuditEvent.objects.filter(action="issue-bulk").exists()  # the run did not finish

    monkeypatch.setattr(IssuingRun, "sign", real)
    run(world, learners, tmp_path / "out")
    targets = list(_issue_rows().values_list("target", flat=True))
    assert len(targets) == len(set(targets)) == 10  # no duplicate, no gap
    assert set(targets) == {
        f"credential {pk}"
        for pk in IssuedCredentialRecord.objects.values_list("public_id", flat=True)
    }
