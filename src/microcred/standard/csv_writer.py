"""Writing specifications as the flat CSV format (``docs/csv-format.md``), one row each.

The columns are those the reader accepts (:mod:`microcred.standard.csv_columns`); a
multilingual element gets one column per language any specification uses, English first.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import TextIO

from microcred.standard.csv_columns import CSV_COLUMNS, MULTILINGUAL_COLUMNS, join_entries
from microcred.standard.csv_safety import escape_cell
from microcred.standard.model import LangMap, MicroCredentialSpec

__all__ = ["write_csv"]


def _lang_order(tag: str) -> tuple[bool, str]:
    """English first (the catalogue's fallback language), then alphabetical."""
    return (tag.lower() != "en", tag.lower())


def _lower_keys(mapping: LangMap | None) -> dict[str, str]:
    return {tag.lower(): text for tag, text in (mapping or {}).items()}


def _primary_name(name: LangMap) -> str:
    """The one body name CSV carries: English if there is one, else the first by tag."""
    if not name:
        return ""
    lowered = _lower_keys(name)
    if "en" in lowered:
        return lowered["en"]
    return name[min(name, key=_lang_order)]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _lang_maps(spec: MicroCredentialSpec) -> Iterator[tuple[str, LangMap]]:
    """Every multilingual text of a spec with its base column (outcomes once per outcome)."""
    level, assessment, stackability = spec.level, spec.assessment, spec.stackability
    yield "title", spec.title
    yield "description", spec.description or {}
    yield "national_level", (level.national if level else None) or {}
    yield "assessment_description", (assessment.description if assessment else None) or {}
    yield "prerequisites", spec.prerequisites or {}
    yield "grade_scheme", spec.grade_scheme or {}
    yield "stackability_towards", (stackability.towards if stackability else None) or {}
    yield "further_information", spec.further_information or {}
    for outcome in spec.learning_outcomes:
        yield "learning_outcomes", outcome.text


def _texts(spec: MicroCredentialSpec) -> dict[str, dict[str, str]]:
    """Multilingual cells of one spec: base column -> lowercased tag -> cell."""
    out: dict[str, dict[str, str]] = {}
    outcome_texts: list[dict[str, str]] = []
    for base, mapping in _lang_maps(spec):
        if base == "learning_outcomes":
            outcome_texts.append(_lower_keys(mapping))
        else:
            out[base] = _lower_keys(mapping)
    tags = {tag for text in outcome_texts for tag in text}
    out["learning_outcomes"] = {
        tag: cell for tag in tags if (cell := join_entries(text.get(tag) for text in outcome_texts))
    }
    return out


def _plain(spec: MicroCredentialSpec) -> dict[str, str]:
    bodies = spec.awarding_bodies
    outcomes = spec.learning_outcomes
    qa = spec.quality_assurance
    workload, level = spec.workload, spec.level
    participation, assessment = spec.participation, spec.assessment
    scheduled = participation.scheduled if participation else None
    return {
        "id": spec.id or "",
        "issuer_countries": join_entries(spec.issuer_countries),
        "issuer_regions": join_entries(spec.issuer_regions),
        "awarding_body_names": join_entries(_primary_name(b.name) for b in bodies),
        "awarding_body_ids": join_entries(b.id for b in bodies),
        "awarding_body_countries": join_entries(b.country for b in bodies),
        "learning_outcome_esco": join_entries(o.esco_skill for o in outcomes),
        "ects": _number(workload.ects if workload else None),
        "hours": _number(workload.hours if workload else None),
        "eqf_level": str(level.eqf) if level and level.eqf is not None else "",
        "qf_ehea_cycle": (level.qf_ehea if level else None) or "",
        "assessment_types": join_entries(assessment.types if assessment else []),
        "participation_mode": (participation.mode if participation else None) or "",
        "participation_scheduled": {True: "yes", False: "no", None: ""}[scheduled],
        "qa_types": join_entries(q.type for q in qa),
        "qa_agencies": join_entries(q.agency for q in qa),
        "supervision": spec.supervision or "",
        "stackability": (spec.stackability.option if spec.stackability else None) or "",
        "fields_of_study": join_entries(spec.fields_of_study),
        "languages": join_entries(spec.languages),
        "duration": spec.duration or "",
        "learning_setting": spec.learning_setting or "",
        "url": spec.url or "",
    }


def write_csv(specs: Iterable[MicroCredentialSpec], out: TextIO, *, bom: bool = False) -> None:
    """Write specifications as CSV, one row each, in the format :func:`read_csv` reads.

    Every base column is written; a multilingual column is written once per language that
    some spec uses, English first, then alphabetically, so the same catalogue always gives
    the same header. Tags differing only in case share a column (BCP 47 ignores case). The
    specs are held in memory because the header depends on all of them. ``out`` should be
    opened with ``newline=""``; ``bom=True`` writes a byte-order mark, which some spreadsheet
    programs need to recognise UTF-8. Elements CSV cannot carry (see ``docs/csv-format.md``)
    are left out. A cell a spreadsheet would run as a formula is written with a leading
    ``'`` (:mod:`~microcred.standard.csv_safety`), which :func:`read_csv` removes again.
    """
    items = list(specs)
    texts = [_texts(spec) for spec in items]
    spelling: dict[str, dict[str, str]] = {base: {} for base in MULTILINGUAL_COLUMNS}
    for spec in items:  # a tag's first spelling names its column
        for base, mapping in _lang_maps(spec):
            for tag in mapping:
                spelling[base].setdefault(tag.lower(), tag)
    used: dict[str, set[str]] = {base: set() for base in MULTILINGUAL_COLUMNS}
    for cells in texts:
        for base, by_tag in cells.items():
            used[base].update(tag for tag, cell in by_tag.items() if cell)
    header: list[tuple[str, str | None]] = []
    for base in CSV_COLUMNS:
        if base in MULTILINGUAL_COLUMNS:
            header.extend((base, tag) for tag in sorted(used[base], key=_lang_order))
        else:
            header.append((base, None))
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, dialect="excel")
    writer.writerow(
        base if tag is None else f"{base}@{spelling[base][tag]}" for base, tag in header
    )
    for spec, cells in zip(items, texts, strict=True):
        plain = _plain(spec)
        writer.writerow(
            escape_cell(plain[base] if tag is None else cells[base].get(tag, ""))
            for base, tag in header
        )
