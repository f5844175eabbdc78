"""A bounded load run against ``make serve`` (scripts/serve.py) on this machine, loopback only.

    .venv/bin/python bench/load.py                       # 1 then 2 workers, 20 s each, 8 clients
    .venv/bin/python bench/load.py --seconds 60 --clients 16 --workers 1,2,4
    .venv/bin/python bench/load.py --env MICROCRED_SOME_LIMIT=100000   # passed to the server

What it does: starts the server itself (a fresh var/ in a temporary folder, SQLite, or the
PostgreSQL of ``DATABASE_URL`` when set, demo data loaded, debug off, gunicorn with the given
worker processes) on a free loopback port; creates an API token for the demo operator; issues
real credentials of demo specifications through ``POST /api/v1/credentials/issue`` and revokes
one; then runs, from several concurrent clients (threads with keep-alive connections) for a
bounded time, a mix of:

- ``search``: catalogue searches, ``/catalogue/?q=...`` with facet filters;
- ``pages``: specification pages, providers' DID documents, their status lists;
- ``verify``: ``POST /api/v1/credentials/verify`` with the issued credentials (and the revoked
  one, which must come back not verified).

It prints requests per second, p50/p95/p99 per kind and overall, errors (any status other than
the expected, or a wrong verification answer; there must be none), and the machine. The same
port and data are used for every worker count, so credential identities stay valid.

Rate limits on public verification (60 a minute per client network by default) would turn a
throughput measurement into a count of 429s, and every client here is 127.0.0.1: the run
switches them off (``MICROCRED_RATE_LIMITS_ENABLED=0``) unless the caller sets that variable
or passes ``--env NAME=VALUE`` (every such value, and the caller's own ``MICROCRED_*``
variables, reach the server). 429 answers are counted as errors and named apart, so a run that
hit a limit says so.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

WORDS = ["data", "energy", "python", "health", "digital", "management", "climate", "design"]
FACETS = [
    ("eqf", ["5", "6", "7"]),
    ("mode", ["online", "blended", "onsite"]),
    ("language", ["en", "fr", "de", "nl"]),
    ("ects", ["3-5", "5-10", "10-15"]),
    ("qa", ["yes"]),
]
MIX = [("search", 0.4), ("pages", 0.25), ("verify", 0.35)]

_PREPARE = r"""
import json, django
django.setup()
from microcred_web.register.models import Provider, Specification
from microcred_web.register.tokens import create_token
from django.contrib.auth import get_user_model
operator = get_user_model().objects.get(username="operator")
specs = list(
    Specification.objects.filter(status="published", has_errors=False)
    .select_related("provider").order_by("provider__slug", "public_id")
)
by_provider = {}
for spec in specs:
    by_provider.setdefault(spec.provider.slug, []).append(spec.public_id)
print(json.dumps({
    "token": create_token(operator, "bench-load").token,
    "specifications": [s.public_id for s in specs],
    "issuing": {slug: ids[0] for slug, ids in sorted(by_provider.items())[:3]},
}))
"""


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "?"
    return (
        f"{model}, {os.cpu_count()} cores, {memory} RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, load average {load}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """scripts/serve.py in its own process group, its output in a log file."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.port = port
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port),
             "--workers", str(workers)],
            env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 900  # the first start loads the demo data
        while True:
            try:
                status, _ = request(http.client.HTTPConnection("127.0.0.1", port, timeout=10),
                                    "GET", "/api/v1/health")  # fmt: skip
                if status in (200, 503):
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"the server did not start; see {log}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self._log.close()


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read()


