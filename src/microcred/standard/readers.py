"""Reading records from files in any supported format, with limits for hostile input.

One entry point for the CLI, the import command and the web upload, so that they all accept
the same formats and answer bad files with the same clear messages:

- our own JSON: one specification object, an array of them, ``{"specifications": [...]}``,
  or an issued credential (an object with ``specification``), see ``docs/json-format.md``;
- the flat CSV of :mod:`microcred.standard.csv_format`;
- European Learning Model v3 / EDC JSON-LD credentials (:mod:`microcred.standard.elm`).

A file that cannot be read at all raises :class:`ReadError` with the reason; problems inside a
record become findings of that record.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from microcred.standard import strict_json
from microcred.standard.csv_format import CsvFormatError, read_csv
from microcred.standard.elm import ElmError, is_elm, read_elm
from microcred.standard.findings import Report
from microcred.standard.model import IssuedCredential, MicroCredentialSpec
from microcred.standard.validation import (
    parse_credential,
    parse_spec,
    validate_credential,
    validate_spec,
)

#: Largest input accepted, in bytes. The official ELM samples are ~0.5 MB; bulk CSV files of
#: 100,000 specifications stay well under this.
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Deepest JSON nesting accepted. ELM credentials nest about 12 levels; far deeper input is
#: either broken or an attack on the parser.
MAX_JSON_DEPTH = 64

Format = Literal["json", "csv", "elm"]


class ReadError(ValueError):
    """The input as a whole cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class Record:
    """One record read from an input, with its own findings."""

    label: str
    kind: Literal["specification", "credential"]
    spec: MicroCredentialSpec | None
    credential: IssuedCredential | None
    report: Report

    @property
    def title(self) -> str:
        spec = self.spec
        if spec is None or not spec.title:
            return ""
        return spec.title.get("en") or next(iter(spec.title.values()), "")


def read_path(path: str | Path) -> Iterator[Record]:
    """Read a file; ``-`` is not handled here (the CLI reads standard input itself)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ReadError(f"{p.name} is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"no such file: {p}") from None
    except IsADirectoryError:
        raise ReadError(f"{p} is a folder, not a file") from None
    except PermissionError:
        raise ReadError(f"not allowed to read {p}") from None
    except OSError as exc:
        raise ReadError(f"cannot read {p}: {exc.strerror or exc}") from None
    return read_bytes(data, name=p.name, fmt=_format_from_name(p.name))


def read_bytes(data: bytes, name: str = "<input>", fmt: Format | None = None) -> Iterator[Record]:
    """Read records from bytes; the format is sniffed when not given."""
    if len(data) > MAX_INPUT_BYTES:
        raise ReadError(f"{name} is {len(data):,} bytes; the limit is {MAX_INPUT_BYTES:,}")
    if not data.strip():
        raise ReadError(f"{name} is empty")
    if fmt is None:
        fmt = "json" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else "csv"
    if fmt == "csv":
        return _read_csv(data, name)
    return _read_json(data, name)


def load_json(data: bytes, name: str = "<input>") -> Any:
    """Parse JSON safely: UTF-8 only, strict (no ``NaN``, ``Infinity`` or numbers that
    overflow), bounded size and depth, messages fit for people."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{name} is not UTF-8 text (byte {exc.start} is 0x{data[exc.start]:02x}); "
            "save it as UTF-8"
        ) from None
    try:
        value = strict_json.loads(text, check_numbers=False)
    except strict_json.NotJsonError as exc:
        raise ReadError(f"{name} is not valid JSON: {exc.message}") from None
    except RecursionError:
        raise ReadError(f"{name} is nested too deeply (limit {MAX_JSON_DEPTH} levels)") from None
    except json.JSONDecodeError as exc:
        raise ReadError(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    depth, finite = _walk(value)
    if depth > MAX_JSON_DEPTH:
        raise ReadError(f"{name} is nested {depth} levels deep; the limit is {MAX_JSON_DEPTH}")
    if not finite:
        raise ReadError(f"{name} is not valid JSON: {strict_json.locate(text).message}")
    return value


def _read_json(data: bytes, name: str) -> Iterator[Record]:
    value = load_json(data, name)
    if isinstance(value, Mapping) and is_elm(value):
        return _read_elm(value, name)
    if isinstance(value, Mapping) and "specifications" in value:
        items = value["specifications"]
        if not isinstance(items, list):
            raise ReadError(f"{name}: 'specifications' must be an array")
        return _read_items(items, name)
    if isinstance(value, list):
        return _read_items(value, name)
    if isinstance(value, Mapping):
        return _read_items([value], name)
    raise ReadError(f"{name}: expected a JSON object or array, found {type(value).__name__}")


def _read_items(items: list[Any], name: str) -> Iterator[Record]:
    for i, item in enumerate(items, start=1):
        label = f"{name}#{i}"
        if isinstance(item, Mapping) and "specification" in item:
            cred, report = parse_credential(item)
            spec = cred.specification if cred is not None else None
            yield Record(label, "credential", spec, cred, report)
        else:
            spec, report = parse_spec(item)
            yield Record(label, "specification", spec, None, report)


def _read_elm(document: Mapping[str, Any], name: str) -> Iterator[Record]:
    try:
        credentials = read_elm(document)
    except ElmError as exc:
        raise ReadError(f"{name}: {exc}") from None
    for i, cred in enumerate(credentials, start=1):
        yield Record(
            f"{name}#{i}", "credential", cred.specification, cred, validate_credential(cred)
        )


def _read_csv(data: bytes, name: str) -> Iterator[Record]:
    try:
        records = read_csv(data)
        for rec in records:
            report = Report()
            report.extend(rec.report)
            if rec.spec is not None:
                report.extend(validate_spec(rec.spec))
            yield Record(f"{name}:row {rec.row}", "specification", rec.spec, None, report)
    except CsvFormatError as exc:
        raise ReadError(f"{name}: {exc}") from None


def _format_from_name(name: str) -> Format | None:
    lower = name.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".json", ".jsonld")):
        return "json"
    return None


def _walk(value: Any) -> tuple[int, bool]:
    """Nesting depth, and whether every number is finite (``1e999999`` overflows to inf).

    Computed without recursion so that deep input cannot exhaust the stack; one walk for both
    so that strict numbers cost the verification path nothing but a type check.
    """
    deepest = 0
    finite = True
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in node)
        elif node.__class__ is float and not math.isfinite(node):  # is_bad_number, inlined
            finite = False
    return deepest, finite
