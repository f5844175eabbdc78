"""``make serve`` (scripts/serve.py) runs production-style: gunicorn with the worker processes
asked for, debug off, hashed and compressed static files, a healthy instance, secrets made for
a local trial only when none are given, loopback only."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    var = tmp_path_factory.mktemp("serve-var")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MICROCRED_")
        and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"MICROCRED_VAR_DIR": str(var), "MICROCRED_WORKERS": "2", "MICROCRED_ACCESS_LOG": ""}
    log = (var / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port), "--no-demo"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            get(base + "/api/v1/health")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail((var / "serve.log").read_text())
            time.sleep(0.3)
    try:
        yield base, process, var
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(60)
        log.close()


def test_gunicorn_runs_the_worker_processes_asked_for(server: tuple) -> None:
    _, process, _ = server
    assert "gunicorn" in Path(f"/proc/{process.pid}/cmdline").read_text()
    deadline = time.monotonic() + 30
    while len(children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(children(process.pid)) == 2


def test_the_instance_is_healthy_with_debug_off(server: tuple) -> None:
    base, _, _ = server
    status, _, body = get(base + "/api/v1/health")
    assert status == 200, body
    status, _, body = get(base + "/no-such-page/")
    assert status == 404
    assert b"Traceback" not in body and b"DEBUG = True" not in body and b"URLconf" not in body


def test_static_files_are_hashed_compressed_and_cached(server: tuple) -> None:
    base, _, _ = server
    status, _, page = get(base + "/")
    assert status == 200
    match = re.search(rb"/static/(microcred\.[0-9a-f]{12}\.css)", page)
    assert match, "the page does not name the hashed stylesheet"
    status, headers, _ = get(
        base + "/static/" + match.group(1).decode(), {"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers.get("Cache-Control", "")


def test_local_trial_secrets_are_made_private_and_kept(server: tuple) -> None:
    _, _, var = server
    for name in ("dev-secret-key.txt", "dev-kek.txt", "dev-identifier-key.txt"):
        path = var / name
        assert path.stat().st_mode & 0o777 == 0o600, name
        assert len(path.read_text().strip()) >= 43


def test_it_listens_on_loopback_only(server: tuple) -> None:
    base, _, _ = server
    port = int(base.rsplit(":", 1)[1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing else


def test_a_bad_worker_count_is_refused_clearly(tmp_path: Path) -> None:
    env = {**os.environ, "MICROCRED_WORKERS": "two", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", "import microcred_web.gunicorn_conf"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "MICROCRED_WORKERS must be a whole number" in done.stderr
