"""Imports as background jobs: from the import page above a row threshold, from the API with
``?background=true``; the per-row report kept and shown, downloadable; permissions; bad input;
a worker stopped half way resumes with no row imported twice and none left out."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred_web.register.models import Provider, Specification
from microcred_web.tasks import services, work
from microcred_web.tasks.models import Job, JobReportRow
from microcred_web.tasks.worker import run_pending

from .conftest import IssuingWorld, specifications_csv

ROWS = 12


@pytest.fixture(autouse=True)
def small_threshold(settings: Any) -> None:
    settings.MICROCRED_IMPORT_BACKGROUND_ROWS = 5


def _page(world: IssuingWorld, who: str = "staff_a") -> tuple[Client, str]:
    client = Client()
    client.force_login(world.users[who])
    return client, f"/dashboard/providers/{world.provider_a.slug}/specifications/import"


def test_the_page_queues_a_large_file_and_shows_its_report(world: IssuingWorld) -> None:
    client, url = _page(world)
    body = specifications_csv(ROWS, bad_every=4)  # rows 1, 5, 9 have a negative workload
    response = client.post(url, {"file": SimpleUploadedFile("big.csv", body), "publish": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get(kind="import")
    assert (job.state, job.total, job.provider, job.started_by) == (
        "queued",
        ROWS,
        world.provider_a,
        world.users["staff_a"],
    )
    assert job.input.text.encode() == body  # kept in the database, not in /tmp
    assert not Specification.objects.filter(local_id__startswith="IMP-").exists()
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'id="job-progress"' in page.content.decode()
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.state == "succeeded" and job.done == ROWS, job.message
    assert "9 created" in job.message and "3 rejected" in job.message
    assert (
        not hasattr(Job.objects.get(pk=job.pk), "input")
        or not Job.objects.filter(pk=job.pk, input__isnull=False).exists()
    )  # the upload is deleted once done
    html = client.get(response["Location"]).content.decode()
    assert 'id="count-created">9<' in html and 'id="count-rejected">3<' in html
    assert "big.csv:row 2" in html and "workload-not-positive" in html
    assert (
        Specification.objects.filter(local_id__startswith="IMP-", status="published").count() == 9
    )
    # The whole report, as CSV and JSON.
    report = client.get(f"/jobs/{job.public_id}/report.json").json()
    assert report["counts"] == {"created": 9, "updated": 0, "unchanged": 0, "rejected": 3}
    assert [r["key"] for r in report["rows"]] == [f"IMP-{n}" for n in range(ROWS)]
    text = client.get(f"/jobs/{job.public_id}/report.csv").content.decode()
    lines = list(csv.DictReader(io.StringIO(text)))
    assert {line["key"] for line in lines} == {f"IMP-{n}" for n in range(ROWS)}
    assert any(
        line["outcome"] == "rejected" and line["path"] == "workload.ects" for line in lines
    ), lines[:3]
    # Uploading the same file again: a new job, every row unchanged or rejected again.
    again = client.post(url, {"file": SimpleUploadedFile("big.csv", body), "publish": "on"})
    assert again.status_code == 302
    run_pending()
    second = Job.objects.filter(kind="import").order_by("-pk").first()
    assert second is not None and second.pk != job.pk
    assert services.report_counts(second) == {
        "created": 0,
        "updated": 0,
        "unchanged": 9,
        "rejected": 3,
    }


def test_a_small_file_stays_immediate(world: IssuingWorld) -> None:
    client, url = _page(world)
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", specifications_csv(3))})
    assert response.status_code == 200 and 'id="count-created">3<' in response.content.decode()
    assert not Job.objects.filter(kind="import").exists()


@pytest.mark.parametrize(("who", "status"), [("operator", 200), ("staff_b", 404), ("nobody", 404)])
def test_who_sees_an_import_job_and_its_report(world: IssuingWorld, who: str, status: int) -> None:
    job = services.start_import(
        world.users["staff_a"],
        specifications_csv(ROWS),
        kind="specifications",
        filename="x.csv",
        provider=world.provider_a,
    )
    run_pending()
    client = Client()
    client.force_login(world.users[who])
    for url in (
        f"/jobs/{job.public_id}/",
        f"/jobs/{job.public_id}/report.csv",
        f"/jobs/{job.public_id}/report.json",
        f"/jobs/{job.public_id}/progress.json",
    ):
        assert client.get(url).status_code == status, url
    api = Client().get(f"/api/v1/jobs/{job.public_id}/report", **world.auth(who))
    assert api.status_code == status


def test_another_providers_staff_cannot_import_for_it(world: IssuingWorld) -> None:
    client, url = _page(world, "staff_b")
    response = client.post(url, {"file": SimpleUploadedFile("b.csv", specifications_csv(ROWS))})
    assert response.status_code == 403
    with pytest.raises(services.permissions.PermissionDenied):
        services.start_import(
            world.users["staff_b"],
            specifications_csv(ROWS),
            kind="specifications",
            provider=world.provider_a,
        )
    assert not Job.objects.exists()


def _api(world: IssuingWorld, who: str, body: bytes, name: str = "f.csv", **form: str) -> Any:
    data = {"file": SimpleUploadedFile(name, body), **form}
    return Client().post("/api/v1/import?background=true", data, **world.auth(who))


def test_the_api_answers_202_and_the_job_reports_progress_then_the_summary(
    world: IssuingWorld,
) -> None:
    body = specifications_csv(ROWS, bad_every=6)
    response = _api(world, "staff_a", body, kind="specifications", provider="north-sea-university")
    assert response.status_code == 202, response.content
    started = response.json()
    assert started["state"] == "queued" and started["total"] == ROWS
    assert started["job"] == f"/api/v1/jobs/{started['id']}"
    assert started["page"] == f"/jobs/{started['id']}/"
    queued = Client().get(started["job"], **world.auth("staff_a")).json()
    assert queued["kind"] == "import" and queued["done"] == 0
    assert queued["counts"] == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    run_pending()
    done = Client().get(started["job"], **world.auth("staff_a")).json()
    assert done["state"] == "succeeded" and done["done"] == ROWS
    # Drafts (no status asked): rows with errors are kept, with their findings.
    assert done["counts"] == {"created": 12, "updated": 0, "unchanged": 0, "rejected": 0}
    assert done["report"] == started["report"]
    report = Client().get(started["report"], **world.auth("staff_a")).json()
    flagged = [
        r["key"] for r in report["rows"] if any(f["severity"] == "error" for f in r["findings"])
    ]
    assert flagged == ["IMP-0", "IMP-6"]
    sync = Client().post(
        "/api/v1/import",
        {"file": SimpleUploadedFile("f.csv", body), "kind": "specifications",
         "provider": "north-sea-university"},
        **world.auth("staff_a"),
    ).json()  # fmt: skip
    # The same rows as the synchronous import reports (which now finds them unchanged).
    assert [(r["row"], r["key"]) for r in report["rows"]] == [
        (r["row"], r["key"]) for r in sync["rows"]
    ]
    assert [r["findings"] for r in report["rows"]] == [r["findings"] for r in sync["rows"]]


def test_register_records_in_the_background_act_only_for_the_account(
    world: IssuingWorld,
) -> None:
    providers = b"slug,legal_name@en,kind,country\n" + b"".join(
        f"p-{n},Provider {n},company,NL\n".encode() for n in range(ROWS)
    )
    refused = _api(world, "staff_a", providers, kind="providers")
    assert refused.status_code == 202
    allowed = _api(world, "operator", providers, kind="providers")
    assert allowed.status_code == 202
    run_pending()
    mine = Job.objects.get(public_id=refused.json()["id"])
    assert services.report_counts(mine) == {
        "created": 0, "updated": 0, "unchanged": 0, "rejected": ROWS
    }  # fmt: skip
    codes = {f["code"] for row in mine.report_rows.all() for f in row.findings}
    assert codes == {"forbidden"}
    theirs = Job.objects.get(public_id=allowed.json()["id"])
    assert services.report_counts(theirs)["created"] == ROWS  # type: ignore[index]
    assert Provider.objects.filter(slug__startswith="p-").count() == ROWS
    # Nobody else sees the operator's job.
    assert Client().get(allowed.json()["job"], **world.auth("staff_a")).status_code == 404


@pytest.mark.parametrize(
    ("name", "body", "form", "status", "words"),
    [
        ("broken.json", b'{"specifications": [', {}, 400, "JSON"),
        ("latin1.csv", "titre\xe9\n".encode("latin-1"), {}, 400, "UTF-8"),
        ("nul.json", b'{"id": "A\\u0000"}', {}, 400, "NUL"),
        ("cols.csv", b"slug,nmae\nx,y\n", {"kind": "providers"}, 400, "nmae"),
        ("empty.csv", b"slug,legal_name@en\n", {"kind": "providers"}, 400, "no rows"),
        ("big.csv", b"x" * 5000, {}, 413, "limit"),
    ],
)
def test_bad_files_are_refused_before_anything_is_queued(
    world: IssuingWorld,
    settings: Any,
    name: str,
    body: bytes,
    form: dict[str, str],
    status: int,
    words: str,
) -> None:
    settings.MICROCRED_IMPORT_MAX_BYTES = 4000
    fields = {"kind": "specifications", "provider": "north-sea-university"} | form
    response = _api(world, "staff_a", body, name, **fields)
    assert response.status_code == status, response.content
    problem = response.json()
    assert words in problem["detail"], problem
    if status == 400 and name != "nul.json":
        assert problem["code"] == "unreadable-file"
        assert problem["errors"][0]["loc"] == ["body", "file"], problem
    assert not Job.objects.exists()


def test_wrong_kind_and_other_providers_are_4xx(world: IssuingWorld) -> None:
    body = specifications_csv(2)
    wrong = _api(world, "staff_a", body, kind="learners")
    assert wrong.status_code == 422 and "kind" in json.dumps(wrong.json())
    other = _api(world, "staff_b", body, kind="specifications", provider="north-sea-university")
    assert other.status_code == 403
    missing = _api(world, "staff_a", body, kind="specifications", provider="no-such")
    assert missing.status_code == 404
    assert not Job.objects.exists()


def test_a_stopped_worker_resumes_with_no_row_twice_and_none_left_out(
    world: IssuingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcred_web.register import importing

    job = services.start_import(
        world.users["staff_a"],
        specifications_csv(ROWS, bad_every=5),
        kind="specifications",
        filename="x.csv",
        provider=world.provider_a,
    )
    real = importing._run_row
    calls: list[str] = []

    def stop_after_five(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        if len(calls) == 5:
            work.STOP.set()  # as SIGTERM does: the job yields after this row
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_run_row", stop_after_five)
    try:
        with pytest.raises(work.Interrupted):
            work.run(str(job.public_id))  # as the worker's task does, its queue row kept
    finally:
        work.STOP.clear()
    job.refresh_from_db()
    assert job.state == "queued" and job.done == 5, (job.state, job.done, job.message)
    assert JobReportRow.objects.filter(job=job).count() == 5
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.state == "succeeded" and job.attempts == 2, job.message
    assert len(calls) == ROWS  # every row run once over the two attempts
    positions = list(JobReportRow.objects.filter(job=job).values_list("position", flat=True))
    assert positions == list(range(1, ROWS + 1))
    # Created, not "unchanged": the rows of the first attempt keep the outcome they had.
    assert services.report_counts(job) == {
        "created": ROWS, "updated": 0, "unchanged": 0, "rejected": 0
    }  # fmt: skip
    assert Specification.objects.filter(local_id__startswith="IMP-").count() == ROWS


def test_the_command_line_queues_with_background(
    world: IssuingWorld, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from importlib.metadata import EntryPoint

    import microcred.cli

    plugin = EntryPoint(name="web", value="microcred_web.cli_plugin", group="microcred.commands")
    monkeypatch.setattr(microcred.cli, "entry_points", lambda group: [plugin])
    path = tmp_path / "p.csv"
    path.write_bytes(b"slug,legal_name@en,kind,country\ncli-1,CLI one,company,NL\n")
    args = ["import", str(path), "--kind", "providers", "--background"]
    assert microcred.cli.main(args) == 0
    assert "queued job" in capsys.readouterr().out
    assert not Provider.objects.filter(slug="cli-1").exists()  # not yet: the worker does it
    run_pending()
    job = Job.objects.get(kind="import")
    assert job.state == "succeeded" and job.params["as"] == "command-line", job.message
    assert Provider.objects.filter(slug="cli-1").exists()
    # A bad file is refused at once (exit 2), nothing queued.
    path.write_bytes(b"slug,nmae\nx,y\n")
    assert microcred.cli.main(args) == 2
    assert "nmae" in capsys.readouterr().err
    assert Job.objects.filter(kind="import").count() == 1
