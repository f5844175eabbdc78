"""`microcred import` killed with SIGKILL at random points, then run again: every row is there
exactly once with the right content (the same database, search index and audit log as a run
that was never killed), the rows the killed run had committed come back `unchanged`, and no
row was ever half written.

Each scenario (CSV and JSON; specifications and register records) runs the import once
uninterrupted on a copy of a prepared database to learn how many kill points it passes (SQL
statements and commits, see ``import_child.py``) and the state it ends in; then, for each of
several points drawn by a seeded RNG, on a fresh copy: kill at that point, run again, compare.
The databases are the test's own (an SQLite file per copy, or a PostgreSQL database per copy
when ``DATABASE_URL`` names a PostgreSQL server), because the import runs in other processes.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from microcred.standard.csv_format import write_csv
from microcred.standard.model import MicroCredentialSpec
from tests.web.register.conftest import spec

ROOT = Path(__file__).resolve().parents[3]
CHILD = Path(__file__).with_name("import_child.py")
#: Kill points per scenario; the seed makes a failure reproducible.
POINTS = 3
SEED = 20261203


# -- the databases ---------------------------------------------------------------------------


class Databases:
    """Copies of one prepared database, each with its own var folder (search index)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        url = os.environ.get("DATABASE_URL", "")
        self.server = url if url.startswith(("postgres://", "postgresql://")) else ""
        self.created: list[str] = []

    def env(self, var: Path, name: str = "") -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(
            MICROCRED_SECRET_KEY="kill-test-" + "x" * 40,
            MICROCRED_VAR_DIR=str(var),
            MICROCRED_SEARCH_INDEX_DIR=str(var / "search-index"),
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]),
        )
        env.pop("MICROCRED_DEBUG", None)
        if self.server:
            env["DATABASE_URL"] = self.server.rsplit("/", 1)[0] + "/" + name
        return env

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(statement)

    def template(self) -> tuple[Path, str]:
        var, name = self.root / "template", f"killtest_{uuid.uuid4().hex[:12]}"
        if self.server:
            self._sql(f'CREATE DATABASE "{name}"')
            self.created.append(name)
        child(self.env(var, name), "setup")
        return var, name

    def copy(self, template: tuple[Path, str]) -> dict[str, str]:
        var, name = self.root / uuid.uuid4().hex[:12], f"killtest_{uuid.uuid4().hex[:12]}"
        shutil.copytree(template[0], var)
        if self.server:
            self._sql(f'CREATE DATABASE "{name}" TEMPLATE "{template[1]}"')
            self.created.append(name)
        return self.env(var, name)

    def drop(self) -> None:
        for name in reversed(self.created):
            self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Databases, Any]]:
    dbs = Databases(tmp_path_factory.mktemp("killed-imports"))
    try:
        yield dbs, dbs.template()
    finally:
        if dbs.server:
            dbs.drop()


