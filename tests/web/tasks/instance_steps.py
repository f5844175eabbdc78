"""Steps run inside an instance's own process (see :mod:`tests.web.issuing.instance`).

``queue N``: a provider's staff account (password ``PASSWORD``) and a queued bulk issue of N
learners (``{"job": id}``). ``job ID``: the job's state and counts. ``task ID``: its queue
row's state.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import django

PASSWORD = "a long instance test password"


def staff() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Membership, Provider, Role

    user, created = get_user_model().objects.get_or_create(username="staff")
    if created:
        user.set_password(PASSWORD)
        user.save()
        provider = Provider.objects.get(slug="north-sea-university")
        Membership.objects.create(user=user, role=Role.PROVIDER, provider=provider)
    return {"user": user.username}


def queue(count: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Specification
    from microcred_web.tasks import services
    from tests.web.tasks.conftest import learners_csv

    staff()
    user = get_user_model().objects.get(username="staff")
    spec = Specification.objects.get(local_id="DS-101")
    job = services.start_bulk_issue(user, spec, learners_csv(int(count)))
    return {"job": str(job.public_id)}


def queue_import(count: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Provider
    from microcred_web.tasks import services
    from tests.web.tasks.conftest import specifications_csv

    staff()
    user = get_user_model().objects.get(username="staff")
    provider = Provider.objects.get(slug="north-sea-university")
    data = specifications_csv(int(count))
    job = services.start_import(
        user, data, kind="specifications", filename="big.csv", provider=provider,
        status="published",
    )  # fmt: skip
    return {"job": str(job.public_id)}


def imported(public_id: str) -> dict[str, Any]:
    """What an import job left: its report rows, the specifications, the search index."""
    from django.db.models import Count

    from microcred_web.catalogue import services as catalogue
    from microcred_web.register.models import Specification
    from microcred_web.tasks.models import Job, JobReportRow

    found = Job.objects.get(public_id=public_id)
    rows = JobReportRow.objects.filter(job=found)
    specs = Specification.objects.filter(local_id__startswith="IMP-")
    return {
        "report_rows": rows.count(),
        "positions": sorted(rows.values_list("position", flat=True)),
        "outcomes": dict(rows.order_by().values_list("outcome").annotate(n=Count("pk"))),
        "specifications": specs.count(),
        "local_ids": specs.values("local_id").distinct().count(),
        "versions": sum(s.versions.count() for s in specs),
        "in_catalogue": catalogue.catalogue_count(),
        "indexed": catalogue.get_index().count(),
    }


def job(public_id: str) -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from microcred_web.tasks.models import Job

    found = Job.objects.get(public_id=public_id)
    task = DBTaskResult.objects.get(id=found.task_id)
    return {
        "state": found.state,
        "done": found.done,
        "total": found.total,
        "issued": found.issued,
        "existing": found.existing,
        "refused": found.refused,
        "attempts": found.attempts,
        "message": found.message,
        "task": task.status,
        "workers": task.worker_ids,
    }


def main(argv: list[str]) -> None:
    django.setup()
    steps = {
        "staff": staff,
        "queue": queue,
        "job": job,
        "queue-import": queue_import,
        "imported": imported,
    }
    print(json.dumps(steps[argv[0]](*argv[1:])))


if __name__ == "__main__":
    main(sys.argv[1:])
