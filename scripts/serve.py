#!/usr/bin/env python3
"""Serve microcred production-style on this machine: ``make serve`` runs this.

    python scripts/serve.py [--host 127.0.0.1] [--port 8000] [--workers N] [--no-demo]

Debug off, gunicorn with several worker processes (``MICROCRED_WORKERS``, default 2; see
``microcred_web/gunicorn_conf.py``), static files collected and served by whitenoise under
hashed, compressed names, the database migrated (PostgreSQL when ``DATABASE_URL`` is set,
SQLite in ``var/`` otherwise), and the demonstration data loaded unless ``--no-demo``.

For a local trial it fills in what production must provide: secrets it does not find in the
environment (``MICROCRED_SECRET_KEY``, the key-encryption key, the learner-identifier key) are
made once and kept in ``var/`` (mode 600) and reused; ``MICROCRED_HOST`` defaults to
``localhost:<port>`` with ``did:web`` over plain http, which is allowed for localhost only, and
``MICROCRED_HTTPS`` to off (plain http on loopback: no https redirect, no Secure cookies).
A real deployment sets all of them itself and runs gunicorn directly: see ``docs/deploy.md``.
The server listens on the loopback interface unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _var_dir() -> Path:
    return Path(os.environ.get("MICROCRED_VAR_DIR") or ROOT / "var")


def _dev_secret(path: Path, make: str) -> str:
    """The text of ``path``, created (mode 600) with a fresh value if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(make + "\n")
    return path.read_text(encoding="ascii").strip()


def trial_environment(host: str, port: int) -> dict[str, str]:
    """The environment of a local trial: the caller's, plus development secrets in var/."""
    env = dict(os.environ)
    var = _var_dir()
    made = []
    env.pop("MICROCRED_DEBUG", None)
    if not env.get("MICROCRED_SECRET_KEY"):
        env["MICROCRED_SECRET_KEY"] = _dev_secret(
            var / "dev-secret-key.txt", secrets.token_urlsafe(50)
        )
        made.append("MICROCRED_SECRET_KEY")
    if not (env.get("MICROCRED_KEK") or env.get("MICROCRED_KEK_FILE")):
        path = var / "dev-kek.txt"  # the same file `make run` uses
        _dev_secret(path, secrets.token_urlsafe(32))
        env["MICROCRED_KEK_FILE"] = str(path)
        made.append("MICROCRED_KEK_FILE")
    if not (env.get("MICROCRED_IDENTIFIER_KEY") or env.get("MICROCRED_IDENTIFIER_KEY_FILE")):
        env["MICROCRED_IDENTIFIER_KEY"] = _dev_secret(
            var / "dev-identifier-key.txt", secrets.token_urlsafe(32)
        )
        made.append("MICROCRED_IDENTIFIER_KEY")
    if made:
        print(
            f"serve: local trial: {', '.join(made)} from development files in {var} "
            "(never for real data; docs/deploy.md explains real secrets)",
            flush=True,
        )
    local = ["127.0.0.1", "localhost", "[::1]"]
    hosts = local if host in local else [*local, host]
    env.setdefault("MICROCRED_ALLOWED_HOSTS", ",".join(hosts))
    env.setdefault("MICROCRED_HOST", f"localhost:{port}")
    env.setdefault("MICROCRED_DID_WEB_ALLOW_HTTP", "1")
    # Plain http on loopback: no redirect to https, no Secure-only cookies (sign-in would fail
    # over http). A deployment behind TLS keeps the default, MICROCRED_HTTPS on.
    env.setdefault("MICROCRED_HTTPS", "0")
    env["MICROCRED_BIND"] = f"{host}:{port}"
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, help="worker processes (MICROCRED_WORKERS)")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    args = parser.parse_args(argv)
    env = trial_environment(args.host, args.port)
    if args.workers is not None:
        env["MICROCRED_WORKERS"] = str(args.workers)
    manage = [sys.executable, "-m", "microcred_web.manage"]
    steps = [
        [*manage, "migrate", "--noinput"],
        [*manage, "collectstatic", "--noinput", "--verbosity", "0"],
    ]
    if not args.no_demo:
        steps.append([*manage, "seed_demo", "--verbosity", "0"])
    for step in steps:
        done = subprocess.run(step, env=env, cwd=ROOT)
        if done.returncode != 0:
            sys.exit(f"serve: `{' '.join(step[2:])}` failed (exit {done.returncode})")
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "python:microcred_web.gunicorn_conf"]
    print(
        f"serve: http://{args.host}:{args.port}/ with {env.get('MICROCRED_WORKERS', '2')} "
        "worker processes (Ctrl-C stops)",
        flush=True,
    )
    os.execve(sys.executable, gunicorn, env)


if __name__ == "__main__":
    main()
