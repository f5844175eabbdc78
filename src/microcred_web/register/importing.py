"""Bulk import of specifications, providers, agencies and QA results.

One function for the ``microcred import`` command and the API upload, so both give the same
answer: a report per row (``created`` / ``updated`` / ``unchanged`` / ``rejected`` with
findings). Why each row is its own transaction: one bad row in a catalogue of thousands must
not undo the good ones, and a run stopped halfway (crash, Ctrl-C, a full disk) leaves every
finished row in place. Because every write is idempotent on a natural key ((provider, local
id) for specifications, slugs for providers and agencies, (agency, local id) for QA results),
running the same file again simply resumes: finished rows come back ``unchanged``.

Specifications are read by the core readers (JSON, the flat CSV, ELM JSON-LD). Providers,
agencies and QA results use the JSON and CSV shapes in ``docs/import-export.md``, which are the
shapes the open-data export writes.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import functools
import io
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction

from microcred.standard.csv_safety import formula_message, is_formula, unescape_cell
from microcred.standard.json_format import spec_to_dict
from microcred.standard.readers import MAX_INPUT_BYTES, ReadError, load_json, read_bytes
from microcred_web.issuing import audit
from microcred_web.register import records
from microcred_web.register.models import Provider
from microcred_web.register.permissions import PermissionDenied
from microcred_web.register.services import save_specification

logger = logging.getLogger("microcred_web.register.importing")

KINDS = ("specifications", "providers", "agencies", "qa-results")
#: Called with (rows done, rows in the file) after every row; may raise to stop the run.
Progress = Callable[[int, int], None]
#: Called with (the row's place in the file from 1, its report) inside the row's transaction.
OnRow = Callable[[int, "RowReport"], None]

_SAVERS: dict[str, Callable[..., records.RecordOutcome]] = {
    "providers": records.save_provider,
    "agencies": records.save_agency,
    "qa-results": records.save_qa_result,
}
_JSON_KEYS = {"providers": "providers", "agencies": "agencies", "qa-results": "qa_results"}
_SHAPES: dict[str, type[Any]] = {
    "providers": records.ProviderIn,
    "agencies": records.AgencyIn,
    "qa-results": records.QAResultIn,
}
_LANGMAP_FIELDS = {"legal_name", "display_name", "name"}
_LIST_FIELDS = {"countries", "activities", "providers", "covered_specifications"}
_BOOL_FIELDS = {"covers_microcredentials"}
#: Columns the export writes that are computed, not stored: accepted and ignored on import.
_READ_ONLY_COLUMNS = {
    "public_id",
    "quality_assured",
    "qa_standing",
    # A QA result's state today (exporting.qa_result_dict); withdrawing is its own action.
    "state",
    "superseded_by",
    "withdrawn_at",
    "withdrawn_reason",
}
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, wrong kind, unknown column)."""


@dataclass(frozen=True)
class RowReport:
    row: str
    key: str
    outcome: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    public_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "key": self.key,
            "outcome": self.outcome,
            "public_id": self.public_id,
            "findings": self.findings,
        }


@dataclass
class ImportReport:
    kind: str
    rows: list[RowReport] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("created", "updated", "unchanged", "rejected"), 0)
        for row in self.rows:
            out[row.outcome] += 1
        return out

    @property
    def ok(self) -> bool:
        return all(row.outcome != "rejected" for row in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "counts": self.counts,
            "rows": [row.as_dict() for row in self.rows],
        }


def import_path(path: str | Path, **options: Any) -> ImportReport:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ImportFileError(f"{p.name} is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"no such file: {p}") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {p}: {exc.strerror or exc}") from None
    return import_bytes(data, name=p.name, **options)


