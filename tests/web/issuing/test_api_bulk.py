"""POST /api/v1/credentials/issue-bulk: a learners CSV in, a report per learner out."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from microcred_web.issuing import bulk
from microcred_web.issuing.models import IssuedCredentialRecord

from .conftest import IssuingWorld, signing_jobs, verify_with_instance

URL = "/api/v1/credentials/issue-bulk"
CSV = b"identifier,name\nada@example.org,Ada\nbob@example.org,\n,Nobody\ncy@example.org,Cy\n"


def upload(
    client: Any, world: IssuingWorld, data: bytes, who: str | None = "staff_a", **form: str
) -> Any:
    headers = world.auth(who) if who else {}
    fields = {"specification": world.spec_a.public_id, **form}
    return client.post(
        URL, {"file": SimpleUploadedFile("learners.csv", data, "text/csv"), **fields}, **headers
    )


def test_issues_every_learner_and_reports_each_line(world: IssuingWorld, client: Any) -> None:
    response = upload(client, world, CSV)
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["total"], report["issued"], report["existing"]) == (4, 3, 0)
    assert report["refused"] == [
        {"line": 4, "message": "learner-identifier-missing: the learner needs an identifier"}
    ]
    assert [c["line"] for c in report["credentials"]] == [2, 3, 5]
    assert all(c["created"] for c in report["credentials"])
    assert IssuedCredentialRecord.objects.count() == 3
    fetched = client.get(
        f"/api/v1/credentials/{report['credentials'][0]['id']}", **world.auth("staff_a")
    )
    assert fetched.status_code == 200
    assert verify_with_instance(client, fetched.json()["verifiableCredential"]).verified

    again = upload(client, world, CSV).json()  # a re-upload (after a timeout, say) issues nothing
    assert (again["issued"], again["existing"]) == (0, 3)
    assert [c["id"] for c in again["credentials"]] == [c["id"] for c in report["credentials"]]
    assert IssuedCredentialRecord.objects.count() == 3


def test_permission_and_authentication(world: IssuingWorld, client: Any) -> None:
    assert upload(client, world, CSV, who=None).status_code == 401
    forbidden = upload(client, world, CSV, who="staff_b")
    assert forbidden.status_code == 403
    assert IssuedCredentialRecord.objects.count() == 0


def test_bad_uploads_get_a_clear_4xx(world: IssuingWorld, client: Any, settings: Any) -> None:
    not_utf8 = upload(client, world, "identifier\nzoë@example.org\n".encode("latin-1"))
    assert not_utf8.status_code == 400
    assert "UTF-8" in not_utf8.json()["detail"]
    no_header = upload(client, world, b"who\nada@example.org\n")
    assert no_header.status_code == 422
    assert "identifier" in no_header.json()["detail"]
    unknown = upload(client, world, CSV, specification="S-NOPE0000")
    assert unknown.status_code == 404
    bad_suite = upload(client, world, CSV, cryptosuite="rsa")
    assert bad_suite.status_code in (400, 422)
    settings.MICROCRED_BULK_MAX_ROWS = 2
    too_many = upload(client, world, CSV)
    assert too_many.status_code == 413
    assert "microcred issue" in too_many.json()["detail"]
    settings.MICROCRED_BULK_MAX_BYTES = 10
    assert upload(client, world, CSV).status_code == 413
    assert IssuedCredentialRecord.objects.count() == 0


def test_an_upload_shares_its_signing_with_the_signing_process(
    world: IssuingWorld, client: Any, monkeypatch: Any
) -> None:
    """Over HTTP too (no files), half of each batch is signed by the signing process, and
    what it signed verifies against the instance's DID document."""
    monkeypatch.setattr(bulk, "BATCH_SIZE", 4)
    given = signing_jobs(monkeypatch)
    rows = "".join(f"l{n}@example.org,L {n}\n" for n in range(8))
    report = upload(client, world, f"identifier,name\n{rows}".encode()).json()
    assert (report["issued"], report["refused"]) == (8, [])
    assert len(given) == 4  # two of each batch of four
    for entry in report["credentials"]:
        fetched = client.get(f"/api/v1/credentials/{entry['id']}", **world.auth("staff_a"))
        assert verify_with_instance(client, fetched.json()["verifiableCredential"]).verified
