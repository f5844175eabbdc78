"""Mutated real import files always get a per-row report or a clear 4xx, never a 500.

The files are what a provider really uploads: a JSON batch of Annex I specifications (the
tests' valid specification, twice), its CSV form (``write_csv``), and a JSON list of provider
records. Each is mutated (:mod:`tests.mutations` for JSON; for CSV, cells replaced, lines
duplicated or dropped, bytes cut) and uploaded to ``POST /api/v1/import``. The answer is 200
with one report row per record (each ``created``, ``updated``, ``unchanged`` or ``rejected``,
with findings for a rejection) or a 400 / 413 in the API's error shape.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.standard.csv_writer import write_csv
from microcred.standard.validation import parse_spec
from tests.mutations import EXOTIC_TEXT, mutated
from tests.web.register.conftest import World, spec

URL = "/api/v1/import"
OUTCOMES = {"created", "updated", "unchanged", "rejected"}
SPECS = {"specifications": [spec("FZ-1"), spec("FZ-2")]}
PROVIDERS = [
    {"slug": "fuzz-college", "legal_name": {"en": "Fuzz College"}, "kind": "college",
     "country": "NL", "website": "https://fuzz.example"},
]  # fmt: skip
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _csv_text() -> str:
    parsed = [parse_spec(item)[0] for item in SPECS["specifications"]]
    out = io.StringIO()
    write_csv([p for p in parsed if p is not None], out)
    return out.getvalue()


CSV = _csv_text()


def _upload(client: Client, world: World, data: bytes, kind: str, name: str) -> Any:
    form: dict[str, Any] = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if kind == "specifications":
        form["provider"] = "north-sea-university"
    return client.post(URL, form, headers=world.auth("operator"))


def _assert_answered(response: Any) -> None:
    assert response.status_code in (200, 400, 413), response.content[:500]
    body = response.json()
    if response.status_code != 200:
        assert body["code"] and body["detail"], body
        return
    assert body["rows"], body
    for row in body["rows"]:
        assert row["outcome"] in OUTCOMES, row
        if row["outcome"] == "rejected":
            assert row["findings"], row


def test_mutated_specification_batches(client: Client, world: World) -> None:
    @FUZZ
    @given(mutation=mutated(SPECS))
    def run(mutation: tuple[str, Any]) -> None:
        _, document = mutation
        data = json.dumps(document).encode()
        _assert_answered(_upload(client, world, data, "specifications", "batch.json"))

    run()


def test_mutated_provider_records(client: Client, world: World) -> None:
    @FUZZ
    @given(mutation=mutated({"items": PROVIDERS}))
    def run(mutation: tuple[str, Any]) -> None:
        _, document = mutation
        data = json.dumps(document.get("items", document)).encode()
        _assert_answered(_upload(client, world, data, "providers", "providers.json"))

    run()


@st.composite
def mutated_csv(draw: Any) -> bytes:
    lines = CSV.splitlines(keepends=True)
    action = draw(st.sampled_from(["cell", "duplicate", "drop", "cut", "exotic"]))
    index = draw(st.integers(0, len(lines) - 1))
    if action == "cell":
        cells = lines[index].split(",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(st.text(max_size=30))
        lines[index] = ",".join(cells)
    elif action == "duplicate":
        lines.insert(index, lines[index])
    elif action == "drop":
        del lines[index]
    elif action == "exotic":
        lines[index] = draw(EXOTIC_TEXT) + lines[index]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if action == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    return data


def test_mutated_csv_files(client: Client, world: World) -> None:
    @FUZZ
    @given(data=mutated_csv())
    def run(data: bytes) -> None:
        _assert_answered(_upload(client, world, data, "specifications", "batch.csv"))

    run()
