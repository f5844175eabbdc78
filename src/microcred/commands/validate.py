"""``microcred validate FILE...``: check specifications and credentials against Annex I.

Exit status: 0 when no record has an error, 1 when any has, 2 when a file cannot be read or
parsed (the reason is printed; the other files are still checked).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from microcred.standard.findings import Severity
from microcred.standard.readers import MAX_INPUT_BYTES, ReadError, Record, read_bytes, read_path


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check specifications against the Annex I standard (JSON, CSV, ELM JSON-LD)",
        description=(
            "Check micro-credential specifications (our JSON, the flat CSV, or ELM v3 / EDC "
            "JSON-LD credentials) against Annex I of the Council Recommendation. "
            "Exit 0: no errors; 1: some record has an error; 2: a file could not be read."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for stdin")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="print only records that have findings"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    status = 0
    for name in args.files:
        try:
            records = [_record_dict(r) for r in _read(name)]
        except ReadError as exc:
            results.append({"file": name, "error": str(exc)})
            status = 2
            continue
        results.append({"file": name, "records": records})
        if status == 0 and any(not r["ok"] for r in records):
            status = 1
    if args.format == "json":
        _print_json(results, sys.stdout)
    else:
        _print_text(results, sys.stdout, sys.stderr, quiet=args.quiet)
    return status


def _read(name: str) -> list[Record]:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        return list(read_bytes(data, name="<stdin>"))
    return list(read_path(name))


def _record_dict(record: Record) -> dict[str, Any]:
    return {
        "record": record.label,
        "kind": record.kind,
        "title": record.title,
        "ok": record.report.ok,
        "errors": len(record.report.errors),
        "warnings": len(record.report.warnings),
        "findings": [f.as_dict() for f in record.report],
    }


def _print_json(results: list[dict[str, Any]], out: TextIO) -> None:
    records = [r for f in results for r in f.get("records", [])]
    summary = {
        "files": len(results),
        "unreadable": sum(1 for f in results if "error" in f),
        "records": len(records),
        "records_with_errors": sum(1 for r in records if not r["ok"]),
    }
    json.dump({"summary": summary, "files": results}, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _print_text(results: list[dict[str, Any]], out: TextIO, err: TextIO, *, quiet: bool) -> None:
    total = bad = 0
    for result in results:
        if "error" in result:
            print(f"{result['file']}: cannot read: {result['error']}", file=err)
            continue
        for rec in result["records"]:
            total += 1
            bad += 0 if rec["ok"] else 1
            if quiet and not rec["findings"]:
                continue
            title = f" {rec['title']!r}" if rec["title"] else ""
            verdict = "ok" if rec["ok"] else "INVALID"
            print(
                f"{rec['record']}{title}: {verdict} "
                f"({_plural(rec['errors'], 'error')}, {_plural(rec['warnings'], 'warning')})",
                file=out,
            )
            for f in rec["findings"]:
                mark = "error  " if f["severity"] == Severity.ERROR else "warning"
                print(
                    f"  {mark} {f['code']:<24} {f['path'] or '(record)'}: {f['message']}", file=out
                )
    print(f"{_plural(total, 'record')} checked, {bad} with errors", file=out)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
