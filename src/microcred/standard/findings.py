"""Findings: what validation says about a record.

Errors (reject) are kept apart from warnings (accept and flag), and every finding carries a
short stable code, the path of the element at fault and a plain message, so that a submitter
(person or program) can act on it. The code list is part of the public contract: codes are
added, never renamed or reused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeInfo:
    severity: Severity
    summary: str


#: Every finding code validation may emit, with its severity and a one-line summary.
CODES: dict[str, CodeInfo] = {
    "missing-element": CodeInfo(Severity.ERROR, "A mandatory Annex I element is missing."),
    "missing-level": CodeInfo(
        Severity.WARNING, "No EQF level or QF-EHEA cycle (Annex I: 'if applicable')."
    ),
    "unknown-code": CodeInfo(Severity.ERROR, "A code is not in its controlled vocabulary."),
    "invalid-value": CodeInfo(Severity.ERROR, "A value has the wrong type or form."),
    "unknown-element": CodeInfo(Severity.ERROR, "The record holds an element the model lacks."),
    "level-cycle-mismatch": CodeInfo(
        Severity.ERROR, "The EQF level contradicts the QF-EHEA cycle."
    ),
    "workload-not-positive": CodeInfo(Severity.ERROR, "Workload is zero or negative."),
    "workload-not-micro": CodeInfo(
        Severity.WARNING, "Workload at or above 60 ECTS: outside the micro-credential range."
    ),
    "workload-hours-mismatch": CodeInfo(
        Severity.WARNING, "ECTS and hours disagree with 25-30 hours per ECTS."
    ),
    "empty-outcome": CodeInfo(Severity.ERROR, "A learning outcome has no text."),
    "empty-text": CodeInfo(Severity.ERROR, "A multilingual text is present but empty."),
    "invalid-language-tag": CodeInfo(Severity.ERROR, "A language tag is not valid BCP 47."),
    "invalid-uri": CodeInfo(Severity.ERROR, "A value that must be an absolute URI is not one."),
    "no-english": CodeInfo(
        Severity.WARNING, "A text has no English version; the catalogue falls back to it."
    ),
    "duplicate-value": CodeInfo(Severity.WARNING, "A list holds the same value twice."),
    "csv-formula": CodeInfo(
        Severity.WARNING,
        "A CSV cell begins with =, +, -, @, tab or CR: a spreadsheet may run it as a formula.",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One thing validation found, pinned to an element path such as ``workload.ects``."""

    code: str
    path: str
    message: str
    suggestions: tuple[str, ...] = ()

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "message": self.message,
        }
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        return out


@dataclass
class Report:
    """The findings for one record."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, path: str, message: str, suggestions: Iterable[str] = ()) -> None:
        if code not in CODES:  # a programming error, not a data error
            raise KeyError(f"unregistered finding code {code!r}")
        self.findings.append(Finding(code, path, message, tuple(suggestions)))

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when the record may be accepted (warnings do not block)."""
        return not self.errors

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


def codes_markdown() -> str:
    """The table of finding codes published in ``docs/findings.md`` (a test keeps it current)."""
    lines = [
        "# Finding codes",
        "",
        "Validation reports each problem with one of these stable codes. An **error** rejects the",
        "record; a **warning** accepts it and flags the element. Codes are added, never renamed.",
        "",
        "| code | severity | meaning |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{code}` | {info.severity.value} | {info.summary} |" for code, info in CODES.items()
    ]
    return "\n".join(lines) + "\n"
