"""The queue's cost: a background bulk issue of N learners against the direct call.

(Not ``bench/queue.py``: that name would stand for the standard library's ``queue`` in every
script of bench/, which Python runs with bench/ first on its path.)

Run:  .venv/bin/python bench/queue_cost.py [--n 10000] [--db postgres|sqlite]

On a fresh database (a throw-away PostgreSQL 15 cluster by default, see bench/_django.py), one
provider with published specifications of the same content (one per run), and a learners CSV
of N rows (student numbers: no claim mail):

0. warm-up, untimed: 50 learners each way, so that both sides have imported, connected and
   signed once, as a running server and a running worker have;
1. **direct**: ``issuing.bulk.issue_many`` in this process, as ``manage.py issue_bulk`` /
   ``POST /credentials/issue-bulk`` call it (no output files: the background job writes none
   either; the credentials stay in the database);
2. **queue**: the same learners uploaded as a background job
   (``tasks.services.start_bulk_issue``: the upload read and checked, the job and its queue
   row written), run by a real ``manage.py worker`` process (the warmed-up one); timed from
   the upload until this process sees the job finished (polled every 50 ms on one
   connection), so it includes the worker's poll interval (0.1 s here), claiming the task,
   reading the upload again, the progress written after every batch and the final counts.

``--rounds`` pairs (2 by default), the second with the queue first: the database grows during
the run, and whichever side goes second works on bigger tables.

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

POLL = 0.05
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
    from microcred_web.tasks import services
    from microcred_web.tasks.models import Job

    started = time.perf_counter()
    job = services.start_bulk_issue(user, spec, data)
    while True:
        state = Job.objects.filter(pk=job.pk).values_list("state", flat=True).get()
        if state in ("succeeded", "failed"):
            break
        time.sleep(POLL)  # autocommit: each poll reads what is committed now
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
            for n in range(1 + 2 * args.rounds):
                saved = save_specification(
                    operator, provider, {**SPEC, "id": f"DS-{100 + n}"}, status="published"
                )
                assert saved.specification is not None, saved.findings
                specs.append(saved.specification)
            ensure_key(provider)
            user = staff_user(provider)
            data = learners_csv(args.n)
            times: dict[str, list[float]] = {"direct": [], "queue": []}
            ok = True
            worker = start_worker(work / "worker.log")
            try:
                # Warm-up, untimed: both sides have imported, connected and signed once, as a
                # running server and a running worker have.
                direct(user, specs[0], learners_csv(WARM_UP, "W"))
                _, warm = queued(user, specs[0], learners_csv(WARM_UP, "Q"))
                assert warm.state == "succeeded", (warm.message, worker_log_text(work))
                for round_ in range(args.rounds):
                    # Alternate which side goes first: the database grows as the run goes on.
                    order = ["direct", "queue"] if round_ % 2 == 0 else ["queue", "direct"]
                    for k, side in enumerate(order):
                        spec = specs[1 + 2 * round_ + k]
                        if side == "direct":
                            seconds, issued = direct(user, spec, data)
                            ok = ok and issued == args.n
                            extra = ""
                        else:
                            seconds, job = queued(user, spec, data)
                            ok = ok and job.state == "succeeded" and job.issued == args.n
                            extra = f"; job {job.state}, {job.issued:,} issued"
                        records = IssuedCredentialRecord.objects.filter(specification=spec)
                        ok = (
                            ok
                            and records.count() == args.n
                            and records.values("learner_hash").distinct().count() == args.n
                        )
                        times[side].append(seconds)
                        label = "direct (issue_many)" if side == "direct" else "queue (worker job)"
                        print(
                            f"round {round_ + 1} {label:<20} {seconds:7.2f} s "
                            f"({args.n / seconds:,.0f}/s{extra}); {_django.load()}",
                            flush=True,
                        )
            finally:
                worker.terminate()
                worker.wait(timeout=60)
            direct_s, queue_s = sum(times["direct"]), sum(times["queue"])
            ratio = queue_s / direct_s
            print(
                f"TOTAL direct {direct_s:.2f} s, queue {queue_s:.2f} s over {args.rounds} "
                f"round(s) of {args.n:,}"
            )
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
    parser.add_argument("--rounds", type=int, default=2, help="direct + queue pairs")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
