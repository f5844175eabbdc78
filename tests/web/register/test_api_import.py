"""``POST /api/v1/import``: the bulk import as an upload, with a size limit."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from microcred_web.register.models import Specification
from tests.web.register.conftest import World, spec

URL = "/api/v1/import"


def _upload(items: list[object], name: str = "batch.json") -> SimpleUploadedFile:
    body = json.dumps({"specifications": items}).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def test_upload_reports_each_row_and_rerun_is_unchanged(client: Client, world: World) -> None:
    items: list[object] = [spec("A"), 5, spec("B")]
    form = {"kind": "specifications", "provider": "north-sea-university", "status": "published"}

    first = client.post(URL, {**form, "file": _upload(items)}, headers=world.auth("staff_a"))
    again = client.post(URL, {**form, "file": _upload(items)}, headers=world.auth("staff_a"))

    assert first.status_code == 200
    body = first.json()
    assert [r["outcome"] for r in body["rows"]] == ["created", "rejected", "created"]
    assert body["counts"]["rejected"] == 1
    assert body["rows"][1]["findings"]
    assert [r["outcome"] for r in again.json()["rows"]] == ["unchanged", "rejected", "unchanged"]
    assert Specification.objects.filter(status="published").count() == 2


def test_upload_needs_a_token_and_the_right_provider(client: Client, world: World) -> None:
    form = {"kind": "specifications", "provider": "codecraft"}
    assert client.post(URL, {**form, "file": _upload([spec()])}).status_code == 401
    denied = client.post(URL, {**form, "file": _upload([spec()])}, headers=world.auth("staff_a"))
    assert denied.status_code == 403
    assert not Specification.objects.exists()


def test_upload_errors_are_4xx(client: Client, world: World) -> None:
    auth = world.auth("operator")
    missing_provider = client.post(
        URL, {"kind": "specifications", "file": _upload([spec()])}, headers=auth
    )
    bad_kind = client.post(URL, {"kind": "learners", "file": _upload([spec()])}, headers=auth)
    no_file = client.post(URL, {"kind": "providers"}, headers=auth)
    garbage = client.post(
        URL,
        {"kind": "providers", "file": SimpleUploadedFile("x.json", b"{nope")},
        headers=auth,
    )

    assert missing_provider.status_code == 400
    assert bad_kind.status_code == 422
    assert no_file.status_code == 422
    assert garbage.status_code == 400 and "not valid JSON" in garbage.json()["detail"]


@override_settings(MICROCRED_IMPORT_MAX_BYTES=100)
def test_upload_over_the_limit_is_413(client: Client, world: World) -> None:
    response = client.post(
        URL,
        {"kind": "specifications", "provider": "north-sea-university", "file": _upload([spec()])},
        headers=world.auth("operator"),
    )

    assert response.status_code == 413
    assert not Specification.objects.exists()
