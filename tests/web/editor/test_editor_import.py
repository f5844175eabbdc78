"""Import from a page: the import command's import, its per-row report, idempotent re-upload."""

from __future__ import annotations

import copy
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred_web.register.models import Specification

from .conftest import SPEC, EditorWorld


def _upload(world: EditorWorld, name: str, body: bytes, **more: str) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users["staff_a"])
    response = client.post(world.url("import"), {"file": SimpleUploadedFile(name, body), **more})
    return response.status_code, response.content.decode()


def _file(*specs: dict) -> bytes:
    return json.dumps({"specifications": list(specs)}).encode()


def test_report_by_row_then_fix_and_upload_again(editor_world: EditorWorld) -> None:
    good = copy.deepcopy(SPEC) | {"id": "IMP-1"}
    bad = copy.deepcopy(SPEC) | {"id": "IMP-2", "workload": {"ects": -1}}
    status, html = _upload(editor_world, "specs.json", _file(good, bad), publish="on")
    assert status == 200
    assert 'id="count-created">1<' in html and 'id="count-rejected">1<' in html
    assert "specs.json#2" in html and "workload.ects" in html and "workload-not-positive" in html
    assert Specification.objects.get(local_id="IMP-1").status == "published"
    # The same file again: nothing changes. Fixed: the second row goes in.
    status, html = _upload(editor_world, "specs.json", _file(good, bad), publish="on")
    assert 'id="count-unchanged">1<' in html and 'id="count-created">0<' in html
    bad["workload"] = {"ects": 5}
    status, html = _upload(editor_world, "specs.json", _file(good, bad), publish="on")
    assert 'id="count-unchanged">1<' in html and 'id="count-created">1<' in html
    assert Specification.objects.get(local_id="IMP-2").in_catalogue


def test_csv_upload_as_drafts(editor_world: EditorWorld) -> None:
    from microcred.standard.csv_writer import write_csv
    from microcred.standard.validation import parse_spec

    spec, _ = parse_spec(copy.deepcopy(SPEC) | {"id": "CSV-1"})
    assert spec is not None
    out = io.StringIO()
    write_csv([spec], out)
    status, html = _upload(editor_world, "specs.csv", out.getvalue().encode())
    assert status == 200 and 'id="count-created">1<' in html
    assert Specification.objects.get(local_id="CSV-1").status == "draft"


def test_unreadable_files_are_named_at_the_field(editor_world: EditorWorld) -> None:
    for name, body, message in (
        ("broken.json", b'{"specifications": [', "not valid JSON"),
        ("nul.json", b'{"id": "A\\u0000"}', "NUL"),
        ("latin1.csv", "titre\xe9".encode("latin-1"), "UTF-8"),
    ):
        status, html = _upload(editor_world, name, body)
        assert status == 422, name
        assert 'id="imp-file-error"' in html and message in html, (name, html[-2000:])
    client = Client()
    client.force_login(editor_world.users["staff_a"])
    response = client.post(editor_world.url("import"), {})
    assert response.status_code == 422 and "Choose a file" in response.content.decode()
    assert Specification.objects.count() == 1
