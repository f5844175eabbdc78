"""Rate limits hold across worker processes: counters in the shared database cache, counted
atomically.

Four processes (as four gunicorn workers would) hit one key of one scope at the same moment,
15 times each, against a rate of 30: exactly 30 hits are allowed and the counter reads 60. A
per-process cache would allow 4 x 15; Django's plain ``DatabaseCache.incr`` (read, then write)
loses increments when processes overlap. Runs on the suite's database engine: a fresh SQLite
file, or the PostgreSQL server of ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

WORKERS, HITS, RATE = 4, 15, 30

WORKER = """
import os, sys, time
from pathlib import Path
import django
django.setup()
from django.test import RequestFactory
from microcred_web.security.limits import RateLimited, enforce
start, key = Path(sys.argv[1]), sys.argv[2]
request = RequestFactory().post("/")
while not start.exists():
    time.sleep(0.005)
allowed = 0
for _ in range(int(sys.argv[3])):
    try:
        enforce(request, "verify", key)
        allowed += 1
    except RateLimited:
        pass
print(allowed)
"""

COUNT = """
import sys
import django
django.setup()
from django.test import RequestFactory
from microcred_web.security.limits import usage
print(usage(RequestFactory().post("/"), "verify", sys.argv[1], increment=False).count)
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "microcred_web.settings",
        "MICROCRED_VAR_DIR": str(tmp_path),
        "MICROCRED_RATE_LIMIT_VERIFY": f"{RATE}/h",
        "MICROCRED_RATE_LIMITS_ENABLED": "1",
    }
    if connection.vendor != "postgresql":
        env.pop("DATABASE_URL", None)  # a fresh SQLite file under tmp_path
    return env


def test_workers_share_one_counter(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    python = [sys.executable, "-m", "microcred_web.manage"]
    subprocess.run([*python, "createcachetable"], env=env, check=True, capture_output=True)
    start, key = tmp_path / "start", f"shared-{uuid.uuid4()}"

    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), key, str(HITS)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    time.sleep(1.5)  # let every worker set Django up and wait at the start line
    start.touch()
    results = [worker.communicate(timeout=120) for worker in workers]

    assert all(worker.returncode == 0 for worker in workers), [err for _out, err in results]
    allowed = [int(out) for out, _err in results]
    assert sum(allowed) == RATE, allowed
    counted = subprocess.run(
        [sys.executable, "-c", COUNT, key], env=env, check=True, capture_output=True, text=True
    )
    assert int(counted.stdout) == WORKERS * HITS