def child(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(CHILD), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(f"{args[0]} exited {result.returncode}: {result.stderr[-3000:]}")
    return result


@dataclass
class Run:
    code: int
    report: dict[str, Any] | None
    before: dict[str, Any]
    after: dict[str, Any] | None


def run_import(env: dict[str, str], kill_at: int, file: Path, *options: str) -> Run:
    folder = Path(env["MICROCRED_VAR_DIR"])
    before, after = folder / f"before-{kill_at}.json", folder / f"after-{kill_at}.json"
    args = ["import", str(file), *options, "--report", "json"]
    result = child(env, "run", str(kill_at), str(before), str(after), "--", *args)
    killed = result.returncode == -signal.SIGKILL
    return Run(
        result.returncode,
        None if killed else json.loads(result.stdout),
        json.loads(before.read_text(encoding="utf-8")),
        None if killed else json.loads(after.read_text(encoding="utf-8")),
    )


# -- the scenarios ---------------------------------------------------------------------------


def _spec_rows(state: dict[str, Any]) -> dict[str, Any]:
    return {local_id: rest for _, local_id, *rest in state["specifications"]}


def _slug_rows(state: dict[str, Any]) -> dict[str, Any]:
    return {slug: rest for slug, *rest in state["providers"]}


def _qa_rows(state: dict[str, Any]) -> dict[str, Any]:
    return {f"{agency}/{local_id}": rest for agency, local_id, *rest in state["qa_results"]}


def _specs_csv(path: Path) -> None:
    items = [spec(f"NEW-{i}", title={"en": f"Course {i}"}) for i in range(8)]
    items.append(spec("OLD-1", title={"en": "Renamed course"}))
    out = io.StringIO(newline="")
    write_csv([MicroCredentialSpec.model_validate(item) for item in items], out)
    path.write_text(out.getvalue(), encoding="utf-8")


def _specs_json(path: Path) -> None:
    items = [spec(f"NEW-{i}", title={"en": f"Course {i}"}) for i in range(8)]
    items.insert(3, spec("OLD-2", title={"en": "Renamed course"}))
    path.write_text(json.dumps({"specifications": items}), encoding="utf-8")


def _providers_csv(path: Path) -> None:
    rows = ["slug,legal_name@en,kind,country,city"]
    rows += [f"college-{i},College {i},vet-college,NL,Delft" for i in range(6)]
    rows.insert(3, "north-sea-university,North Sea University Renamed,university,NL,Groningen")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _qa_json(path: Path) -> None:
    items = [
        {
            "agency": "nvao",
            "local_id": f"R-{i}",
            "activity": "institutional",
            "providers": ["north-sea-university"] if i == 2 else ["codecraft"],
            "decision": "positive",
            "valid_from": "2020-01-01",
            "covers_microcredentials": True,
        }
        for i in range(6)
    ]
    path.write_text(json.dumps(items), encoding="utf-8")


SPECS = ("--kind", "specifications", "--provider", "north-sea-university", "--status", "published")
SCENARIOS: dict[str, tuple[Callable[[Path], None], str, tuple[str, ...], Callable[..., Any]]] = {
    "specifications-csv": (_specs_csv, "specs.csv", SPECS, _spec_rows),
    "specifications-json": (_specs_json, "specs.json", SPECS, _spec_rows),
    "providers-csv": (_providers_csv, "providers.csv", ("--kind", "providers"), _slug_rows),
    "qa-results-json": (_qa_json, "qa.json", ("--kind", "qa-results"), _qa_rows),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_killed_import_resumes_without_duplicates_or_gaps(
    databases: tuple[Databases, Any], scenario: str
) -> None:
    dbs, template = databases
    make, name, options, rows_of = SCENARIOS[scenario]
    file = dbs.root / name
    make(file)

    clean = run_import(dbs.copy(template), 0, file, *options)
    assert clean.code == 0 and clean.after is not None and clean.report is not None
    points, expected = clean.after["points"], clean.after["state"]
    initial, final = rows_of(clean.before), rows_of(expected)
    clean_outcomes = {row["key"]: row["outcome"] for row in clean.report["rows"]}
    assert set(clean_outcomes.values()) <= {"created", "updated"}

    rng = random.Random(f"{SEED}-{scenario}")
    for kill_at in sorted(rng.sample(range(1, points + 1), POINTS)):
        env = dbs.copy(template)
        killed = run_import(env, kill_at, file, *options)
        assert killed.code == -signal.SIGKILL, f"not killed at point {kill_at} of {points}"

        resumed = run_import(env, 0, file, *options)
        where = f"{scenario}, killed at point {kill_at} of {points}"
        assert resumed.code == 0 and resumed.report is not None, where
        left = rows_of(resumed.before)
        for key in clean_outcomes:
            # whole rows only: what the kill left is the row before the import or after it
            assert left.get(key) in (initial.get(key), final[key]), (where, key)
        outcomes = {row["key"]: row["outcome"] for row in resumed.report["rows"]}
        assert outcomes == {
            key: "unchanged" if left.get(key) == final[key] else outcome
            for key, outcome in clean_outcomes.items()
        }, where
        assert resumed.after is not None
        assert resumed.after["state"] == expected, where
