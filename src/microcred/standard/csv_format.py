"""A flat CSV format for bulk work: one row per specification.

Providers keep their catalogues in spreadsheets, so bulk upload and download need a format a
spreadsheet can open and save without a converter. The nested Annex I model is flattened into
documented columns (see ``docs/csv-format.md``): lists become ``;``-separated cells, aligned
entry by entry where they describe the parts of one element (awarding bodies, learning outcomes,
quality assurance), and multilingual text becomes one column per language (``title@en``).

Problems are split in two on purpose. Whole-file problems (wrong encoding, unknown column, a
``;``-delimited header) make every row meaningless, so they raise :class:`CsvFormatError` with
a message a person can act on. Cell problems (``ects`` = ``abc``) only spoil one element, so
they go into the row's :class:`~microcred.standard.findings.Report` and the rest of the row is
still read: validation can then report everything wrong with a row in one pass instead of one
error per upload.

Reading streams row by row, so that a large catalogue never has to sit in memory as records.
This module reads; the columns and cell syntax are in :mod:`~microcred.standard.csv_columns`,
decoding in :mod:`~microcred.standard.csv_text`, writing in
:mod:`~microcred.standard.csv_writer` (``write_csv`` is re-exported here).
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TextIO

from pydantic import ValidationError

from microcred.standard.csv_columns import (
    CSV_COLUMNS,
    MULTILINGUAL_COLUMNS,
    split_entries,
)
from microcred.standard.csv_safety import formula_message, is_formula, unescape_cell
from microcred.standard.csv_text import CsvFormatError, csv_lines
from microcred.standard.csv_writer import write_csv
from microcred.standard.findings import Report
from microcred.standard.model import (
    Assessment,
    AwardingBody,
    LangMap,
    LearningOutcome,
    Level,
    MicroCredentialSpec,
    Participation,
    QualityAssurance,
    Stackability,
    Workload,
)

__all__ = [
    "CSV_COLUMNS",
    "MAX_COLUMNS",
    "MAX_FIELD_CHARS",
    "MAX_ROWS",
    "MULTILINGUAL_COLUMNS",
    "CsvFormatError",
    "CsvRecord",
    "read_csv",
    "write_csv",
]


#: Largest cell, in characters. Far above any honest cell, low enough that a broken quote
#: (which swallows the rest of the file into one field) fails fast instead of eating memory.
MAX_FIELD_CHARS = 1 << 20
#: Most data rows one file may hold; a bulk upload above this is better split.
MAX_ROWS = 100_000
#: Most columns a header may have: 32 base columns times a generous number of languages.
MAX_COLUMNS = 2_000

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_EQF_URI = re.compile(r"https?://data\.europa\.eu/snb/eqf/(\d+)")
_LANG_TAG = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_YES = frozenset({"yes", "true"})
#: The element each column fills, for findings about a cell as a whole (a list cell: its first
#: entry, the one a spreadsheet looks at); multilingual columns add ``.<language>``.
_CELL_PATHS = {
    "id": "id",
    "issuer_countries": "issuer_countries[0]",
    "issuer_regions": "issuer_regions[0]",
    "awarding_body_names": "awarding_bodies[0].name.en",
    "awarding_body_ids": "awarding_bodies[0].id",
    "awarding_body_countries": "awarding_bodies[0].country",
    "learning_outcomes": "learning_outcomes[0].text",
    "learning_outcome_esco": "learning_outcomes[0].esco_skill",
    "ects": "workload.ects",
    "hours": "workload.hours",
    "eqf_level": "level.eqf",
    "qf_ehea_cycle": "level.qf_ehea",
    "national_level": "level.national",
    "assessment_types": "assessment.types[0]",
    "assessment_description": "assessment.description",
    "participation_mode": "participation.mode",
    "participation_scheduled": "participation.scheduled",
    "qa_types": "quality_assurance[0].type",
    "qa_agencies": "quality_assurance[0].agency",
    "stackability": "stackability.option",
    "stackability_towards": "stackability.towards",
    "fields_of_study": "fields_of_study[0]",
    "languages": "languages[0]",
}
_NO = frozenset({"no", "false"})


@dataclass(frozen=True)
class CsvRecord:
    """One data row: the specification read from it and the cell-level problems found.

    ``row`` counts CSV records the way a spreadsheet numbers its rows: the header is row 1, so
    the first data row is row 2. ``spec`` is ``None`` only when the row could not be turned
    into a specification at all; otherwise it holds every cell that could be read, and the
    report says which could not.
    """

    row: int
    spec: MicroCredentialSpec | None
    report: Report


# --------------------------------------------------------------------------------------------
# Header
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    base: str
    lang: str | None


def _column_problem(name: str) -> str | None:
    """Why a header cell is not a valid column name, or ``None`` when it is."""
    base, at, lang = name.partition("@")
    if base in MULTILINGUAL_COLUMNS:
        if not at:
            return (
                f"column {name!r} holds text in one language and needs a language suffix, "
                f"e.g. {base + '@en'!r}"
            )
        if not _LANG_TAG.fullmatch(lang):
            return f"column {name!r}: {lang!r} after '@' is not a language tag such as 'en'"
        return None
    if base in CSV_COLUMNS:
        if at:
            return f"column {name!r} takes no language suffix; use {base!r}"
        return None
    hint = ""
    match = difflib.get_close_matches(base.lower(), CSV_COLUMNS, n=1, cutoff=0.6)
    if match:
        guess = match[0]
        if guess in MULTILINGUAL_COLUMNS:
            guess += "@" + (lang if at and lang else "en")
        hint = f"; did you mean {guess!r}?"
    return f"unknown column {name!r}{hint} (the columns are listed in docs/csv-format.md)"


def _looks_delimited_by(header: list[str], delimiter: str) -> bool:
    """True when splitting the header on ``delimiter`` yields several known column names."""
    for cell in header:
        if delimiter in cell:
            parts = [p.strip() for p in cell.split(delimiter)]
            if sum(1 for p in parts if p and _column_problem(p) is None) >= 2:
                return True
    return False


def _parse_header(header: list[str]) -> list[_Column]:
    if not any(cell.strip() for cell in header):
        raise CsvFormatError("row 1 is empty: the first row must be the header naming the columns")
    if len(header) > MAX_COLUMNS:
        raise CsvFormatError(f"the header has {len(header)} columns; at most {MAX_COLUMNS} allowed")
    for delimiter, label in ((";", "';'"), ("\t", "tab")):
        if _looks_delimited_by(header, delimiter):
            raise CsvFormatError(
                f"the header looks {label}-delimited; this format is comma-delimited "
                "(in a spreadsheet, save as 'CSV UTF-8 (comma delimited)')"
            )
    columns: list[_Column] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = raw.strip().lstrip("\ufeff")
        if not name:
            raise CsvFormatError(f"column {position} of the header has no name")
        problem = _column_problem(name)
        if problem:
            raise CsvFormatError(problem)
        base, at, lang = name.partition("@")
        key = f"{base}@{lang.lower()}" if at else base  # language tags ignore case
        if key in seen:
            raise CsvFormatError(
                f"column {name!r} appears twice (columns {seen[key]} and {position})"
            )
        seen[key] = position
        columns.append(_Column(name, base, lang if at else None))
    return columns


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


class _Row:
    """The non-empty cells of one row, with helpers that report what cannot be read."""

    def __init__(self, row: int, columns: list[_Column], cells: list[str]) -> None:
        self.row = row
        self.report = Report()
        self.plain: dict[str, str] = {}
        self.texts: dict[str, dict[str, str]] = {}
        self.labels: dict[str, str] = {}
        for column, raw in zip(columns, cells, strict=False):
            value = raw.strip()
            if not value:
                continue
            if is_formula(raw) or is_formula(value):
                self.formula(column, raw)
            value = unescape_cell(value)
            if column.lang is None:
                self.plain[column.base] = value
            else:
                self.texts.setdefault(column.base, {})[column.lang] = value
        extra = [
            i for i, cell in enumerate(cells[len(columns) :], len(columns) + 1) if cell.strip()
        ]
        if extra:
            self.report.add(
                "unknown-element",
                "",
                f"row {row}: {len(cells)} cells but the header names {len(columns)} columns; "
                f"the cells in position {', '.join(map(str, extra))} are ignored",
            )

    def formula(self, column: _Column, raw: str) -> None:
        """Warn about a cell a spreadsheet would run; its text is still read as it is."""
        path = _CELL_PATHS.get(column.base, column.base)
        if column.lang is not None:
            path += f".{column.lang}"
        where = f"row {self.row}, column {column.name}"
        self.report.add("csv-formula", path, formula_message(where, raw))

    def bad(self, path: str, column: str, message: str) -> None:
        self.report.add("invalid-value", path, f"row {self.row}, column {column}: {message}")

    def string(self, column: str) -> str | None:
        return self.plain.get(column)

    def text(self, base: str) -> LangMap | None:
        return dict(self.texts[base]) if base in self.texts else None

    def values(self, column: str) -> list[str]:
        """A plain list: empty entries (say a trailing ';') carry no meaning and are dropped."""
        cell = self.plain.get(column)
        return [e for e in split_entries(cell) if e] if cell else []

    def number(self, column: str, path: str) -> float | None:
        cell = self.plain.get(column)
        if cell is None:
            return None
        if _NUMBER.fullmatch(cell) and not ("," in cell and "." in cell):
            value = float(cell.replace(",", "."))
            if math.isfinite(value):
                return value
        self.bad(path, column, f"{cell!r} is not a number (write e.g. 2.5 or 2,5)")
        return None

    def eqf(self) -> int | None:
        cell = self.plain.get("eqf_level")
        if cell is None:
            return None
        if _INTEGER.fullmatch(cell):
            return int(cell)
        uri = _EQF_URI.fullmatch(cell)
        if uri:
            return int(uri.group(1))
        self.bad("level.eqf", "eqf_level", f"{cell!r} is not an EQF level (write a number 1-8)")
        return None

    def yes_no(self, column: str, path: str) -> bool | None:
        cell = self.plain.get(column)
        if cell is None:
            return None
        if cell.lower() in _YES:
            return True
        if cell.lower() in _NO:
            return False
        self.bad(path, column, f"{cell!r} is neither 'yes' nor 'no' (leave empty if not said)")
        return None

    def aligned(self, element: str, lists: dict[str, tuple[str, list[str]]]) -> int:
        """Check that the ``;``-lists describing one repeated element have equal lengths.

        ``lists`` maps a column name to (field path inside the element, entries); empty cells
        are left out by the caller. Returns the number of elements (the longest list); each
        shorter list is reported at the first index it lacks, so the message points at where
        the entries stopped lining up.
        """
        if not lists:
            return 0
        longest = max(lists, key=lambda name: len(lists[name][1]))
        count = len(lists[longest][1])
        for name, (field, entries) in lists.items():
            if len(entries) != count:
                self.bad(
                    f"{element}[{len(entries)}].{field}",
                    name,
                    f"{len(entries)} ';'-separated entries but column {longest} has {count}; "
                    "these lists must line up entry by entry (leave an entry empty, as in "
                    "'a;;c', where there is no value)",
                )
        return count

    def split_column(self, column: str) -> list[str]:
        cell = self.plain.get(column)
        return split_entries(cell) if cell else []


def _entry(entries: list[str], index: int) -> str | None:
    return entries[index] if index < len(entries) and entries[index] else None


def _bodies(row: _Row) -> list[AwardingBody]:
    names = row.split_column("awarding_body_names")
    ids = row.split_column("awarding_body_ids")
    countries = row.split_column("awarding_body_countries")
    lists = {
        col: (field, entries)
        for col, field, entries in (
            ("awarding_body_names", "name", names),
            ("awarding_body_ids", "id", ids),
            ("awarding_body_countries", "country", countries),
        )
        if entries
    }
    bodies = []
    for i in range(row.aligned("awarding_bodies", lists)):
        name = _entry(names, i)
        bodies.append(
            AwardingBody(
                name={"en": name} if name else {},
                id=_entry(ids, i),
                country=_entry(countries, i),
            )
        )
    return bodies


def _outcomes(row: _Row) -> list[LearningOutcome]:
    texts = {
        lang: split_entries(cell) for lang, cell in row.texts.get("learning_outcomes", {}).items()
    }
    esco = row.split_column("learning_outcome_esco")
    lists = {f"learning_outcomes@{lang}": (f"text.{lang}", e) for lang, e in texts.items()}
    if esco:
        lists["learning_outcome_esco"] = ("esco_skill", esco)
    outcomes = []
    for i in range(row.aligned("learning_outcomes", lists)):
        text = {lang: entry for lang, entries in texts.items() if (entry := _entry(entries, i))}
        outcomes.append(LearningOutcome(text=text, esco_skill=_entry(esco, i)))
    return outcomes


def _quality(row: _Row) -> list[QualityAssurance]:
    types = row.split_column("qa_types")
    agencies = row.split_column("qa_agencies")
    lists = {
        col: (field, entries)
        for col, field, entries in (
            ("qa_types", "type", types),
            ("qa_agencies", "agency", agencies),
        )
        if entries
    }
    return [
        QualityAssurance(type=_entry(types, i), agency=_entry(agencies, i))
        for i in range(row.aligned("quality_assurance", lists))
    ]


def _spec(row: _Row) -> MicroCredentialSpec:
    ects = row.number("ects", "workload.ects")
    hours = row.number("hours", "workload.hours")
    eqf = row.eqf()
    qf_ehea = row.string("qf_ehea_cycle")
    national = row.text("national_level")
    assessment_types = row.values("assessment_types")
    assessment_description = row.text("assessment_description")
    mode = row.string("participation_mode")
    scheduled = row.yes_no("participation_scheduled", "participation.scheduled")
    option = row.string("stackability")
    towards = row.text("stackability_towards")
    return MicroCredentialSpec(
        id=row.string("id"),
        title=row.text("title") or {},
        description=row.text("description"),
        issuer_countries=row.values("issuer_countries"),
        issuer_regions=row.values("issuer_regions"),
        awarding_bodies=_bodies(row),
        learning_outcomes=_outcomes(row),
        workload=(
            Workload(ects=ects, hours=hours) if ects is not None or hours is not None else None
        ),
        level=(
            Level(eqf=eqf, qf_ehea=qf_ehea, national=national)
            if eqf is not None or qf_ehea is not None or national is not None
            else None
        ),
        assessment=(
            Assessment(types=assessment_types, description=assessment_description)
            if assessment_types or assessment_description is not None
            else None
        ),
        participation=(
            Participation(mode=mode, scheduled=scheduled)
            if mode is not None or scheduled is not None
            else None
        ),
        quality_assurance=_quality(row),
        prerequisites=row.text("prerequisites"),
        supervision=row.string("supervision"),
        grade_scheme=row.text("grade_scheme"),
        stackability=(
            Stackability(option=option, towards=towards)
            if option is not None or towards is not None
            else None
        ),
        further_information=row.text("further_information"),
        fields_of_study=row.values("fields_of_study"),
        languages=row.values("languages"),
        duration=row.string("duration"),
        learning_setting=row.string("learning_setting"),
        url=row.string("url"),
    )


def _record(row_number: int, columns: list[_Column], cells: list[str]) -> CsvRecord:
    row = _Row(row_number, columns, cells)
    try:
        spec: MicroCredentialSpec | None = _spec(row)
    except ValidationError as err:  # the cell parsers give typed values; kept as a safety net
        for problem in err.errors():
            path = ".".join(str(part) for part in problem["loc"])
            row.report.add("invalid-value", path, f"row {row_number}: {problem['msg']}")
        spec = None
    return CsvRecord(row_number, spec, row.report)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


class _Rows:
    """CSV records from lines, with the field-size limit and csv errors made readable.

    ``csv.field_size_limit`` is process-wide state; it is raised to :data:`MAX_FIELD_CHARS`
    only while this reader parses a record and restored at once, so that other csv users in
    the process keep their own limit.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self._reader = csv.reader(lines, dialect="excel")
        self.number = 0  # records read so far (header included)

    def next(self) -> list[str] | None:
        previous = csv.field_size_limit(MAX_FIELD_CHARS)
        try:
            cells = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as err:
            where = f"row {self.number + 1} (line {self._reader.line_num})"
            if "field larger than field limit" in str(err):
                raise CsvFormatError(
                    f"{where}: a cell is larger than {MAX_FIELD_CHARS} characters "
                    "(often an unclosed '\"' quote)"
                ) from None
            raise CsvFormatError(f"{where}: not readable as CSV: {err}") from None
        finally:
            csv.field_size_limit(previous)
        self.number += 1
        return cells


