"""JSON as RFC 8259 defines it, for every document that comes from outside.

Python's ``json`` module accepts more than JSON: the constants ``NaN``, ``Infinity`` and
``-Infinity``, and numbers such as ``1e999999`` that overflow to ``inf``. None of those can be
written back as JSON, canonicalised (JCS, RDF) or compared, so a credential or record holding
one would be read here and refused, or worse read differently, everywhere else. They are
refused at the parser with the position of the value.

Why not ``parse_float``: a Python callback for every number would slow down the verification
path, which is benchmarked. The C parser does the work as before; only non-finite floats
(found with a cheap type check on the walk the caller already makes for depth) and the rare
failures pay for locating the culprit.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

#: Python refuses to convert integers with more digits than this (``sys.int_info``).
_INT_DIGITS = 4300
#: In a JSON text that parsed up to a point, these tokens cover everything outside strings
#: that holds digits or letters; strings are matched whole so their content is skipped.
_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?'
)


class NotJsonError(ValueError):
    """What was read is not JSON; ``message`` says what and where (line and column)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _refuse_constant(name: str) -> Any:
    raise NotJsonError(f"{name} is not a JSON value")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def loads(text: str, *, check_numbers: bool = True) -> Any:
    """Parse ``text`` as strict JSON.

    Raises ``json.JSONDecodeError`` for syntax errors (with its position), ``RecursionError``
    for absurd nesting (the caller reports its limit), and :class:`NotJsonError` for values
    that Python accepts but JSON does not, naming the first one and its position. A caller
    that walks the value anyway passes ``check_numbers=False`` and tests each number with
    :func:`is_bad_number` on its own walk.
    """
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # NaN / Infinity, or an integer too long for int()
        raise locate(text) from None
    if check_numbers and not all_finite(value):
        raise locate(text)
    return value


def all_finite(value: Any) -> bool:
    """True when no float in ``value`` is infinite or NaN (walked without recursion)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif is_bad_number(node):
            return False
    return True


def is_bad_number(value: object) -> bool:
    """True for a float JSON cannot hold (the overflow of ``1e999999``)."""
    return isinstance(value, float) and not math.isfinite(value)


def locate(text: str) -> NotJsonError:
    """The first value of ``text`` that is not JSON, with its line and column."""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        problem = _number_problem(token)
        if problem is not None:
            start = match.start()
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return NotJsonError(f"{problem} at line {line}, column {column}", line, column)
    return NotJsonError("a number that JSON cannot carry")


def _number_problem(token: str) -> str | None:
    if token in ("NaN", "Infinity", "-Infinity"):
        return f"{token} is not a JSON value"
    shown = token if len(token) <= 24 else token[:20] + "…"
    if "." in token or "e" in token or "E" in token:
        if not math.isfinite(float(token)):
            return f"the number {shown} is out of range (JSON numbers are finite)"
        return None
    if len(token.lstrip("-")) > _INT_DIGITS:
        return f"the integer {shown} has {len(token.lstrip('-')):,} digits; the limit is 4,300"
    return None
