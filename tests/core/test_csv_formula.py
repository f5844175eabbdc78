"""CSV formula injection: the flat CSV writer neutralises formula cells, the reader flags them
and gives back exactly what was written (docs/csv-format.md, "Spreadsheet formulas")."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred.standard.csv_format import read_csv, write_csv
from microcred.standard.csv_safety import escape_cell, is_formula, unescape_cell
from microcred.standard.model import AwardingBody, MicroCredentialSpec, Workload

#: The issue's examples: each is a formula to a spreadsheet.
FORMULAS = [
    "=CMD()",
    "+SUM(1,2)",
    "@SUM(A1)",
    "-2+3",
    '=HYPERLINK("http://evil.example","Click")',
    "\t=1+1",
    "\r=1+1",
]


def _cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _write(specs: list[MicroCredentialSpec]) -> str:
    out = io.StringIO(newline="")
    write_csv(specs, out)
    return out.getvalue()


@pytest.mark.parametrize("formula", FORMULAS)
def test_export_prefixes_formula_cells(formula: str) -> None:
    spec = MicroCredentialSpec(
        id="F-1",
        title={"en": formula},
        awarding_bodies=[AwardingBody(name={"en": formula}, id=formula)],
    )
    row = _cells(_write([spec]))[0]
    assert row["title@en"] == "'" + formula
    assert row["awarding_body_names"] == "'" + formula.replace(";", "\\;")
    assert row["id"] == "F-1"


@pytest.mark.parametrize("value", ["-2", "-2.5", "+1", "-3e2", "2,5", "-,5"])
def test_plain_numbers_are_not_touched(value: str) -> None:
    assert not is_formula(value)
    assert escape_cell(value) == value


def test_negative_workload_is_written_as_a_number() -> None:
    spec = MicroCredentialSpec(id="N-1", title={"en": "x"}, workload=Workload(ects=-2, hours=-2.5))
    row = _cells(_write([spec]))[0]
    assert (row["ects"], row["hours"]) == ("-2", "-2.5")


@pytest.mark.parametrize("formula", FORMULAS)
def test_import_flags_the_cell_and_keeps_its_text(formula: str) -> None:
    quoted = '"' + formula.replace('"', '""') + '"'
    text = f"id,title@en,awarding_body_ids\nF-1,{quoted},did:web:a.example\n"
    (record,) = read_csv(text)
    assert record.spec is not None
    assert record.spec.title == {"en": formula.strip()}
    (finding,) = record.report.findings
    assert (finding.code, finding.severity.value, finding.path) == (
        "csv-formula",
        "warning",
        "title.en",
    )
    assert finding.message.startswith("row 2, column title@en:")
    assert record.report.ok  # a warning: the record is accepted


def test_import_names_list_and_numeric_columns() -> None:
    text = "id,title@en,awarding_body_ids,ects\nF-1,ok,@evil;did:web:b.example,-2+3\n"
    (record,) = read_csv(text)
    formulas = {f.path for f in record.report.findings if f.code == "csv-formula"}
    assert formulas == {"awarding_bodies[0].id", "workload.ects"}
    assert any(f.code == "invalid-value" for f in record.report.findings)  # -2+3 not a number


def test_negative_number_cells_are_not_flagged() -> None:
    (record,) = read_csv("id,title@en,ects\nF-1,ok,-2\n")
    assert not [f for f in record.report.findings if f.code == "csv-formula"]


@pytest.mark.parametrize("formula", [*FORMULAS, "'=already quoted", "''=x", "'plain"])
def test_export_then_import_is_lossless_and_silent(formula: str) -> None:
    value = formula.strip()
    spec = MicroCredentialSpec(id="F-1", title={"en": value}, awarding_bodies=[])
    (record,) = read_csv(_write([spec]))
    assert record.spec is not None and record.spec.title == {"en": value}
    assert not [f for f in record.report.findings if f.code == "csv-formula"]


@given(st.text(alphabet="'=+-@\t\r a1", max_size=8))
def test_unescape_inverts_escape(value: str) -> None:
    written = escape_cell(value)
    assert unescape_cell(written) == value
    assert not is_formula(written)
