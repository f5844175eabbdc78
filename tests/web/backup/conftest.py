"""Fixtures for the backup tests: the issuing world (providers, staff, published
specifications, a KEK in the environment), the ``microcred`` command with the web plugin, and
a way to destroy the database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from typing import Any

import pytest

import microcred.cli

# The issuing tests' KEK and host settings (autouse here) and their ``world`` fixture.
from tests.web.issuing.conftest import issuing_settings, world  # noqa: F401

PLUGIN = EntryPoint(name="web", value="microcred_web.cli_plugin", group="microcred.commands")

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run ``microcred ARGS...`` in this process; (exit status, stdout, stderr)."""
    monkeypatch.setattr(microcred.cli, "entry_points", lambda group: [PLUGIN])

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = microcred.cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def destroy_database() -> None:
    """Drop every table: the database is gone, as after losing the server's disk."""
    from django.db import connection

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
        else:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE {quoted} CASCADE")
    assert connection.introspection.table_names() == []


@pytest.fixture
def destroy(transactional_db: None) -> Iterator[Callable[[], None]]:
    """``destroy()`` drops every table; afterwards the schema is made again if a test left the
    database without one (the next test needs its tables)."""
    from django.core.management import call_command
    from django.db import connection

    yield destroy_database
    if "django_migrations" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def fresh_index(settings: Any, path: Any) -> Any:
    """Point the catalogue at a new, empty index directory and open it now (while the database
    is empty), so only an explicit rebuild can fill it."""
    from microcred_web.catalogue import services

    settings.SEARCH_INDEX_DIR = path
    services.reset_index()
    index = services.get_index()
    assert index.count() == 0
    return index
