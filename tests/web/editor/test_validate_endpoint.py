"""The validation the editor calls as one types: the API's own operation, rate limited, with
the same codes and paths as a save."""

from __future__ import annotations

import copy
from typing import Any

from django.test import Client

from microcred_web.editor import services

from .conftest import SPEC

URL = "/api/v1/specifications/validate"


def test_same_findings_as_the_editor_save(db: Any) -> None:
    data = copy.deepcopy(SPEC) | {"workload": {"ects": "five"}, "issuer_countries": ["XX"]}
    response = Client().post(URL, data, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert body["findings"] == services.check(data)
    assert {(f["code"], f["path"]) for f in body["findings"]} >= {
        ("invalid-value", "workload.ects"),
        ("unknown-code", "issuer_countries[0]"),
    }


def test_rate_limited(db: Any, settings: Any) -> None:
    settings.MICROCRED_RATE_LIMITS = {**settings.MICROCRED_RATE_LIMITS, "validate": "3/m"}
    client = Client()
    answers = [
        client.post(URL, SPEC, content_type="application/json").status_code for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    last = client.post(URL, SPEC, content_type="application/json")
    assert last.json()["code"] == "rate-limited" and int(last["Retry-After"]) >= 1
