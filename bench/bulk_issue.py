"""Bulk issuing: credentials/s through ``issuing.bulk.issue_many``, and the resumability check.

Run:  .venv/bin/python bench/bulk_issue.py [--n 10000] [--db sqlite|postgres]
                                           [--cryptosuite eddsa-rdfc-2022|eddsa-jcs-2022]
                                           [--profile]

What it does, on a fresh database (SQLite file or throw-away PostgreSQL, see bench/_django.py):

1. creates a provider and publishes a realistic specification through
   ``register.services.save_specification``, writes a learners CSV of N rows;
2. runs ``issue_many`` (what ``microcred issue`` / ``manage.py issue_bulk`` call) with the
   CSV reader, and stops it half way: the progress callback raises after N/2 learners, which
   (batches commit whole, so the records left are N/2 rounded up to a whole batch)
   is how a kill looks to the database (every finished learner is committed, nothing else);
3. runs it again on the same CSV, as a user would after the crash: the first half is found
   (``existing``), the second half issued;
4. checks: N records, N JSON files, each record with its own revocation index (and suspension
   index, with ``--suspension``),
   no (status list, index) pair twice, and prints credentials/s and the projected time for
   100,000 credentials.

Every credential gets a revocation entry (and, with ``--suspension``, which sets
``MICROCRED_STATUS_SUSPENSION``, a suspension entry too) on the provider's
131,072-entry lists; the signing key is created on first use and is not counted.
``--profile`` runs both passes under cProfile and prints the top 10 functions (by own time and
by cumulative time); the rates are then slower than without it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django
import catalogue as core_bench

SPEC: dict[str, Any] = {
    "id": "DS-101",
    "title": {"en": "Data stewardship basics", "nl": "Basis datastewardship"},
    "description": {
        "en": "Plan, document and share research data according to the FAIR principles."
    },
    "issuer_countries": ["NL"],
    "awarding_bodies": [{"name": {"en": "North Sea University"}, "country": "NL"}],
    "learning_outcomes": [
        {"text": {"en": "Write a data management plan for a research project"}},
        {"text": {"en": "Choose a repository and a licence for a dataset"}},
        {"text": {"en": "Document a dataset with metadata fit for reuse"}},
        {"text": {"en": "Assess the privacy risks of sharing research data"}},
    ],
    "workload": {"ects": 5, "hours": 140},
    "level": {"eqf": 7, "qf_ehea": "second"},
    "assessment": {"types": ["project"]},
    "participation": {"mode": "online", "scheduled": True},
    "quality_assurance": [{"type": "external-institutional", "agency": "NVAO"}],
    "stackability": {"option": "stackable"},
    "fields_of_study": ["0688"],
    "languages": ["en"],
}


class Stop(Exception):
    """Raised by the progress callback to stop a run half way (a simulated kill)."""


def _write_learners(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("identifier,name\n")
        for i in range(n):
            fh.write(f"learner-{i:07d}@example.org,Learner {i}\n")


def _children_cpu() -> float:
    """CPU seconds of the helper processes that have ended (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pass(
    user: Any,
    spec: Any,
    learners: Path,
    out: Path | None,
    cryptosuite: str,
    stop_after: int | None,
    profiler: cProfile.Profile | None,
) -> tuple[Any, float, bool]:
    from microcred_web.issuing import bulk

    total = bulk.count_rows(learners)
    started = time.perf_counter()
    state: dict[str, Any] = {"next": 0.1, "report": None}

    def progress(report: bulk.BulkReport) -> None:
        state["report"] = report
        share = report.done / total
        if share >= state["next"] or report.done == total:
            state["next"] += 0.1
            rate = report.done / (time.perf_counter() - started)
            bar = "#" * int(share * 30)
            print(
                f"  [{bar:<30}] {report.done}/{total} ({report.issued} new, "
                f"{report.existing} already issued, {len(report.failed)} refused) {rate:,.0f}/s",
                flush=True,
            )
        if stop_after is not None and report.done >= stop_after:
            raise Stop

    stopped = False
    if profiler is not None:
        profiler.enable()
    try:
        with learners.open(encoding="utf-8-sig", newline="") as stream:
            report = bulk.issue_many(
                user,
                spec,
                bulk.read_learners(stream),
                out,
                cryptosuite=cryptosuite,
                total=total,
                progress=progress,
            )
    except Stop:
        stopped = True
        report = state["report"]
    finally:
        if profiler is not None:
            profiler.disable()
    return report, time.perf_counter() - started, stopped


def run(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.db.models import Count

    print(core_bench.machine())
    with tempfile.TemporaryDirectory(prefix="mc-bench-issue-") as tmp:
        work = Path(tmp)
        with _django.django_for(args.db, work) as described:
            from microcred_web.issuing.keys import ensure_key
            from microcred_web.issuing.models import IssuedCredentialRecord, StatusAllocation
            from microcred_web.register.services import save_specification

            print(f"database: {described}; Django connection vendor {connection.vendor}")
            from django.conf import settings

            settings.MICROCRED_STATUS_SUSPENSION = args.suspension
            user = _django.operator()
            provider = _django.create_provider("north-sea-university", name="North Sea University")
            saved = save_specification(user, provider, SPEC, status="published")
            assert saved.specification is not None, saved.findings
            spec = saved.specification
            ensure_key(provider)  # key generation is a one-off, not part of the rate
            learners = work / "learners.csv"
            _write_learners(learners, args.n)
            out = None if args.no_files else work / "out"
            profiler = cProfile.Profile() if args.profile else None
            half = args.n // 2
            from microcred_web.issuing.bulk import BATCH_SIZE as batch

            print(
                f"issuing {args.n:,} credentials of {spec.public_id} ({args.cryptosuite}), "
                f"stopping after {half:,}; before: {_django.load()}",
                flush=True,
            )

            cpu_started = time.process_time()
            children_started = _children_cpu()
            first, t1, stopped = _pass(user, spec, learners, out, args.cryptosuite, half, profiler)
            print(
                f"pass 1 (stopped by the progress callback: {stopped}): {first.issued:,} issued "
                f"in {t1:.1f} s = {first.issued / t1:,.0f}/s; {_django.load()}",
                flush=True,
            )
            after_crash = IssuedCredentialRecord.objects.count()
            second, t2, _ = _pass(user, spec, learners, out, args.cryptosuite, None, profiler)
            print(
                f"pass 2 (re-run): {second.issued:,} issued, {second.existing:,} already issued, "
                f"{len(second.failed)} refused in {t2:.1f} s; {_django.load()}",
                flush=True,
            )

            records = IssuedCredentialRecord.objects.filter(specification=spec)
            count = records.count()
            files = len(list(out.glob("*.json"))) if out is not None else 0
            dup_pairs = (
                StatusAllocation.objects.values("status_list", "index")
                .annotate(c=Count("id"))
                .filter(c__gt=1)
                .count()
            )
            entries = 2 if args.suspension else 1
            revocations = records.values("revocation").distinct().count()
            suspensions = (
                records.values("suspension").distinct().count() if args.suspension else args.n
            )
            missing_status = records.filter(revocation__isnull=True).count() + (
                records.filter(suspension__isnull=True).count() if args.suspension else 0
            )
            allocations = StatusAllocation.objects.count()
            ok = (
                stopped
                and half <= after_crash < half + batch  # whole batches committed, no more
                and second.existing == after_crash
                and second.issued == args.n - after_crash
                and count == args.n
                and (files == args.n or out is None)
                and dup_pairs == 0
                and revocations == suspensions == args.n
                and missing_status == 0
                and allocations == entries * args.n
            )
            print(
                f"RESUME CHECK {'OK' if ok else 'FAILED'}: records after the stop {after_crash:,} "
                f"(expected whole batches of {batch}: {half:,} to {half + batch - 1:,}); "
                f"records {count:,} (expected {args.n:,}); JSON files "
                f"{files:,}{' (--no-files)' if out is None else ''}; "
                f"distinct revocation / suspension indexes {revocations:,} / "
                f"{suspensions:,}; status allocations {allocations:,} "
                f"(expected {entries * args.n:,}); "
                f"duplicate (list, index) pairs {dup_pairs}; records without a status entry "
                f"{missing_status}"
            )
            issued = first.issued + second.issued
            seconds = t1 + t2
            cpu = time.process_time() - cpu_started
            children = _children_cpu() - children_started
            rate = issued / seconds
            print(
                f"RATE {args.db} {args.cryptosuite}{' (under cProfile)' if args.profile else ''}: "
                f"{issued:,} credentials with status entries in {seconds:.1f} s = {rate:,.0f}/s; "
                f"projected for 100,000: {100_000 / rate / 60:.1f} min "
                f"(target: about 1 min); {_django.load()} (on {os.cpu_count()} cores)"
            )
            print(
                f"  this process used {cpu:.1f} CPU s for it ({cpu / seconds:.0%} of the wall "
                f"time; the rest is waiting: disk syncs, the database server, other jobs): "
                f"{issued / cpu:,.0f} credentials per CPU second of the bench process"
            )
            print(
                f"  its helper processes (signing, file writing) used {children:.1f} CPU s: "
                f"{(cpu + children) / issued * 1000:.2f} ms of CPU per credential in all, "
                f"{(cpu + children) / seconds:.0%} of one core over the run"
            )
            if profiler is not None and args.profile_out:
                profiler.dump_stats(str(args.profile_out))
            if profiler is not None:
                for order in ("tottime", "cumulative"):
                    buf = io.StringIO()
                    pstats.Stats(profiler, stream=buf).sort_stats(order).print_stats(10)
                    lines = buf.getvalue().splitlines()
                    start = next(i for i, ln in enumerate(lines) if "ncalls" in ln)
                    print(f"cProfile top 10 by {order}:")
                    print("\n".join(lines[start : start + 11]))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=10_000, help="learners to issue to")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--cryptosuite", default="eddsa-rdfc-2022", choices=["eddsa-rdfc-2022", "eddsa-jcs-2022"]
    )
    parser.add_argument(
        "--suspension",
        action="store_true",
        help="issue with a suspension entry too (MICROCRED_STATUS_SUSPENSION)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile top 10")
    parser.add_argument(
        "--no-files",
        action="store_true",
        help="write no learner files (as the API upload): the issuing alone, without the disk",
    )
    parser.add_argument("--profile-out", type=Path, help="also dump the cProfile stats here")
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
