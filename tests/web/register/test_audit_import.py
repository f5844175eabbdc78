"""The audit log records every import: one row per run (who, kind, file, counts, through
which door) and one row per record written, with the interface ``import``."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred_web.cli_plugin import CommandLineOperator
from microcred_web.issuing.models import AuditEvent
from microcred_web.register.importing import import_bytes
from tests.web.register.conftest import World, spec

PROVIDERS = (
    "slug,legal_name@en,kind,country\n"
    "delta,Delta,company,NL\n"
    "bad,Bad,castle,NL\n"
    "delta,Delta again,company,NL\n"
)


def test_command_line_import(world: World) -> None:
    import_bytes(PROVIDERS.encode(), kind="providers", user=CommandLineOperator(), name="p.csv")
    run = AuditEvent.objects.get(action="import")
    assert (run.actor, run.actor_name, run.target, run.interface) == (
        None,
        "(command line)",
        "providers p.csv",
        "cli",
    )
    assert run.details == {
        "kind": "providers",
        "file": "p.csv",
        "provider": None,
        "rows": 3,
        "done": 3,
        "finished": True,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 2,
    }
    row = AuditEvent.objects.get(action="provider-created")
    assert (row.target, row.interface) == ("provider delta", "import")

    import_bytes(PROVIDERS.encode(), kind="providers", user=CommandLineOperator(), name="p.csv")
    assert AuditEvent.objects.filter(action="import").count() == 2
    assert AuditEvent.objects.filter(action="provider-created").count() == 1  # nothing rewritten


def test_api_upload(client: Client, world: World) -> None:
    body = json.dumps({"specifications": [spec("A"), spec("B")]}).encode()
    upload = SimpleUploadedFile("batch.json", body, content_type="application/json")
    response = client.post(
        "/api/v1/import",
        {"kind": "specifications", "provider": "north-sea-university", "file": upload},
        headers=world.auth("staff_a"),
    )
    assert response.status_code == 200, response.content
    run = AuditEvent.objects.get(action="import")
    assert (run.actor, run.interface, run.target) == (
        world.users["staff_a"],
        "api",
        "specifications batch.json",
    )
    assert (run.details["provider"], run.details["created"]) == ("north-sea-university", 2)
    rows = AuditEvent.objects.filter(action="specification-created")
    assert set(rows.values_list("actor_name", "interface")) == {("staff_a", "import")}
    assert rows.count() == 2


def test_a_stopped_import_is_recorded_as_not_finished(world: World) -> None:
    def stop(done: int, total: int) -> None:
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_bytes(
            PROVIDERS.encode(), kind="providers", user=CommandLineOperator(), progress=stop
        )
    run = AuditEvent.objects.get(action="import")
    assert (run.details["finished"], run.details["done"], run.details["rows"]) == (False, 1, 3)
