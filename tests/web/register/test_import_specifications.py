"""Bulk import of specifications: a report per row, bad rows do not stop good ones,
re-runs change nothing, and a run stopped halfway resumes without duplicates or gaps."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from microcred.standard.csv_format import write_csv
from microcred.standard.model import MicroCredentialSpec
from microcred_web.register.importing import ImportFileError, import_bytes
from microcred_web.register.models import Specification, SpecificationVersion
from microcred_web.register.permissions import PermissionDenied
from tests.core.samples import ELM_SAMPLE
from tests.web.register.conftest import World, spec


def _json(items: list[Any]) -> bytes:
    return json.dumps({"specifications": items}).encode()


def _csv(n: int) -> bytes:
    out = io.StringIO()
    write_csv([MicroCredentialSpec.model_validate(spec(f"C-{i}")) for i in range(n)], out)
    return out.getvalue().encode()


def test_bad_rows_are_reported_and_good_rows_imported(world: World) -> None:
    items = [spec("A"), spec("B", workload={"ects": "x"}), "not an object", {"title": {"en": "x"}}]
    report = import_bytes(
        _json(items),
        kind="specifications",
        user=world.users["staff_a"],
        provider=world.provider_a,
        name="batch.json",
    )

    outcomes = [(r.row, r.outcome) for r in report.rows]
    assert outcomes[0] == ("batch.json#1", "created")
    assert outcomes[1][1] == "created"  # kept as a draft with its errors flagged
    assert any(f["path"] == "workload.ects" for f in report.rows[1].findings)
    assert [o for _, o in outcomes[2:]] == ["rejected", "rejected"]
    assert report.rows[2].findings and report.rows[3].findings
    assert set(Specification.objects.values_list("local_id", flat=True)) == {"A", "B"}
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 2}


def test_csv_import_then_rerun_is_all_unchanged(world: World) -> None:
    data = _csv(4)
    user = world.users["operator"]

    first = import_bytes(
        data, kind="specifications", user=user, provider=world.provider_a, status="published"
    )
    again = import_bytes(
        data, kind="specifications", user=user, provider=world.provider_a, status="published"
    )

    assert [r.outcome for r in first.rows] == ["created"] * 4
    assert [r.outcome for r in again.rows] == ["unchanged"] * 4
    assert Specification.objects.filter(status="published").count() == 4
    assert SpecificationVersion.objects.count() == 4


def test_resume_after_a_failure_halfway(world: World) -> None:
    data = _json([spec(f"R-{i}") for i in range(10)])
    user = world.users["operator"]

    def stop_after_four(done: int, total: int) -> None:
        assert total == 10
        if done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_bytes(
            data,
            kind="specifications",
            user=user,
            provider=world.provider_a,
            progress=stop_after_four,
        )
    assert Specification.objects.count() == 4

    seen: list[tuple[int, int]] = []
    report = import_bytes(
        data,
        kind="specifications",
        user=user,
        provider=world.provider_a,
        progress=lambda d, t: seen.append((d, t)),
    )

    assert [r.outcome for r in report.rows] == ["unchanged"] * 4 + ["created"] * 6
    assert sorted(Specification.objects.values_list("local_id", flat=True)) == sorted(
        f"R-{i}" for i in range(10)
    )
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)


def test_elm_jsonld_import(world: World) -> None:
    report = import_bytes(
        ELM_SAMPLE.read_bytes(),
        kind="specifications",
        user=world.users["operator"],
        provider=world.provider_a,
        name=ELM_SAMPLE.name,
    )

    assert len(report.rows) >= 1
    assert all(r.outcome in {"created", "rejected"} for r in report.rows)
    created = [r for r in report.rows if r.outcome == "created"]
    assert Specification.objects.count() == len(created)


def test_another_providers_staff_get_every_row_rejected(world: World) -> None:
    with pytest.raises(PermissionDenied):
        # The service itself refuses, whichever way it is reached.
        from microcred_web.register.services import save_specification

        save_specification(world.users["staff_b"], world.provider_a, spec())
    report = import_bytes(
        _json([spec("A")]),
        kind="specifications",
        user=world.users["staff_b"],
        provider=world.provider_a,
    )

    assert [(r.outcome, r.findings[0]["code"]) for r in report.rows] == [("rejected", "forbidden")]
    assert not Specification.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"{oops", "not valid JSON"), (b"\xff\xfe\x00", "UTF-8")],
)
def test_unreadable_files_raise_one_clear_error(world: World, data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        import_bytes(
            data,
            kind="specifications",
            user=world.users["operator"],
            provider=world.provider_a,
            name="f.json",
        )


def test_specifications_need_a_provider(world: World) -> None:
    with pytest.raises(ImportFileError, match="provider"):
        import_bytes(_json([spec()]), kind="specifications", user=world.users["operator"])
