"""Back up, destroy, restore: the run of issue 9, with the commands an operator types.

Run:  .venv/bin/python bench/backup_restore.py [--n 2000] [--db sqlite|postgres]

On a fresh instance (a temporary var/ folder; SQLite, or a throw-away PostgreSQL 15 cluster
with ``--db postgres``), every step a separate ``microcred`` / ``manage.py`` process as on a
server:

1. ``migrate`` and ``seed_demo`` (the demo register), then ``microcred issue`` of N learners
   for one published specification of a demo provider, and ``microcred revoke`` of one;
2. ``microcred backup ARCHIVE`` (timed), then the database is destroyed (the SQLite file
   deleted, or the PostgreSQL database dropped and created empty);
3. ``microcred restore ARCHIVE`` (timed) with the same KEK and identifier key;
4. checks, each printed: ``microcred verify`` of an old credential (verified) and of the
   revoked one (not verified, ``revoked``); the same count of credentials; issuing the same
   learners again creates nothing; issuing N/10 new learners creates N/10 credentials whose
   status indexes are all new (no index reused, no duplicate).

Prints the figures (archive size, seconds for backup and restore) and the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

PY = sys.executable
QUERY = """
import json
from microcred_web.issuing.models import IssuedCredentialRecord, StatusAllocation
from microcred_web.register.models import Specification
spec = Specification.objects.filter(status="published").order_by("public_id").first()
records = IssuedCredentialRecord.objects
print(json.dumps({
    "spec": spec.public_id if spec else None,
    "credentials": records.count(),
    "revoked": records.filter(revoked=True).count(),
    "allocations": StatusAllocation.objects.count(),
    "distinct": len(set(StatusAllocation.objects.values_list("status_list_id", "index"))),
    "ids": [str(r.public_id) for r in records.order_by("issued_at", "pk")[:2]],
}))
"""


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


class Instance:
    def __init__(self, var: Path, database_url: str | None) -> None:
        from microcred.credentials.keystore import generate_kek

        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("MICROCRED_") and key != "DATABASE_URL"
        }
        self.env.update(
            MICROCRED_VAR_DIR=str(var),
            MICROCRED_SEARCH_INDEX_DIR=str(var / "search-index"),
            MICROCRED_SECRET_KEY=secrets.token_urlsafe(50),
            MICROCRED_KEK=generate_kek(),
            MICROCRED_IDENTIFIER_KEY=secrets.token_urlsafe(32),
            MICROCRED_HOST="issuer.example",
            MICROCRED_ALLOWED_HOSTS="issuer.example",
            MICROCRED_STATIC_MANIFEST="0",
            PYTHONPATH=str(ROOT / "src"),
            DJANGO_SETTINGS_MODULE="microcred_web.settings",
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.var = var

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            argv, env=self.env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            sys.exit(f"`{' '.join(argv[1:])}` failed ({done.returncode}):\n{done.stderr}")
        return done

    def manage(self, *args: str) -> str:
        return self.run(PY, "-m", "microcred_web.manage", *args).stdout

    def microcred(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(PY, "-m", "microcred.cli", *args, check=check)

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(
            self.manage("shell", "-c", QUERY).strip().splitlines()[-1]
        )
        return result


def learners(path: Path, first: int, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["identifier", "name"])
        for n in range(first, first + count):
            writer.writerow([f"learner{n}@example.org", f"Learner {n}"])
    return path


def destroy(instance: Instance, url: str | None) -> None:
    """The database is gone: the SQLite files deleted, or the PostgreSQL database dropped and
    made again empty (as a new server's would be)."""
    if url is None:
        for name in ("microcred.sqlite3", "microcred.sqlite3-wal", "microcred.sqlite3-shm"):
            (instance.var / name).unlink(missing_ok=True)
        return
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/template1").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="credentials issued before backup")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    print(f"machine: {machine()}; database: {args.db}; credentials: {args.n:,}")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="microcred-bak-")))
        url = None
        if args.db == "postgres":
            import pg_throwaway

            url = stack.enter_context(pg_throwaway.throwaway_cluster())
        instance = Instance(tmp / "var", url)
        instance.manage("migrate", "--noinput", "-v", "0")
        instance.manage("seed_demo", "-v", "0")
        spec = instance.state()["spec"]
        out = tmp / "issued"
        started = time.perf_counter()
        instance.microcred(
            "issue", "--spec", spec, "--learners", str(learners(tmp / "a.csv", 0, args.n)),
            "--out", str(out), "--no-progress",
        )  # fmt: skip
        print(f"issued {args.n:,} in {time.perf_counter() - started:.1f} s")
        before = instance.state()
        old_id, revoked_id = before["ids"]
        instance.microcred("revoke", revoked_id, "--reason", "backup test")
        archive = tmp / "instance.backup"
        started = time.perf_counter()
        instance.microcred("backup", str(archive), "--quiet")
        backup_s = time.perf_counter() - started
        destroy(instance, url)
        started = time.perf_counter()
        instance.microcred("restore", str(archive), "--quiet")
        restore_s = time.perf_counter() - started
        after = instance.state()
        files = {path.stem: path for path in out.rglob("*.json")}

        def verify(credential_id: str) -> dict[str, Any]:
            done = instance.microcred(
                "verify", "--format", "json", str(files[credential_id]), check=False
            )
            result: dict[str, Any] = json.loads(done.stdout)
            return result

        old, revoked = verify(old_id), verify(revoked_id)
        status = {c["code"]: c for c in revoked["checks"]}["status"]
        instance.microcred(
            "issue", "--spec", spec, "--learners", str(tmp / "a.csv"), "--out", str(out),
            "--no-progress",
        )  # fmt: skip
        same = instance.state()
        more = max(1, args.n // 10)
        instance.microcred(
            "issue", "--spec", spec, "--learners", str(learners(tmp / "b.csv", args.n, more)),
            "--out", str(out), "--no-progress",
        )  # fmt: skip
        final = instance.state()
        checks = {
            "old credential verifies": old["verified"] is True,
            "revoked credential is revoked": status["details"].get("reason") == "revoked",
            "same credentials after restore": after["credentials"] == before["credentials"],
            "re-issuing the same learners creates nothing": same["credentials"]
            == before["credentials"],
            "new learners issued": final["credentials"] == before["credentials"] + more,
            "no status index reused": final["allocations"] == final["distinct"],
        }
        size = archive.stat().st_size
        mode = archive.stat().st_mode & 0o777
        print(f"backup: {backup_s:.1f} s, archive {size / 1e6:.2f} MB (mode {mode:o})")
        print(f"restore: {restore_s:.1f} s")
        for what, held in checks.items():
            print(f"  {'ok  ' if held else 'FAIL'} {what}")
        if not all(checks.values()):
            sys.exit(1)


if __name__ == "__main__":
    main()