def read_csv(
    source: str | bytes | TextIO | IO[bytes], *, max_rows: int | None = MAX_ROWS
) -> Iterator[CsvRecord]:
    """Read specifications from CSV, one :class:`CsvRecord` per non-blank data row.

    ``source`` is the whole text, the raw bytes (UTF-8, BOM or not), or an open file (text
    opened with ``newline=""``, or binary, which also gives exact byte offsets on encoding
    errors). The header is checked as soon as this is called, so a wrong file fails before
    anything is imported; later whole-file problems (encoding, size) raise
    :class:`CsvFormatError` while iterating, so a caller that must be all-or-nothing should
    collect the records before acting on them.
    """
    rows = _Rows(csv_lines(source))
    header = rows.next()
    if header is None:
        raise CsvFormatError("the file is empty: expected a header row naming the columns")
    columns = _parse_header(header)
    return _records(rows, columns, max_rows)


def _records(rows: _Rows, columns: list[_Column], max_rows: int | None) -> Iterator[CsvRecord]:
    while (cells := rows.next()) is not None:
        if max_rows is not None and rows.number - 1 > max_rows:
            raise CsvFormatError(
                f"more than {max_rows} data rows; split the file into smaller ones"
            )
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and all-empty rows: spreadsheets leave them at the end
        yield _record(rows.number, columns, cells)