def import_bytes(
    data: bytes,
    *,
    kind: str,
    user: Any,
    name: str = "<input>",
    provider: Provider | None = None,
    status: str | None = None,
    progress: Progress | None = None,
    on_row: OnRow | None = None,
    skip: Mapping[int, str | None] | None = None,
) -> ImportReport:
    """Import every row of ``data``; rows that fail are reported, the others still imported.

    ``provider`` owns the specifications (needed for that kind only); ``status`` (``draft``
    or ``published``) is applied to imported specifications. An exception raised by
    ``progress`` stops the run after the rows already finished, which stay imported.

    For a background job (``microcred_web.tasks``): ``on_row`` is called inside each row's
    transaction, so what it writes (the job's report row) commits with the row or not at
    all; ``skip`` maps the places of rows a stopped earlier run finished to their public ids.
    Those rows are not run again (their keys still count for ``duplicate-key``), and their
    records are noted for the search index, which the stopped run may not have reached.
    """
    rows = read_rows(data, kind=kind, user=user, name=name, provider=provider, status=status)
    report = ImportReport(kind)
    total = len(rows)
    if progress is not None:
        progress(0, total)
    first_use: dict[str, str] = {}
    finished = False
    door = audit.current_interface()
    try:
        with _catalogue_batch(), audit.interface("import"):
            for done, (label, key, work) in enumerate(rows, start=1):
                earlier = first_use.setdefault(key, label) if _is_key(key) else label
                if skip is not None and done in skip:
                    _reindex_again(kind, skip[done])
                elif earlier != label:
                    row = _duplicate(label, key, earlier)
                    if on_row is not None:
                        on_row(done, row)
                    report.rows.append(row)
                else:
                    after = functools.partial(on_row, done) if on_row is not None else None
                    report.rows.append(_run_row(label, key, work, after))
                if progress is not None:
                    progress(done, total)
        finished = True
    finally:
        _audit_run(user, report, name, provider, total, finished, door)
    return report


def read_rows(
    data: bytes,
    *,
    kind: str,
    user: Any,
    name: str = "<input>",
    provider: Provider | None = None,
    status: str | None = None,
) -> list[tuple[str, str, Work]]:
    """The rows of ``data`` (label, natural key, the work), or :class:`ImportFileError`.

    Nothing is written: a caller may read a file to count its rows or to refuse it whole
    before queueing it (``tasks.services.start_import``).
    """
    if kind not in KINDS:
        raise ImportFileError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    if kind == "specifications":
        if provider is None:
            raise ImportFileError("importing specifications needs the provider that owns them")
        return _specification_rows(data, name, user, provider, status)
    return _record_rows(data, name, kind, user)


def _audit_run(
    user: Any,
    report: ImportReport,
    name: str,
    provider: Provider | None,
    total: int,
    finished: bool,
    door: str,
) -> None:
    """One row per import run: who, which kind, which file, the counts; each record written
    has its own row too (interface ``import``). A run stopped by an error is recorded as not
    finished if the database still takes it."""
    details = {
        "kind": report.kind,
        "file": name[:200],
        "provider": provider.slug if provider is not None else None,
        "rows": total,
        "done": len(report.rows),
        "finished": finished,
        **report.counts,
    }
    try:
        audit.record_event(user, "import", f"{report.kind} {name}", details=details, interface=door)
    except DatabaseError:
        if finished:
            raise
        logger.exception("the audit row of a stopped import could not be written")


def _is_key(key: str) -> bool:
    """A complete natural key (a QA result needs both its agency and its local id)."""
    return bool(key) and not key.startswith("/") and not key.endswith("/")


def _duplicate(label: str, key: str, earlier: str) -> RowReport:
    """A later row with a key an earlier row of the same file used: rejected, not merged.

    Why not "last row wins": the earlier row's values would be overwritten without anyone
    deciding so, and the report would claim both rows were stored. Rejecting the later rows
    keeps the import idempotent (a re-run rejects them again and changes nothing).
    """
    message = f"{key} is already used by {earlier} of this file; only the first row is imported"
    return RowReport(label, key, "rejected", [records.finding("duplicate-key", "", message)])


Work = Callable[[], RowReport]


def _run_row(
    label: str, key: str, work: Work, after: Callable[[RowReport], None] | None = None
) -> RowReport:
    try:
        with transaction.atomic():
            row = work()
            if after is not None:
                after(row)
            return row
    except PermissionDenied as exc:
        row = RowReport(label, key, "rejected", [records.finding("forbidden", "", str(exc))])
    except Exception:  # one broken row must not stop the file; the log has the details
        logger.exception("import of %s failed", label)
        message = "this row could not be stored (server error); the rest of the file was imported"
        row = RowReport(label, key, "rejected", [records.finding("internal-error", "", message)])
    if after is not None:  # rolled back with the row: recorded on its own
        after(row)
    return row


