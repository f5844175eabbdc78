"""Shared set-up for the web-layer benches: Django against a throw-away database.

``django_for(db, workdir)`` is a context manager: it points the project settings at a fresh
SQLite file in ``workdir`` (``db="sqlite"``) or at a throw-away PostgreSQL 15 cluster started by
``scripts/pg_throwaway.py`` (``db="postgres"``), with the search index and a fresh
key-encryption key in ``workdir`` too, runs ``django.setup()`` and ``migrate``, and yields.

Django can be set up only once per process, so a bench that compares the two databases runs
each in its own child process (see ``run_children``).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))


def load() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            return "load average " + " ".join(fh.read().split()[:3])
    except OSError:
        return "load average ?"


def _setup(workdir: Path, database_url: str | None) -> None:
    from microcred.credentials.keystore import generate_kek

    os.environ["DJANGO_SETTINGS_MODULE"] = "microcred_web.settings"
    os.environ["MICROCRED_SECRET_KEY"] = "bench-only-" + "x" * 40
    os.environ["MICROCRED_VAR_DIR"] = str(workdir)
    os.environ["MICROCRED_SEARCH_INDEX_DIR"] = str(workdir / "search-index")
    os.environ["MICROCRED_HOST"] = "issuer.example"
    os.environ["MICROCRED_ALLOWED_HOSTS"] = "issuer.example"
    os.environ["MICROCRED_KEK"] = generate_kek()
    os.environ.pop("MICROCRED_KEK_FILE", None)
    os.environ.pop("MICROCRED_DEBUG", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)  # settings: <VAR_DIR>/microcred.sqlite3

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@contextlib.contextmanager
def django_for(db: str, workdir: Path) -> Iterator[str]:
    """Configure Django for ``db`` (``sqlite`` or ``postgres``); yields a description."""
    if db == "sqlite":
        _setup(workdir, None)
        yield f"SQLite {_sqlite_version()} (file {workdir / 'microcred.sqlite3'})"
        _close()
        return
    if db != "postgres":
        raise ValueError(f"unknown database {db!r}")
    from pg_throwaway import throwaway_cluster

    with throwaway_cluster() as url:
        _setup(workdir, url)
        try:
            yield f"PostgreSQL {_pg_version()} (throw-away cluster, fsync off)"
        finally:
            _close()


def _close() -> None:
    from django.db import connections

    connections.close_all()


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def _pg_version() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return str(cur.fetchone()[0])


def operator() -> Any:
    """The command line's operator (what ``microcred import`` / ``issue`` run as)."""
    from microcred_web.cli_plugin import CommandLineOperator

    return CommandLineOperator()


def create_provider(
    slug: str,
    *,
    name: str,
    kind: str = "university",
    country: str = "NL",
    public_id: str | None = None,
) -> Any:
    from microcred_web.register.models import Provider

    extra = {"public_id": public_id} if public_id else {}
    return Provider.objects.create(
        **extra,
        slug=slug,
        legal_name={"en": name},
        kind=kind,
        country=country,
        website=f"https://{slug}.example",
    )


def run_children(script: Path, dbs: list[str], argv: list[str]) -> int:
    """Run ``script --db X argv`` for each database, one after the other; worst exit code."""
    worst = 0
    for db in dbs:
        print(f"\n===== {db} =====", flush=True)
        code = subprocess.run([sys.executable, str(script), "--db", db, *argv], check=False)
        worst = max(worst, code.returncode)
    return worst
