"""The flat CSV format's columns and its multi-value cells (``docs/csv-format.md``).

Shared by the reader (:mod:`microcred.standard.csv_format`) and the writer
(:mod:`microcred.standard.csv_writer`), so that what one writes the other reads.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CSV_COLUMNS",
    "MULTILINGUAL_COLUMNS",
    "escape_entry",
    "join_entries",
    "split_entries",
]

#: Base column names, in the order the writer emits them. Multilingual columns appear in a
#: file only with a language suffix (``title@en``); the others never take one.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "description",
    "issuer_countries",
    "issuer_regions",
    "awarding_body_names",
    "awarding_body_ids",
    "awarding_body_countries",
    "learning_outcomes",
    "learning_outcome_esco",
    "ects",
    "hours",
    "eqf_level",
    "qf_ehea_cycle",
    "national_level",
    "assessment_types",
    "assessment_description",
    "participation_mode",
    "participation_scheduled",
    "qa_types",
    "qa_agencies",
    "prerequisites",
    "supervision",
    "grade_scheme",
    "stackability",
    "stackability_towards",
    "further_information",
    "fields_of_study",
    "languages",
    "duration",
    "learning_setting",
    "url",
)

#: Columns that hold text in one language and therefore need an ``@<BCP 47 tag>`` suffix.
MULTILINGUAL_COLUMNS: frozenset[str] = frozenset(
    {
        "title",
        "description",
        "learning_outcomes",
        "national_level",
        "assessment_description",
        "prerequisites",
        "grade_scheme",
        "stackability_towards",
        "further_information",
    }
)


def split_entries(cell: str) -> list[str]:
    """Split a ``;``-separated cell, honouring ``\\;`` (literal ';') and ``\\\\`` (literal '\\').

    Any other backslash is kept as typed, so that a hand-written ``C:\\temp`` survives. Entries
    are stripped of surrounding blanks; empty entries are kept, because in aligned lists their
    position carries meaning.
    """
    entries: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(cell):
        ch = cell[i]
        if ch == "\\" and i + 1 < len(cell) and cell[i + 1] in ";\\":
            current.append(cell[i + 1])
            i += 2
            continue
        if ch == ";":
            entries.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    entries.append("".join(current).strip())
    return entries


def escape_entry(entry: str) -> str:
    """Inverse of :func:`split_entries` for one entry."""
    return entry.replace("\\", "\\\\").replace(";", "\\;")


def join_entries(entries: Iterable[str | None]) -> str:
    """Join aligned entries; an all-empty list is written as an empty cell (= absent)."""
    items = [e or "" for e in entries]
    if not any(items):
        return ""
    return ";".join(escape_entry(e) for e in items)
