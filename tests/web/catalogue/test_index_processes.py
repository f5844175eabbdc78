"""Several processes write and read one search index, as gunicorn workers do: no update is
lost, and a search made after a publication has returned finds it at once.

Three writer processes publish specifications through the register service and all retitle
one shared specification, while a reader process searches for each publication as soon as
its writer reports it. Each process opens the index on its own, like a worker. On SQLite the
processes share a database file; on PostgreSQL, the test database (committed rows).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.web.catalogue import index_processes as proc

WRITERS = 3
PER_WRITER = 8


@pytest.fixture
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, str], dict, bool]:
    env = {
        "MICROCRED_SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "MICROCRED_VAR_DIR": str(tmp_path / "var"),
        "MICROCRED_STATIC_MANIFEST": "0",
    }
    if connection.vendor == "sqlite":
        env_db = {"NAME": str(tmp_path / "shared.sqlite3"), "TEST": {}}
        return env, env_db, True
    request.getfixturevalue("transactional_db")  # rows must be committed to be seen
    settings = connection.settings_dict
    return env, {"NAME": settings["NAME"], "TEST": {}}, False


def run(target: Any, *args: Any) -> multiprocessing.process.BaseProcess:
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    return process


def test_concurrent_writers_lose_nothing_and_readers_are_never_stale(
    shared: tuple[dict[str, str], dict, bool],
) -> None:
    env, database, migrate = shared
    ctx = multiprocessing.get_context("spawn")
    setup = run(proc.prepare, env, database, migrate)
    setup.join(300)
    assert setup.exitcode == 0

    published, to_reader, from_reader = ctx.Queue(), ctx.Queue(), ctx.Queue()
    reader = run(proc.reader, env, database, to_reader, from_reader)
    writers = [
        run(proc.writer, env, database, number, PER_WRITER, published) for number in range(WRITERS)
    ]
    done = 0
    reports = 0
    try:
        while done < WRITERS:
            kind, word, public_id = published.get(timeout=300)
            if kind == "done":
                done += 1
            else:
                to_reader.put((word, public_id))
                reports += 1
        to_reader.put(None)
        found = []
        while (item := from_reader.get(timeout=300)) is not None:
            found.append(item)
    finally:
        for process in [*writers, reader]:
            process.join(60)
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in writers] == [0] * WRITERS
    assert reader.exitcode == 0
    assert reports == WRITERS * PER_WRITER
    # Never stale: the first search after the writer's call returned found it.
    stale = [(word, tries, hits) for word, tries, hits in found if tries != 1]
    assert stale == []
    assert len(found) == reports

    out = ctx.Queue()
    final = run(proc.final_state, env, database, out)
    try:
        state = out.get(timeout=120)
    except queue.Empty:
        pytest.fail("the final reader did not answer")
    final.join(60)
    # No lost update: every published specification is indexed, nothing else, once.
    assert state["indexed"] == state["published"]
    assert state["count"] == WRITERS * PER_WRITER + 1
    # The last committed title of the specification every writer edited is the indexed one.
    assert state["shared_found"] == [state["shared_id"]]
    assert not (Path(env["MICROCRED_SEARCH_INDEX_DIR"]) / "pending").read_bytes()
    assert os.path.exists(Path(env["MICROCRED_SEARCH_INDEX_DIR"]) / "writer.lock")
