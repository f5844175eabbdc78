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
    steps = {"staff": staff, "queue": queue, "job": job}
    print(json.dumps(steps[argv[0]](*argv[1:])))


if __name__ == "__main__":
    main(sys.argv[1:])
