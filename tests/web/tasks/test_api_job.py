"""``GET /api/v1/jobs/{job_id}``: the job for its starter, its provider's staff and the
operator; 404 for anyone else and for a job that does not exist; 401 without a token."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from microcred_web.tasks import services
from microcred_web.tasks.worker import run_pending

from .conftest import IssuingWorld, learners_csv


def test_the_starter_reads_progress_and_report(world: IssuingWorld) -> None:
    job = services.start_bulk_issue(
        world.users["staff_a"], world.spec_a, learners_csv(3, "bad@,Bad\n")
    )
    client = Client()
    url = f"/api/v1/jobs/{job.public_id}"
    queued = client.get(url, **world.auth("staff_a")).json()
    assert queued["state"] == "queued" and queued["total"] == 4 and queued["done"] == 0
    run_pending()
    done = client.get(url, **world.auth("staff_a")).json()
    assert done["state"] == "succeeded" and done["kind"] == "bulk-issue"
    assert (done["issued"], done["refused"]) == (3, 1)
    assert done["errors"][0]["line"] == 5 and done["provider"] == world.provider_a.slug
    assert done["specification"] == world.spec_a.public_id and done["attempts"] == 1


@pytest.mark.parametrize(("who", "status"), [("operator", 200), ("staff_b", 404), ("nobody", 404)])
def test_who_may_read_a_job(world: IssuingWorld, who: str, status: int) -> None:
    job = services.start_bulk_issue(world.users["staff_a"], world.spec_a, learners_csv(1))
    response = Client().get(f"/api/v1/jobs/{job.public_id}", **world.auth(who))
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not-found"


def test_no_token_and_unknown_jobs(world: IssuingWorld) -> None:
    job = services.start_bulk_issue(world.users["staff_a"], world.spec_a, learners_csv(1))
    assert Client().get(f"/api/v1/jobs/{job.public_id}").status_code == 401
    for job_id in (str(uuid.uuid4()), "not-a-uuid"):
        response = Client().get(f"/api/v1/jobs/{job_id}", **world.auth("operator"))
        assert response.status_code == 404
