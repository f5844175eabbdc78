"""The process ``test_import_killed`` kills: ``microcred import`` with a trap that SIGKILLs it.

    python import_child.py setup
    python import_child.py run KILL_AT STATE_BEFORE STATE_AFTER -- <microcred arguments>

The database comes from the environment (``DATABASE_URL``, or the SQLite file under
``MICROCRED_VAR_DIR``), as for the real command. ``run`` writes the database's state to
STATE_BEFORE, then runs ``microcred`` with a trap on every SQL statement and every commit (before
and after it): the KILL_AT-th of those points kills the process with SIGKILL, the way ``kill -9``
or a power cut would, inside a row's transaction, between rows, or just after a commit. With
KILL_AT 0 nothing is killed, and STATE_AFTER gets the state and the number of points the run
passed, from which the test draws its kill points.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def _setup() -> None:
    from django.core.management import call_command

    from microcred_web.register.models import Agency, Provider
    from microcred_web.register.services import save_specification
    from tests.web.register.conftest import spec

    call_command("migrate", verbosity=0)
    provider = Provider.objects.create(
        slug="north-sea-university",
        legal_name={"en": "North Sea University"},
        kind="university",
        country="NL",
    )
    Provider.objects.create(
        slug="codecraft", legal_name={"en": "CodeCraft Academy"}, kind="company", country="DE"
    )
    Agency.objects.create(slug="nvao", name={"en": "NVAO"}, acronym="NVAO", countries=["NL"])
    operator = type("Operator", (), {"is_superuser": True, "is_authenticated": False})()
    for local_id in ("OLD-1", "OLD-2"):
        save_specification(operator, provider, spec(local_id), status="published")


def state() -> dict[str, Any]:
    """Everything an import writes, by natural key, without surrogate keys or timestamps."""
    from microcred.catalogue import SearchQuery
    from microcred_web.catalogue import services
    from microcred_web.issuing.models import AuditEvent
    from microcred_web.register.models import Agency, Provider, QAResult, Specification

    specs = Specification.objects.select_related("provider").order_by("provider__slug", "local_id")
    # public ids are drawn at random: name specifications by (provider, local id) instead
    name = {s.public_id: f"{s.provider.slug}/{s.local_id}" for s in specs}
    hits = services.search(SearchQuery(per_page=100)).hits
    writes = AuditEvent.objects.exclude(action="import")
    return {
        "specifications": [
            [s.provider.slug, s.local_id, s.status, s.version, s.data, s.versions.count()]
            for s in specs
        ],
        "providers": [
            [p.slug, p.legal_name, p.kind, p.country, p.city, p.website]
            for p in Provider.objects.order_by("slug")
        ],
        "agencies": [[a.slug, a.name, a.acronym] for a in Agency.objects.order_by("slug")],
        "qa_results": [
            [r.agency.slug, r.local_id, r.decision, sorted(p.slug for p in r.providers.all())]
            for r in QAResult.objects.select_related("agency").order_by("agency__slug", "local_id")
        ],
        "index": sorted(
            [name.get(h.id, h.id), h.title, h.provider_name, h.quality_assured] for h in hits
        ),
        "audit": sorted(
            [action, " ".join(name.get(word, word) for word in target.split()), n]
            for (action, target), n in Counter(writes.values_list("action", "target")).items()
        ),
    }


def _trap(kill_at: int) -> list[int]:
    """Count SQL statements and commits; SIGKILL this process at the ``kill_at``-th point."""
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    passed = [0]

    def point() -> None:
        if passed[0] < 0:  # disarmed
            return
        passed[0] += 1
        if passed[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def statement(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        point()
        return execute(sql, params, many, context)

    real_commit = BaseDatabaseWrapper.commit

    def commit(self: BaseDatabaseWrapper) -> None:
        point()
        real_commit(self)
        point()

    connection.execute_wrappers.append(statement)
    BaseDatabaseWrapper.commit = commit  # type: ignore[method-assign]
    return passed


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository: tests.*
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred_web.settings")
    import django

    django.setup()
    if argv[0] == "setup":
        _setup()
        return 0
    kill_at, before, after = int(argv[1]), Path(argv[2]), Path(argv[3])
    assert argv[4] == "--"
    before.write_text(json.dumps(state()), encoding="utf-8")
    passed = _trap(kill_at)
    from microcred.cli import main as microcred

    code = microcred(argv[5:])
    points, passed[0] = passed[0], -1
    after.write_text(json.dumps({"points": points, "state": state()}), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