# --- specifications -------------------------------------------------------------------------


def _specification_rows(
    data: bytes, name: str, user: Any, provider: Provider, status: str | None
) -> list[tuple[str, str, Work]]:
    try:
        items = list(read_bytes(data, name=name))
    except ReadError as exc:
        raise ImportFileError(str(exc)) from None
    rows: list[tuple[str, str, Work]] = []
    for record in items:
        key = (record.spec.id or "") if record.spec is not None else ""

        def work(record: Any = record, key: str = key) -> RowReport:
            if record.spec is None:
                findings = [f.as_dict() for f in record.report]
                return RowReport(record.label, key, "rejected", findings)
            saved = save_specification(user, provider, spec_to_dict(record.spec), status=status)
            findings = list(saved.findings)
            if record.kind == "specification":  # CSV cell problems the re-parse cannot see
                findings += [f for f in (x.as_dict() for x in record.report) if f not in findings]
            spec = saved.specification
            if saved.outcome == "unchanged" and spec is not None:
                _reindex("specifications", spec)
            return RowReport(
                record.label, key, saved.outcome, findings, spec.public_id if spec else None
            )

        rows.append((record.label, key, work))
    return rows


# --- providers, agencies, QA results ---------------------------------------------------------


def _record_rows(data: bytes, name: str, kind: str, user: Any) -> list[tuple[str, str, Work]]:
    items = list(_read_records(data, name, kind))
    save = _SAVERS[kind]
    rows: list[tuple[str, str, Work]] = []
    for label, item, warnings in items:
        key = _natural_key(kind, item)

        def work(
            label: str = label,
            key: str = key,
            item: dict[str, Any] = item,
            warnings: list[dict[str, Any]] = warnings,
        ) -> RowReport:
            outcome = save(user, item)
            obj = outcome.record
            if outcome.outcome == "unchanged" and obj is not None:
                _reindex(kind, obj)
            public_id = getattr(obj, "public_id", None) if outcome.ok else None
            return RowReport(label, key, outcome.outcome, outcome.findings + warnings, public_id)

        rows.append((label, key, work))
    return rows


