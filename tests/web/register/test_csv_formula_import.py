"""CSV formula injection on import: a formula cell is kept as text, the row is imported, and the
report carries a `csv-formula` warning naming the row and the column (never silently)."""

from __future__ import annotations

import pytest

from microcred_web.register.importing import import_bytes
from microcred_web.register.models import Provider, Specification
from tests.web.register.conftest import World

FORMULAS = ["=CMD()", "+SUM(1,2)", "@SUM(A1)", "-2+3", '=HYPERLINK("http://evil.example")']


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@pytest.mark.parametrize("formula", [*FORMULAS, "\t=1+1", "\r=1+1"])
def test_provider_csv_formula_is_flagged_and_imported(world: World, formula: str) -> None:
    data = f"slug,legal_name@en,kind,country,city\nf-1,Formula Ltd,company,NL,{_quoted(formula)}\n"
    report = import_bytes(data.encode(), kind="providers", user=world.users["operator"])

    (row,) = report.rows
    assert row.outcome == "created"
    (finding,) = row.findings
    assert finding["code"] == "csv-formula"
    assert finding["severity"] == "warning"
    assert finding["path"] == "city"
    assert finding["message"].startswith("row 2, column city:")
    assert Provider.objects.get(slug="f-1").city == formula.strip()


def test_formula_in_language_and_list_columns(world: World) -> None:
    hyperlink = _quoted('=HYPERLINK("x")')
    data = (
        "slug,name@en,acronym,countries\n"
        f"evil-agency,{hyperlink},EA,NL\n"
        "other-agency,Other,@SUM(A1),NL\n"
    )
    report = import_bytes(data.encode(), kind="agencies", user=world.users["operator"])
    assert [r.outcome for r in report.rows] == ["created", "created"]
    assert [[f["path"] for f in r.findings] for r in report.rows] == [["name.en"], ["acronym"]]
    assert report.rows[1].findings[0]["message"].startswith("row 3, column acronym:")


@pytest.mark.parametrize("formula", FORMULAS)
def test_specification_csv_formula_is_flagged_and_imported(world: World, formula: str) -> None:
    data = (
        "id,title@en,issuer_countries,awarding_body_names,awarding_body_countries,"
        "learning_outcomes@en,ects,eqf_level,assessment_types,participation_mode,qa_types\n"
        f"S-1,{_quoted(formula)},NL,North Sea University,NL,Write a plan,5,6,project,online,"
        "internal\n"
    )
    report = import_bytes(
        data.encode(),
        kind="specifications",
        user=world.users["operator"],
        provider=world.provider_a,
    )
    (row,) = report.rows
    assert row.outcome == "created"
    formulas = [f for f in row.findings if f["code"] == "csv-formula"]
    assert [(f["path"], f["severity"]) for f in formulas] == [("title.en", "warning")]
    assert "row 2, column title@en" in formulas[0]["message"]
    assert Specification.objects.get(local_id="S-1").data["title"] == {"en": formula}


def test_negative_numbers_and_dates_are_not_flagged(world: World) -> None:
    data = (
        "agency,local_id,activity,providers,decision,valid_from\n"
        "nvao,N-9,institutional,codecraft,positive,2024-01-01\n"
    )
    report = import_bytes(data.encode(), kind="qa-results", user=world.users["operator"])
    assert [(r.outcome, r.findings) for r in report.rows] == [("created", [])]
