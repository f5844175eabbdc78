"""CSV formula injection on export: every CSV file of `microcred export --format csv` writes a
formula cell with a leading ', numbers and dates as they are, and imports back losslessly."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from microcred_web.register import exporting
from microcred_web.register.importing import import_bytes
from microcred_web.register.models import Agency, Provider
from microcred_web.register.services import save_specification
from tests.web.register.conftest import World, spec

FORMULAS = ["=CMD()", "+SUM(1,2)", "@SUM(A1)", "-2+3", '=HYPERLINK("http://evil.example")']


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@pytest.fixture
def hostile(world: World) -> World:
    """Records holding the issue's formulas in text fields (as the API or JSON would store)."""
    for i, formula in enumerate(FORMULAS):
        Provider.objects.create(
            slug=f"hostile-{i}",
            legal_name={"en": formula},
            kind="company",
            country="NL",
            city=formula,
        )
    Agency.objects.filter(pk=world.agency_x.pk).update(acronym="@SUM(A1)")
    operator = world.users["operator"]
    data = spec("=CMD()", title={"en": '=HYPERLINK("http://evil.example")'})
    saved = save_specification(operator, world.provider_a, data, status="published")
    assert saved.outcome == "created", saved.findings
    return world


def test_register_tables_neutralise_formulas(hostile: World, tmp_path: Path) -> None:
    exporting.write_export("register", "csv", tmp_path / "out")

    providers = {r["slug"]: r for r in _rows(tmp_path / "out" / "providers.csv")}
    for i, formula in enumerate(FORMULAS):
        row = providers[f"hostile-{i}"]
        assert row["legal_name@en"] == "'" + formula
        assert row["city"] == "'" + formula
    agencies = {r["slug"]: r for r in _rows(tmp_path / "out" / "agencies.csv")}
    assert agencies["nvao"]["acronym"] == "'@SUM(A1)"
    assert agencies["nvao"]["eqar_registered_since"] == date(2008, 1, 1).isoformat()  # as is


def test_catalogue_tables_neutralise_formulas(hostile: World, tmp_path: Path) -> None:
    exporting.write_export("catalogue", "csv", tmp_path / "cat")

    (index,) = _rows(tmp_path / "cat" / "catalogue.csv")
    assert index["local_id"] == "'=CMD()"
    assert index["title"] == '\'=HYPERLINK("http://evil.example")'
    assert index["ects"] == "5"
    (row,) = _rows(tmp_path / "cat" / "specifications" / "north-sea-university.csv")
    assert row["id"] == "'=CMD()"
    assert row["title@en"] == '\'=HYPERLINK("http://evil.example")'


def test_no_cell_of_any_export_begins_with_a_trigger(hostile: World, tmp_path: Path) -> None:
    written = exporting.write_export("register", "csv", tmp_path / "reg")
    written += exporting.write_export("catalogue", "csv", tmp_path / "cat")
    for path in written:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell)
                assert not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit()


def test_exports_import_back_unchanged_without_warnings(hostile: World, tmp_path: Path) -> None:
    exporting.write_export("register", "csv", tmp_path / "out")
    user = hostile.users["operator"]
    report = import_bytes(
        (tmp_path / "out" / "providers.csv").read_bytes(), kind="providers", user=user
    )
    assert {r.outcome for r in report.rows} == {"unchanged"}
    assert not [f for r in report.rows for f in r.findings]
    assert Provider.objects.get(slug="hostile-0").legal_name == {"en": "=CMD()"}

    exporting.write_export("catalogue", "csv", tmp_path / "cat")
    data = (tmp_path / "cat" / "specifications" / "north-sea-university.csv").read_bytes()
    again = import_bytes(data, kind="specifications", user=user, provider=hostile.provider_a)
    assert [(r.key, r.outcome) for r in again.rows] == [("=CMD()", "unchanged")]
    assert not [f for f in again.rows[0].findings if f["code"] == "csv-formula"]
