"""Catalogue through the database: import N specifications as ``microcred import`` does, rebuild
the search index from the database, time the query mix through the web layer's search service.

Run:  .venv/bin/python bench/catalogue_db.py [--n 100000] [--db sqlite|postgres|both]
                                             [--queries 800]

The specifications are bench/catalogue.py's synthetic ones (same seed, same data, same queries),
turned into Annex I specification JSON. Their providers are created first; then one JSON file
per provider is written and imported with ``register.importing.import_path`` (the function
behind ``microcred import --kind specifications --provider SLUG --status published FILE``):
one transaction per row, validation, version history, and the catalogue index kept in step in
one batch per file. The import rate covers all of that. Then ``catalogue.services.rebuild_index``
rebuilds the index from the database, and ``catalogue.services.search`` is timed.

With ``--db both`` (the default) each database runs in its own child process (Django is set up
once per process); PostgreSQL is a throw-away cluster (scripts/pg_throwaway.py, fsync off).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django
import catalogue as core_bench

from microcred.catalogue import CatalogueEntry

_HOURS_PER_ECTS = 27


def spec_dict(entry: CatalogueEntry) -> dict[str, Any]:
    """The synthetic entry as a specification in microcred's JSON format.

    The synthetic data leaves ECTS and the mode out for some entries (the catalogue must
    cope); a specification must still state a workload and a form of participation to be
    published, so those get hours only and "online" (the facet values then differ slightly
    from the core bench's).
    """
    workload: dict[str, Any] = (
        {"ects": entry.ects, "hours": round(entry.ects * _HOURS_PER_ECTS)}
        if entry.ects is not None
        else {"hours": 40}
    )
    level: dict[str, Any] = {"eqf": entry.eqf} if entry.eqf is not None else {}
    data: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "description": entry.description,
        "issuer_countries": entry.countries,
        "awarding_bodies": [{"name": {"en": entry.provider_name}, "country": entry.countries[0]}],
        "learning_outcomes": [{"text": {"en": text}} for text in entry.outcomes],
        "workload": workload,
        "assessment": {"types": entry.assessment_types},
        "participation": {"mode": entry.participation_mode or "online", "scheduled": True},
        "quality_assurance": [{"type": "internal"}],
        "fields_of_study": entry.fields,
        "languages": entry.languages,
    }
    if level:
        data["level"] = level
    if entry.stackability:
        data["stackability"] = {"option": entry.stackability}
    return data


def _percentiles(ms: list[float]) -> str:
    return core_bench.percentiles(ms)


def run_one(args: argparse.Namespace) -> int:
    from django.db import connection

    print(core_bench.machine())
    with tempfile.TemporaryDirectory(prefix="mc-bench-db-") as tmp:
        work = Path(tmp)
        with _django.django_for(args.db, work) as described:
            from microcred_web.catalogue import services
            from microcred_web.register import importing
            from microcred_web.register.models import Specification

            print(f"database: {described}; Django connection vendor {connection.vendor}")
            print(f"before: {_django.load()}")

            # 1. providers, and one JSON file per provider
            started = time.perf_counter()
            by_provider: dict[str, list[dict[str, Any]]] = defaultdict(list)
            meta: dict[str, CatalogueEntry] = {}
            for entry in core_bench.generate(args.n, args.seed):
                by_provider[entry.provider_id].append(spec_dict(entry))
                meta.setdefault(entry.provider_id, entry)
            files: list[tuple[Any, Path, int]] = []
            for prov_id, specs in by_provider.items():
                first = meta[prov_id]
                provider = _django.create_provider(
                    prov_id,
                    name=first.provider_name,
                    kind=first.provider_kind,
                    country=first.countries[0],
                    public_id=prov_id,  # so the query mix's provider filters match
                )
                path = work / f"{prov_id}.json"
                path.write_text(json.dumps({"specifications": specs}), encoding="utf-8")
                files.append((provider, path, len(specs)))
            prep = time.perf_counter() - started
            print(
                f"prepared {args.n:,} specifications in {len(files)} provider files "
                f"({prep:.1f} s, not counted)"
            )

            # 2. import, as `microcred import` does, file by file
            user = _django.operator()
            counts: dict[str, int] = defaultdict(int)
            done_rows = 0
            last_print = time.perf_counter()
            started = time.perf_counter()
            for provider, path, _rows in sorted(files, key=lambda f: -f[2]):
                report = importing.import_path(
                    path,
                    kind="specifications",
                    user=user,
                    provider=provider,
                    status="published",
                )
                for name, value in report.counts.items():
                    counts[name] += value
                done_rows += len(report.rows)
                now = time.perf_counter()
                if now - last_print > 15:
                    last_print = now
                    print(
                        f"  ... {done_rows:,}/{args.n:,} rows, "
                        f"{done_rows / (now - started):,.0f}/s; {_django.load()}",
                        flush=True,
                    )
            elapsed = time.perf_counter() - started
            print(
                f"IMPORT {args.db}: {done_rows:,} rows in {elapsed:.1f} s = "
                f"{done_rows / elapsed:,.0f} rows/s ({dict(counts)}); {_django.load()}"
            )
            in_catalogue = Specification.objects.filter(
                status=Specification.Status.PUBLISHED, has_errors=False
            ).count()
            print(f"  published without errors in the database: {in_catalogue:,}")
            print(f"  index after import: {services.get_index().count():,} docs")

            # 3. rebuild the index from the database
            started = time.perf_counter()
            indexed = services.rebuild_index()
            elapsed = time.perf_counter() - started
            print(
                f"REBUILD {args.db}: {indexed:,} entries in {elapsed:.1f} s = "
                f"{indexed / elapsed:,.0f}/s; {_django.load()}"
            )

            # 4. the query mix through the web layer's search service
            mix = core_bench.queries(args.queries, args.seed)
            for _, q in mix[:30]:
                services.search(q)
            times: dict[str, list[float]] = {}
            totals: list[int] = []
            for kind, q in mix:
                t0 = time.perf_counter()
                result = services.search(q)
                times.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
                totals.append(result.total)
            every = [t for ts in times.values() for t in ts]
            print(f"SEARCH {args.db}: {len(every)} searches via catalogue.services.search:")
            print(f"  all          {_percentiles(every)}")
            for kind, ts in times.items():
                print(f"  {kind:<12} {_percentiles(ts)}")
            median = statistics.median(totals)
            print(f"  hits per search: median {median:,.0f}, max {max(totals):,}")
            print(f"after: {_django.load()} (on {os.cpu_count()} cores)")
            services.reset_index()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="specifications to import")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--queries", type=int, default=800, help="searches to time")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args(argv)
    if args.db == "both":
        rest = ["--n", str(args.n), "--queries", str(args.queries), "--seed", str(args.seed)]
        return _django.run_children(Path(__file__), ["sqlite", "postgres"], rest)
    return run_one(args)


if __name__ == "__main__":
    sys.exit(main())