def _natural_key(kind: str, item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    if kind == "qa-results":
        return f"{item.get('agency', '')}/{item.get('local_id', '')}"
    return str(item.get("slug", ""))


#: A record read from a file: its label, the JSON shape, and warnings about the file's cells.
_Read = tuple[str, Any, list[dict[str, Any]]]


def _read_records(data: bytes, name: str, kind: str) -> Iterator[_Read]:
    if len(data) > MAX_INPUT_BYTES:
        raise ImportFileError(f"{name} is {len(data):,} bytes; the limit is {MAX_INPUT_BYTES:,}")
    if not data.strip():
        raise ImportFileError(f"{name} is empty")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return _json_records(data, name, kind)
    return _csv_records(data, name, kind)


def _json_records(data: bytes, name: str, kind: str) -> Iterator[_Read]:
    try:
        value = load_json(data, name)
    except ReadError as exc:
        raise ImportFileError(str(exc)) from None
    key = _JSON_KEYS[kind]
    if isinstance(value, dict) and key in value:
        value = value[key]
        if not isinstance(value, list):
            raise ImportFileError(f"{name}: '{key}' must be an array")
    elif isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ImportFileError(f"{name}: expected a JSON object or array")
    for i, item in enumerate(value, start=1):
        if isinstance(item, dict):
            item = {k: v for k, v in item.items() if k not in _READ_ONLY_COLUMNS}
        yield f"{name}#{i}", item, []


def _csv_records(data: bytes, name: str, kind: str) -> Iterator[_Read]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    known = set(_SHAPES[kind].model_fields)
    for column in header:
        base = column.partition("@")[0]
        if column in _READ_ONLY_COLUMNS or (
            base in known and (("@" in column) == (base in _LANGMAP_FIELDS))
        ):
            continue
        hint = difflib.get_close_matches(base, sorted(known), n=1)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ImportFileError(f"{name}: unknown column {column!r} for {kind}{tip}")
    rows: list[_Read] = []
    # Rows are numbered as a spreadsheet does (header = row 1), not by line: a quoted cell
    # may span several lines.
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        label = f"{name}:row {number}"
        if len(cells) > len(header):
            rows.append((label, {"__extra__": "more cells than columns"}, []))
            continue
        row = dict(zip(header, cells, strict=False))
        rows.append((label, _row_to_record(row), _formula_warnings(row, number)))
    return iter(rows)


def _formula_warnings(row: dict[str, str], line: int) -> list[dict[str, Any]]:
    """``csv-formula`` warnings for the cells a spreadsheet would run (kept as text)."""
    out = []
    for column, raw in row.items():
        if column in _READ_ONLY_COLUMNS or not (is_formula(raw) or is_formula(raw.strip())):
            continue
        name, _, tag = column.partition("@")
        listed = name in _LIST_FIELDS or name == "relations"
        path = f"{name}.{tag}" if tag else f"{name}.0" if listed else name
        message = formula_message(f"row {line}, column {column}", raw)
        out.append(records.finding("csv-formula", path, message, "warning"))
    return out


def _row_to_record(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as the JSON shape; an empty cell means "not given" (left as it is).

    A leading ``'`` that the export added to neutralise a formula is removed again.
    """
    out: dict[str, Any] = {}
    for column, raw in row.items():
        cell = unescape_cell(raw.strip())
        if not cell or column in _READ_ONLY_COLUMNS:
            continue
        name, _, tag = column.partition("@")
        if tag:
            out.setdefault(name, {})[tag] = cell
        elif name == "relations":
            out[name] = [_relation(entry) for entry in _split(cell)]
        elif name in _LIST_FIELDS:
            out[name] = _split(cell)
        elif name in _BOOL_FIELDS:
            lowered = cell.lower()
            out[name] = True if lowered in _TRUE else False if lowered in _FALSE else cell
        else:
            out[name] = cell
    return out


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _relation(entry: str) -> dict[str, str]:
    kind, _, rest = entry.partition(":")
    target, _, label = rest.partition(":")
    return {"kind": kind.strip(), "target": target.strip(), "label": label.strip()}


def _reindex(kind: str, obj: Any) -> None:
    """Note, for the file's one index commit, the catalogue entries a row found unchanged shows.

    Why: the index is updated once at the end of the file (:func:`_catalogue_batch`), so a run
    killed half way leaves rows committed in the database but not yet in the index, and the
    re-run finds them unchanged. Noting them again makes the re-run repair the index; it costs
    one more index write of entries that are already right when nothing was interrupted.
    """
    try:
        from microcred_web.catalogue import services
    except ImportError:
        return
    if kind == "specifications":
        services.specification_changed(obj)
    elif kind == "providers":
        services.reindex_provider(obj)
    else:
        affected = (
            obj.providers.all()
            if kind == "qa-results"
            else Provider.objects.filter(qa_results__agency=obj).distinct()
        )
        for provider in affected:
            services.reindex_provider(provider)


def _reindex_again(kind: str, public_id: str | None) -> None:
    """Note a row finished by an earlier run of the same job for the index (see ``skip``)."""
    if not public_id:
        return
    from microcred_web.register.models import Agency, QAResult, Specification

    model: Any = {
        "specifications": Specification,
        "providers": Provider,
        "agencies": Agency,
        "qa-results": QAResult,
    }[kind]
    obj = model.objects.filter(public_id=public_id).first()
    if obj is not None:
        _reindex(kind, obj)


def _catalogue_batch() -> contextlib.AbstractContextManager[None]:
    """Collect index updates into one commit per file when the catalogue app is there."""
    try:
        from microcred_web.catalogue import services
    except ImportError:
        return contextlib.nullcontext()
    batch = getattr(services, "batch", None)
    return batch() if batch is not None else contextlib.nullcontext()
