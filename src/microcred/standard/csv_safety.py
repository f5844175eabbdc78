"""Spreadsheet formula injection: neutralising CSV cells on export, spotting them on import.

Why: open data and bulk files are opened in spreadsheet programs, which run a cell that
begins with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``, ``=CMD|...``), and
a tab or carriage return in front can hide one. OWASP's rule ("CSV Injection") is to prefix
such a cell with ``'``, which every spreadsheet shows as text. Two refinements keep the data
honest (``docs/csv-format.md``):

- a plain number (``-2``, ``+1.5``, ``-3e2``) is left alone in every column: a spreadsheet
  reads it as that same number, so there is nothing to neutralise and negative values in
  numeric columns stay numbers;
- the prefix is reversible: :func:`unescape_cell` removes exactly the ``'`` that
  :func:`escape_cell` added (a value that itself starts with ``'`` before a trigger gets a
  second one), so an export imported again gives back the stored values, character for
  character.

Used by every CSV writer (the flat specification CSV, the register and catalogue tables) and
by both CSV readers, which report a formula-like cell as the warning ``csv-formula``.
"""

from __future__ import annotations

import re

__all__ = [
    "FORMULA_TRIGGERS",
    "escape_cell",
    "formula_message",
    "is_formula",
    "needs_escape",
    "unescape_cell",
]

#: First characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PREFIX = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def is_formula(cell: str) -> bool:
    """True when a spreadsheet could take ``cell`` as a formula (plain numbers are not)."""
    return cell.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(cell)


def needs_escape(value: str) -> bool:
    """True when :func:`escape_cell` must prefix ``value`` (a formula, or an escaped one)."""
    rest = value
    while rest.startswith(_PREFIX):
        rest = rest[1:]
    return is_formula(rest)


def escape_cell(value: str) -> str:
    """The cell to write for ``value``: ``'`` + value when a spreadsheet would run it."""
    return _PREFIX + value if needs_escape(value) else value


def unescape_cell(cell: str) -> str:
    """The value a cell written by :func:`escape_cell` stands for (inverse of it)."""
    if cell.startswith(_PREFIX) and needs_escape(cell[1:]):
        return cell[1:]
    return cell


def formula_message(where: str, raw: str) -> str:
    """The ``csv-formula`` warning for a cell ``raw`` found at ``where`` ("row 3, column x")."""
    shown = raw if len(raw) <= 40 else raw[:37] + "..."
    return (
        f"{where}: {shown!r} begins with {raw.lstrip(' ')[:1]!r}, which a spreadsheet may run "
        "as a formula; it is kept as text (an export writes it with a leading ')"
    )
