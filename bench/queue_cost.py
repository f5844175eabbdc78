"""The queue's cost: a background bulk issue of N learners against the direct call.

(Not ``bench/queue.py``: that name would stand for the standard library's ``queue`` in every
script of bench/, which Python runs with bench/ first on its path.)

Run:  .venv/bin/python bench/queue_cost.py [--n 10000] [--db postgres|sqlite]

On a fresh database (a throw-away PostgreSQL 15 cluster by default, see bench/_django.py), one
provider with three published specifications of the same content, and a learners CSV of N rows:

0. warm-up, untimed: 50 learners each way on a third specification, so that both sides have
   imported, connected and signed once, as a running server and a running worker have;
1. **direct**: ``issuing.bulk.issue_many`` on specification A, in this process, as
   ``manage.py issue_bulk`` / ``POST /credentials/issue-bulk`` call it (no output files: the
   background job writes none either; the credentials stay in the database);
2. **queue**: the same learners uploaded for specification B as a background job
   (``tasks.services.start_bulk_issue``: the upload read and checked, the job and its queue
   row written), run by a real ``manage.py worker`` process (the warmed-up one); timed from the
   upload until this process sees the job finished (polled every 20 ms), so it includes the
   worker's poll interval (0.1 s here), claiming the task, reading the upload again, the
   progress written after every batch and the final counts.

Prints both times, their ratio (target: the queue costs under 10%) and the machine
(``bench/credentials.py``'s ``machine()``). Both runs do the same work: N credentials with a
revocation entry each, on the same provider's status lists, signed with the same key.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django
import credentials as credentials_bench
from bulk_issue import SPEC

POLL = 0.02
#: Learners of the untimed warm-up run on each side.
WARM_UP = 50


def worker_log_text(work: Path) -> str:
    return (work / "worker.log").read_text(errors="replace")


def learners_csv(n: int, prefix: str = "S") -> bytes:
    # Student numbers, not e-mail addresses: no claim message to send (nor to time).
    rows = "".join(f"{prefix}{i:07d},Learner {i}\n" for i in range(n))
    return ("identifier,name\n" + rows).encode("utf-8")


def staff_user(provider: Any) -> Any:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Membership, Role

    user = get_user_model().objects.create(username="bench-staff")
    Membership.objects.create(user=user, role=Role.PROVIDER, provider=provider)
    return user


def direct(user: Any, spec: Any, data: bytes) -> tuple[float, int]:
    from microcred_web.issuing import bulk

    started = time.perf_counter()
    learners = list(bulk.read_learners(io.StringIO(data.decode("utf-8"), newline="")))
    report = bulk.issue_many(user, spec, learners, None, total=len(learners))
    return time.perf_counter() - started, report.issued


def start_worker(worker_log: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "microcred_web.manage", "worker", "--interval", "0.1"]
    with worker_log.open("ab") as out:
        return subprocess.Popen(argv, stdout=out, stderr=out, env=dict(os.environ))


def queued(user: Any, spec: Any, data: bytes) -> tuple[float, Any]:
    from django.db import connection

    from microcred_web.tasks import services
    from microcred_web.tasks.models import Job

    started = time.perf_counter()
    job = services.start_bulk_issue(user, spec, data)
    while True:
        state = Job.objects.filter(pk=job.pk).values_list("state", flat=True).get()
        if state in ("succeeded", "failed"):
            break
        connection.close()  # a fresh snapshot for the next poll, as a web request has
        time.sleep(POLL)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    return seconds, job


def run(args: argparse.Namespace) -> int:
    info = credentials_bench.machine({})
    print(
        f"machine: {info['cpu_model']}, {info['cores']} cores, {info['ram_gib']} GiB, "
        f"{info['os']}, Python {info['python']}; {_django.load()}"
    )
    os.environ.setdefault("MICROCRED_IDENTIFIER_KEY", "bench-only-identifier-key-0123456789")
    with tempfile.TemporaryDirectory(prefix="mc-bench-queue-") as tmp:
        work = Path(tmp)
        with _django.django_for(args.db, work) as described:
            from microcred_web.issuing.keys import ensure_key
            from microcred_web.issuing.models import IssuedCredentialRecord
            from microcred_web.register.services import save_specification

            print(f"database: {described}")
            operator = _django.operator()
            provider = _django.create_provider("north-sea-university", name="North Sea University")
            specs = []
            for local_id in ("DS-100", "DS-101", "DS-102"):
                saved = save_specification(
                    operator, provider, {**SPEC, "id": local_id}, status="published"
                )
                assert saved.specification is not None, saved.findings
                specs.append(saved.specification)
            ensure_key(provider)
            user = staff_user(provider)
            data = learners_csv(args.n)
            worker = start_worker(work / "worker.log")
            try:
                # Warm-up, untimed: both sides have imported, connected and signed once, as a
                # running server and a running worker have.
                direct(user, specs[0], learners_csv(WARM_UP, "W"))
                _, warm = queued(user, specs[0], learners_csv(WARM_UP, "Q"))
                assert warm.state == "succeeded", (warm.message, worker_log_text(work))
                print(f"issuing {args.n:,} learners directly, then through the queue", flush=True)
                direct_s, issued = direct(user, specs[1], data)
                print(f"direct (issue_many):  {direct_s:7.2f} s  ({issued / direct_s:,.0f}/s)")
                queue_s, job = queued(user, specs[2], data)
            finally:
                worker.terminate()
                worker.wait(timeout=60)
            print(
                f"queue (worker job):   {queue_s:7.2f} s  ({job.issued / queue_s:,.0f}/s; "
                f"job {job.state}, {job.issued:,} issued, {job.attempts} attempt)"
            )
            records = IssuedCredentialRecord.objects.filter(specification=specs[2])
            ok = (
                issued == args.n
                and job.state == "succeeded"
                and job.issued == args.n
                and records.count() == args.n
                and records.values("learner_hash").distinct().count() == args.n
            )
            ratio = queue_s / direct_s
            print(
                f"RATIO queue / direct = {ratio:.3f} (the queue costs {ratio - 1:+.1%}; "
                f"target under +10%): {'OK' if ratio < 1.10 else 'OVER TARGET'}; "
                f"check {'OK' if ok else 'FAILED'}; {_django.load()}"
            )
            return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
