"""A real instance driven from the outside: its own processes, its own environment.

For the tests that must restart the server with other settings, run ``microcred`` in a shell
without the service's variables, or ``kill -9`` a run: each step is a subprocess with a clean
environment (no ``MICROCRED_*``, no ``DATABASE_URL``) plus what the step is given. The
database is a SQLite file of the test's own, or, when the suite runs on PostgreSQL, the test
database itself (tests using this mark themselves ``django_db(transaction=True)``, so the rows
the subprocesses commit are flushed afterwards).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microcred.credentials.keystore import generate_kek

SETTINGS = "DJANGO_SETTINGS_MODULE"
REPO = Path(__file__).resolve().parents[3]
MICROCRED = str(Path(sys.executable).parent / "microcred")
#: What the service runs with; a step adds or removes from it.
SERVICE_SECRET = "a-long-random-production-secret-for-the-tests-only-0123456789"


def database_env(tmp_path: Path) -> dict[str, str]:
    """Where the subprocesses find the database: the PostgreSQL test database, or a file."""
    from django.db import connection

    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        return {"DATABASE_URL": url, "MICROCRED_VAR_DIR": str(tmp_path / "var")}
    return {"MICROCRED_VAR_DIR": str(tmp_path / "var")}


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MICROCRED_") and key not in ("DATABASE_URL", SETTINGS)
    }
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    env[SETTINGS] = "microcred_web.settings"
    env.update(extra)
    return env


@dataclass
class Instance:
    """One instance: a database and the service's environment (KEK, secret, host)."""

    tmp_path: Path
    service: dict[str, str] = field(default_factory=dict)
    #: The public id of the seeded specification.
    spec: str = ""

    @classmethod
    def create(cls, tmp_path: Path, **service: str) -> Instance:
        """A migrated database with one provider and one published specification."""
        env = {
            **database_env(tmp_path),
            "MICROCRED_KEK": generate_kek(),
            "MICROCRED_IDENTIFIER_KEY": "instance-tests-identifier-key",
            # Static files are not collected for these instances (no pages are served).
            "MICROCRED_STATIC_MANIFEST": "0",
            "MICROCRED_SECRET_KEY": SERVICE_SECRET,
            "MICROCRED_ALLOWED_HOSTS": "issuer.example",
            "MICROCRED_HOST": "issuer.example",
        }
        env.update(service)
        instance = cls(tmp_path, {k: v for k, v in env.items() if v})
        instance.manage("migrate", "--no-input", "-v", "0")
        instance.spec = instance.script("seed")["spec"]
        return instance

    def env(self, **changes: str | None) -> dict[str, str]:
        """The service's environment with ``changes`` (None: the variable unset)."""
        env = dict(self.service)
        for key, value in changes.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return clean_env(**env)

    def run(
        self, argv: list[str], env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            argv, env=env or self.env(), capture_output=True, text=True, check=False, timeout=300
        )
        if check:
            assert result.returncode == 0, (argv, result.stdout, result.stderr)
        return result

    def manage(self, *args: str, check: bool = True, **env: str | None) -> Any:
        argv = [sys.executable, "-m", "microcred_web.manage", *args]
        return self.run(argv, self.env(**env), check)

    def microcred(self, *args: str, check: bool = True, **env: str | None) -> Any:
        return self.run([sys.executable, MICROCRED, *args], self.env(**env), check)

    def script(self, *args: str, **env: str | None) -> Any:
        """The JSON answer of :mod:`tests.web.issuing.instance_script` (seed, report...)."""
        argv = [sys.executable, "-m", "tests.web.issuing.instance_script", *args]
        return json.loads(self.run(argv, self.env(**env)).stdout)

    def issue_command(self, spec: str, learners: Path, out: Path) -> list[str]:
        """``microcred issue`` as an argument list, for a Popen of one's own."""
        return [
            sys.executable, MICROCRED, "issue", "--spec", spec, "--learners", str(learners),
            "--out", str(out), "--no-progress",
        ]  # fmt: skip
