"""Templates hold no inline script, style element or style attribute: the CSP refuses them."""

from __future__ import annotations

import re
from pathlib import Path

import microcred_web

TEMPLATES = Path(microcred_web.__file__).parent / "templates"
INLINE = re.compile(r"<script|<style|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_no_template_has_inline_code() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []
    assert len(list(TEMPLATES.rglob("*.html"))) > 10  # the folder really is the templates'
