"""Bulk issuing (the API's learners CSV and ``microcred issue``) with grade, date of
achievement and name-part columns: they reach each credential; a row with a grade outside the
scheme or a bad e-mail address is refused naming it; an unknown column stops the run."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from microcred.credentials.obv3_read import read_credential
from microcred_web.issuing.models import IssuedCredentialRecord

from .conftest import IssuingWorld, _spec, verify_with_instance
from .test_api_issue_achievement import verify_page

URL = "/api/v1/credentials/issue-bulk"
CSV = (
    "email,given_name,family_name,grade,achieved_on\n"
    "ada@example.org,Ada,Lovelace,8,2025-06-20\n"
    "bob@example.org,Bob,,11,\n"
    "not an email,Cy,,7,\n"
    "dee@example.org,,,,\n"
)


@pytest.fixture
def graded(world: IssuingWorld) -> Any:
    return _spec(world.provider_a, "DS-201", grade_scheme={"en": "Dutch 1-10 scale"})


def upload(client: Any, world: IssuingWorld, spec: Any, data: str) -> Any:
    file = SimpleUploadedFile("learners.csv", data.encode(), "text/csv")
    return client.post(
        URL, {"file": file, "specification": spec.public_id}, **world.auth("staff_a")
    )


def test_the_columns_reach_the_credentials_and_bad_rows_are_refused_by_field(
    world: IssuingWorld, client: Any, graded: Any
) -> None:
    response = upload(client, world, graded, CSV)
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["issued"], len(report["refused"])) == (2, 2)
    refused = {item["line"]: item["message"] for item in report["refused"]}
    assert refused[3].startswith("grade-not-in-scheme") and "'11'" in refused[3]
    # The column is "email", so each row claims an e-mail address and must hold one.
    assert refused[4].startswith("learner-identifier-not-email")
    ada = IssuedCredentialRecord.objects.get(
        public_id=report["credentials"][0]["id"].removeprefix("urn:uuid:")
    ).credential
    assert verify_with_instance(client, ada).verified
    read = read_credential(ada)
    assert read.grade == {"en": "8"}
    assert read.achieved_on == datetime(2025, 6, 20, tzinfo=UTC)
    assert (read.learner.given_name, read.learner.family_name) == ("Ada", "Lovelace")
    assert '<div id="el-grade"><dt>Grade achieved</dt><dd>8' in verify_page(client, ada)
    dee = IssuedCredentialRecord.objects.get(
        public_id=report["credentials"][1]["id"].removeprefix("urn:uuid:")
    ).credential
    assert "result" not in dee["credentialSubject"]
    assert "activityEndDate" not in dee["credentialSubject"]


def test_an_unknown_column_is_refused_by_name_before_anything_is_issued(
    world: IssuingWorld, client: Any, graded: Any
) -> None:
    response = upload(client, world, graded, "identifier,grdae\nada@example.org,8\n")
    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["code"] == "learners-file-unknown-column"
    assert "grdae" in problem["detail"]
    assert not IssuedCredentialRecord.objects.exists()


def test_a_malformed_date_is_refused_on_its_line(
    world: IssuingWorld, client: Any, graded: Any
) -> None:
    response = upload(client, world, graded, "identifier,achieved_on\nada@example.org,20/6/25\n")
    assert response.status_code == 200, response.content
    [refusal] = response.json()["refused"]
    assert refusal["line"] == 2 and refusal["message"].startswith("learner-achieved-on-malformed")


def test_the_command_refuses_an_unknown_column_too(
    world: IssuingWorld, graded: Any, tmp_path: Path
) -> None:
    learners = tmp_path / "learners.csv"
    learners.write_text("identifier,mark\nada@example.org,8\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unknown column mark"):
        call_command(
            "issue_bulk",
            "--spec", graded.public_id,
            "--learners", str(learners),
            "--out", str(tmp_path / "out"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )  # fmt: skip
    assert not IssuedCredentialRecord.objects.exists()
