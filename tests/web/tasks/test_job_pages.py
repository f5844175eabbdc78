"""The job pages: the upload on the provider dashboard, errors on the form, the job page and
its JSON, who may see a job (starter, provider's staff, operator; nobody else: 404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred_web.tasks import services
from microcred_web.tasks.models import Job
from microcred_web.tasks.worker import run_pending

from .conftest import IssuingWorld, learners_csv


def client_for(world: IssuingWorld, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def upload(client: Client, world: IssuingWorld, data: bytes, **fields: str) -> Any:
    return client.post(
        f"/dashboard/providers/{world.provider_a.slug}/bulk-issue",
        {
            "specification": world.spec_a.public_id,
            "cryptosuite": "eddsa-rdfc-2022",
            "file": SimpleUploadedFile("learners.csv", data, "text/csv"),
            **fields,
        },
        HTTP_HOST="testserver",
    )


def test_the_dashboard_offers_the_upload(world: IssuingWorld) -> None:
    page = client_for(world, "staff_a").get(f"/dashboard/providers/{world.provider_a.slug}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'action="/dashboard/providers/{world.provider_a.slug}/bulk-issue"' in html
    assert 'enctype="multipart/form-data"' in html and "Learners (CSV file)" in html


def test_upload_queues_a_job_and_its_page_shows_progress(world: IssuingWorld) -> None:
    client = client_for(world, "staff_a")
    response = upload(client, world, learners_csv(12))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.public_id}/"
    assert job.interface == "page" and job.total == 12
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Queued" in html
    assert 'max="12" value="0"' in html and ">Refresh</a>" in html
    assert "tasks/progress.js" in html
    run_pending()
    state = client.get(f"/jobs/{job.public_id}/progress.json").json()
    assert state["state"] == "succeeded" and state["done"] == 12 and state["issued"] == 12
    assert state["percent"] == 100 and state["finished"] is True
    assert state["startedAt"].endswith(" UTC") and state["finishedAt"].endswith(" UTC")
    html = client.get(f"/jobs/{job.public_id}/").content.decode()
    assert "Finished" in html and "12 issued, 0 already issued, 0 refused." in html
    listing = client.get("/jobs/").content.decode()
    assert f"/jobs/{job.public_id}/" in listing


def test_row_errors_are_listed_by_line(world: IssuingWorld) -> None:
    client = client_for(world, "staff_a")
    upload(client, world, learners_csv(2, "bad@,Bad\n"))
    run_pending()
    job = Job.objects.get()
    html = client.get(f"/jobs/{job.public_id}/").content.decode()
    assert "Rows to look at" in html and "<td>4</td>" in html


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"name\nAda\n", 422, "identifier"),
        (b"identifier\n\xff\n", 422, "not UTF-8"),
        (b"identifier\n", 422, "no learner rows"),
    ],
)
def test_a_bad_file_is_refused_next_to_the_field(
    world: IssuingWorld, data: bytes, status: int, message: str
) -> None:
    response = upload(client_for(world, "staff_a"), world, data, cryptosuite="eddsa-jcs-2022")
    html = response.content.decode()
    assert response.status_code == status
    assert 'id="bulk-file-error"' in html and message in html
    assert '<option value="eddsa-jcs-2022" selected>' in html  # what was chosen is kept
    assert not Job.objects.exists()


def test_no_file_is_an_error_on_the_field(world: IssuingWorld) -> None:
    client = client_for(world, "staff_a")
    response = client.post(
        f"/dashboard/providers/{world.provider_a.slug}/bulk-issue",
        {"specification": world.spec_a.public_id, "cryptosuite": "eddsa-rdfc-2022"},
    )
    assert response.status_code == 422 and 'id="bulk-file-error"' in response.content.decode()


def test_an_upload_over_the_limit_is_a_413_page(world: IssuingWorld, settings: Any) -> None:
    settings.MICROCRED_BULK_UPLOAD_MAX_BYTES = 1024
    response = upload(client_for(world, "staff_a"), world, learners_csv(100))
    assert response.status_code == 413
    assert "larger than 1 KB" in response.content.decode()
    assert not Job.objects.exists()


def test_other_providers_staff_cannot_upload(world: IssuingWorld) -> None:
    response = upload(client_for(world, "staff_b"), world, learners_csv(2))
    assert response.status_code == 403 and not Job.objects.exists()
    assert (
        client_for(world, "nobody")
        .get(f"/dashboard/providers/{world.provider_a.slug}/bulk-issue")
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [("staff_a", True), ("operator", True), ("staff_b", False), ("nobody", False)],
)
def test_who_sees_a_job(world: IssuingWorld, who: str, sees: bool) -> None:
    starter = world.users["staff_a"]
    job = services.start_bulk_issue(starter, world.spec_a, learners_csv(2))
    client = client_for(world, who)
    for url in (f"/jobs/{job.public_id}/", f"/jobs/{job.public_id}/progress.json"):
        assert client.get(url).status_code == (200 if sees else 404), (who, url)
    assert (f"/jobs/{job.public_id}/" in client.get("/jobs/").content.decode()) is sees


def test_signed_out_visitors_are_sent_to_sign_in(world: IssuingWorld) -> None:
    job = services.start_bulk_issue(world.users["staff_a"], world.spec_a, learners_csv(2))
    response = Client().get(f"/jobs/{job.public_id}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_provider_staff_member_of_the_same_provider_sees_a_colleagues_job(
    world: IssuingWorld,
) -> None:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Membership, Role

    colleague = get_user_model().objects.create(username="colleague")
    Membership.objects.create(user=colleague, role=Role.PROVIDER, provider=world.provider_a)
    job = services.start_bulk_issue(world.users["staff_a"], world.spec_a, learners_csv(2))
    client = Client()
    client.force_login(colleague)
    assert client.get(f"/jobs/{job.public_id}/").status_code == 200