def prepare(env: dict[str, str], port: int, count: int) -> dict[str, Any]:
    """A token, the published specifications, and real credentials (one of them revoked)."""
    import serve  # scripts/serve.py: the same secrets and settings as the server's

    os.environ.update(env)
    trial = serve.trial_environment("127.0.0.1", port)
    done = subprocess.run(
        [sys.executable, "-c", _PREPARE],
        env={**trial, "DJANGO_SETTINGS_MODULE": "microcred_web.settings"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(done.stdout.strip().splitlines()[-1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    auth = {"Authorization": f"Bearer {data['token']}", "Content-Type": "application/json"}
    credentials: list[dict[str, Any]] = []
    providers = list(data["issuing"].items())
    for i in range(count):
        spec = providers[i % len(providers)][1]
        body = {"specification": spec, "learner": {"identifier": f"load-{i}@example.org"}}
        status, raw = request(conn, "POST", "/api/v1/credentials/issue",
                              json.dumps(body).encode(), auth)  # fmt: skip
        if status not in (200, 201):
            sys.exit(f"issuing for the load run failed: {status} {raw[:300]!r}")
        credentials.append(json.loads(raw)["verifiableCredential"])
    revoked = credentials.pop()
    status, raw = request(conn, "POST", f"/api/v1/credentials/{revoked['id']}/status",
                          json.dumps({"action": "revoke"}).encode(), auth)  # fmt: skip
    if status != 200:
        sys.exit(f"revoking for the load run failed: {status} {raw[:300]!r}")
    conn.close()
    lists = sorted({c["credentialStatus"]["statusListCredential"] for c in credentials})
    return {
        "specifications": data["specifications"],
        "providers": [slug for slug, _ in providers],
        "status_lists": ["/" + url.split("/", 3)[3] for url in lists],
        "credentials": credentials,
        "revoked": revoked,
    }


def pick(kind: str, data: dict[str, Any], rng: random.Random) -> tuple[str, str, bytes | None, Any]:
    """(method, path, body, expectation) of one request of ``kind``."""
    if kind == "search":
        params = []
        if rng.random() < 0.7:
            params.append(f"q={rng.choice(WORDS)}")
        for facet, values in rng.sample(FACETS, rng.randint(0, 2)):
            params.append(f"{facet}={rng.choice(values)}")
        return "GET", "/catalogue/?" + "&".join(params), None, None
    if kind == "pages":
        roll = rng.random()
        if roll < 0.5:
            spec = rng.choice(data["specifications"])
            return "GET", f"/catalogue/specifications/{spec}/", None, None
        if roll < 0.75:
            return "GET", f"/providers/{rng.choice(data['providers'])}/did.json", None, None
        return "GET", rng.choice(data["status_lists"]), None, None
    if rng.random() < 0.1:
        return "POST", "/api/v1/credentials/verify", data["revoked_body"], False
    return "POST", "/api/v1/credentials/verify", rng.choice(data["bodies"]), True


def run_clients(port: int, data: dict[str, Any], clients: int, seconds: float) -> dict[str, Any]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    kinds, weights = zip(*MIX, strict=True)

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: dict[str, list[float]] = defaultdict(list)
        bad: dict[str, int] = defaultdict(int)
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            method, path, body, expect = pick(kind, data, rng)
            headers = {"Content-Type": "application/json"} if body else {}
            started = time.perf_counter()
            try:
                status, raw = request(conn, method, path, body, headers)
            except (OSError, http.client.HTTPException):
                bad[f"{kind}: connection"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine[kind].append(time.perf_counter() - started)
            if status == 429:
                bad[f"{kind}: 429 rate-limited"] += 1
            elif status != 200:
                bad[f"{kind}: {status}"] += 1
            elif expect is not None and json.loads(raw)["verified"] is not expect:
                bad[f"{kind}: verified is not {expect}"] += 1
        conn.close()
        with lock:
            for key, values in mine.items():
                timings[key].extend(values)
            for key, n in bad.items():
                errors[key] += n

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors, "elapsed": time.monotonic() - started}


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:6.1f}  p95 {cuts[94] * 1000:6.1f}  p99 {cuts[98] * 1000:6.1f} ms"


def report(workers: int, clients: int, result: dict[str, Any]) -> int:
    timings, errors, elapsed = result["timings"], result["errors"], result["elapsed"]
    every = [t for values in timings.values() for t in values]
    total_errors = sum(errors.values())
    print(f"\n-- {workers} worker process(es), {clients} clients, {elapsed:.1f} s --")
    print(f"{'all':>7}: {len(every) / elapsed:7.1f} req/s  {percentiles(every)}  "
          f"({len(every)} requests)")  # fmt: skip
    for kind, _ in MIX:
        values = timings.get(kind, [])
        print(f"{kind:>7}: {len(values) / elapsed:7.1f} req/s  {percentiles(values)}")
    print(f" errors: {total_errors}" + "".join(f"\n   {k}: {n}" for k, n in sorted(errors.items())))
    return total_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0, help="per worker count")
    parser.add_argument("--credentials", type=int, default=31, help="issued for verification")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the server (repeatable)")  # fmt: skip
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="microcred-load-") as tmp:
        env = {**os.environ, "MICROCRED_VAR_DIR": tmp, "MICROCRED_ACCESS_LOG": f"{tmp}/access.log"}
        env.pop("MICROCRED_DEBUG", None)
        env.setdefault("MICROCRED_RATE_LIMITS_ENABLED", "0")  # a throughput run (docstring)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
        )
        for item in args.env:
            name, sep, value = item.partition("=")
            if not sep or not name:
                sys.exit(f"--env takes NAME=VALUE, not {item!r}")
            env[name] = value
        port = free_port()
        env["MICROCRED_HOST"] = f"localhost:{port}"
        database = "PostgreSQL (DATABASE_URL)" if env.get("DATABASE_URL") else "SQLite"
        given = ", ".join(item.split("=")[0] for item in args.env) or "none"
        limits = "on" if env["MICROCRED_RATE_LIMITS_ENABLED"] not in ("0", "") else "off"
        print(f"database: {database}; rate limits {limits}; server settings given: {given}")
        log = Path(tmp) / "serve.log"
        failed = 0
        data: dict[str, Any] | None = None
        for workers in counts:
            server = Server(env, port, workers, log)
            try:
                if data is None:
                    data = prepare(env, port, args.credentials)
                    data["bodies"] = [
                        json.dumps({"verifiableCredential": c}).encode()
                        for c in data["credentials"]
                    ]
                    data["revoked_body"] = json.dumps(
                        {"verifiableCredential": data["revoked"]}
                    ).encode()
                    print(f"data: {len(data['specifications'])} published specifications, "
                          f"{len(data['credentials'])} credentials + 1 revoked, "
                          f"{len(data['status_lists'])} status list(s)")  # fmt: skip
                run_clients(port, data, args.clients, min(3.0, args.seconds))  # warm-up
                failed += report(workers, args.clients,
                                 run_clients(port, data, args.clients, args.seconds))  # fmt: skip
            finally:
                server.stop()
    if failed:
        sys.exit(f"{failed} errors: a load run must have none")


if __name__ == "__main__":
    main()
