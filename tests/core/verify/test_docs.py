"""docs/verification.md documents every check code and every reason the pipeline emits."""

from __future__ import annotations

import re
from pathlib import Path

from microcred.verify import CHECK_ORDER

REPO = Path(__file__).resolve().parents[3]
DOC = (REPO / "docs" / "verification.md").read_text(encoding="utf-8")
SOURCES = [
    *sorted((REPO / "src" / "microcred" / "verify").glob("*.py")),
    REPO / "src" / "microcred" / "credentials" / "did_web.py",
    *sorted((REPO / "src" / "microcred" / "net").glob("*.py")),
]
#: ``error(CODE, "reason", ...)``, ``warning(...)``, ``KeyStateError("reason", ...)`` and the
#: foreign-fetch codes, ``FetchError("code", ...)`` and ``ForeignDidError("code", ...)``.
_EMITTED = re.compile(
    r'(?:error|warning|KeyStateError|FetchError|ForeignDidError)\(\s*(?:[A-Za-z0-9_]+,\s*)?"([a-z0-9-]+)"'
)


def test_every_check_code_has_a_section() -> None:
    for code in CHECK_ORDER:
        assert f"### `{code}`" in DOC, code


def test_every_reason_is_documented() -> None:
    reasons = {
        reason for path in SOURCES for reason in _EMITTED.findall(path.read_text(encoding="utf-8"))
    }
    assert {"key-revoked", "status-list-unavailable", "not-json", "fetch-timeout"} <= reasons
    missing = sorted(reason for reason in reasons if f"`{reason}`" not in DOC)
    assert not missing, missing
