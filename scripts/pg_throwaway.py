#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL cluster.

    python scripts/pg_throwaway.py -- pytest tests/web

starts a fresh cluster in a temporary folder (``initdb``, trust authentication, listening on
127.0.0.1 only, on a free port, with its unix socket inside the folder), runs the command with
``DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres``, then stops the cluster and removes
the folder, whatever the command did. The exit code is the command's.

PostgreSQL refuses to run as root, so when this runs as root the server programs run as the
``postgres`` OS user (through ``runuser``), which must exist. If the server binaries cannot be
found this fails loudly: it never skips.

Also usable from Python::

    with throwaway_cluster() as url:
        ...
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

PG_USER = "postgres"
START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server programs or the OS user to run them are missing."""


def find_bindir() -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    candidates: list[Path] = []
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for bindir in candidates:
        if all((bindir / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return bindir
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or in "
        "/usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql-15)."
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user() -> list[str]:
    """Command prefix that runs a program as the OS user owning the cluster."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(PG_USER)
    except KeyError as exc:
        raise PostgresUnavailable(
            f"running as root and there is no {PG_USER!r} OS user to run PostgreSQL "
            f"(create it: useradd --system --user-group {PG_USER})"
        ) from exc
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", PG_USER, "--"]
    su = shutil.which("su")
    if su is None:
        raise PostgresUnavailable("running as root and neither runuser nor su is available")
    # su needs a single command string.
    return [su, PG_USER, "-s", "/bin/sh", "-c", 'exec "$0" "$@"']


def _run(cmd: Sequence[str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{cmd[0] if cmd else '?'} failed ({result.returncode}):\n{tail}")


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a fresh cluster; yield its ``DATABASE_URL``; stop and remove it on exit."""
    bindir = find_bindir()
    prefix = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="microcred-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    started = False
    try:
        sockets.mkdir()
        log.touch()
        if prefix:
            entry = pwd.getpwnam(PG_USER)
            for path in (root, sockets, log):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        os.chmod(root, 0o700)
        _run(
            [
                *prefix,
                str(bindir / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                PG_USER,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            log,
        )
        port = 0
        for attempt in range(1, START_ATTEMPTS + 1):
            port = free_port()
            options = " ".join(
                [
                    f"-p {port}",
                    "-c listen_addresses=127.0.0.1",
                    f"-c unix_socket_directories={sockets}",
                    # A throw-away cluster: durability is not wanted, speed is.
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                ]
            )
            try:
                _run(
                    [
                        *prefix,
                        str(bindir / "pg_ctl"),
                        "--pgdata",
                        str(data),
                        "--log",
                        str(log),
                        "--options",
                        options,
                        "--wait",
                        "--timeout",
                        "60",
                        "start",
                    ],
                    log,
                )
            except RuntimeError:
                if attempt == START_ATTEMPTS:
                    raise
                continue  # most likely the port was taken between the probe and the start
            started = True
            break
        yield f"postgres://{PG_USER}@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                [
                    *prefix,
                    str(bindir / "pg_ctl"),
                    "--pgdata",
                    str(data),
                    "--mode",
                    "immediate",
                    "--wait",
                    "stop",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
        if started:
            print("pg_throwaway: cluster stopped and removed", file=sys.stderr, flush=True)


def _raise_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run COMMAND with DATABASE_URL set to a throw-away PostgreSQL cluster.",
        usage="%(prog)s -- COMMAND [ARG...]",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        parser.error("no command given")

    signal.signal(signal.SIGTERM, _raise_on_signal)
    try:
        with throwaway_cluster() as url:
            print(f"pg_throwaway: PostgreSQL ready at {url}", file=sys.stderr, flush=True)
            env = {**os.environ, "DATABASE_URL": url}
            proc = subprocess.Popen(command, env=env)
            try:
                return proc.wait()
            except KeyboardInterrupt:
                proc.terminate()
                proc.wait()
                return 130
    except (PostgresUnavailable, RuntimeError) as exc:
        print(f"pg_throwaway: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
