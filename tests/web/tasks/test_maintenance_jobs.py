"""Search reindex and status-list publication as background jobs: from the jobs page (a
button), from ``manage.py enqueue``; who may start them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from microcred_web.issuing import issue as issuing
from microcred_web.issuing.models import AuditEvent, ProviderKey, StatusListRecord
from microcred_web.register.permissions import PermissionDenied
from microcred_web.tasks import services
from microcred_web.tasks.models import Job
from microcred_web.tasks.worker import run_pending

from .conftest import IssuingWorld


def test_reindex_from_the_jobs_page(world: IssuingWorld) -> None:
    from microcred_web.catalogue import services as catalogue

    client = Client()
    client.force_login(world.users["operator"])
    assert "Rebuild the search index" in client.get("/jobs/").content.decode()
    response = client.post("/jobs/reindex")
    job = Job.objects.get(kind="reindex")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.public_id}/"
    catalogue.get_index()
    run_pending()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.done == 2, job.message
    assert "2 specifications indexed" in job.message


@pytest.mark.parametrize("who", ["staff_a", "nobody"])
def test_only_the_operator_rebuilds_the_index(world: IssuingWorld, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    assert "Rebuild the search index" not in client.get("/jobs/").content.decode()
    assert client.post("/jobs/reindex").status_code == 403
    assert not Job.objects.exists()


def test_status_lists_published_again_with_the_active_key(world: IssuingWorld) -> None:
    from microcred_web.issuing import keys

    user = world.users["staff_a"]
    issuing.issue_credential(user, world.spec_a, issuing.Learner("ada@example.org", "Ada"))
    before = {row.pk: row.signed for row in StatusListRecord.objects.all()}
    assert before
    new = keys.rotate_key(user, world.provider_a, "yearly")
    client = Client()
    client.force_login(user)
    response = client.post("/jobs/publish-status-lists", {"provider": world.provider_a.slug})
    job = Job.objects.get(kind="publish-status-lists")
    assert response.status_code == 302
    run_pending()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.done == job.total == len(before), job.message
    for row in StatusListRecord.objects.all():
        assert row.signed["proof"]["verificationMethod"].endswith("#" + new.key_id)
        assert row.signed["credentialSubject"] == before[row.pk]["credentialSubject"]
    assert ProviderKey.objects.filter(provider=world.provider_a).count() == 2
    assert AuditEvent.objects.filter(action="status-lists-published").count() == 1


def test_another_providers_lists_cannot_be_published(world: IssuingWorld) -> None:
    client = Client()
    client.force_login(world.users["staff_b"])
    response = client.post("/jobs/publish-status-lists", {"provider": world.provider_a.slug})
    assert response.status_code == 422  # not among the providers offered to this account
    with pytest.raises(PermissionDenied):
        services.start_publish_status_lists(world.users["staff_b"], world.provider_a)
    with pytest.raises(PermissionDenied):
        services.start_publish_status_lists(world.users["staff_a"], None)
    assert not Job.objects.exists()


def test_enqueue_command(world: IssuingWorld, settings: Any) -> None:
    out = io.StringIO()
    call_command("enqueue", "reindex", stdout=out)
    call_command("enqueue", "publish-status-lists", stdout=out)
    assert out.getvalue().count("queued job") == 2
    assert run_pending() == 2
    assert set(Job.objects.values_list("state", flat=True)) == {"succeeded"}
