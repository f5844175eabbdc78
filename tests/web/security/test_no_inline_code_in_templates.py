"""Templates hold no inline script, style element or style attribute: the CSP refuses them.

Allowed: a script element that only loads a static file (``<script src=...></script>``, no
body). Not even JSON-LD data blocks: the share page links its schema.org document instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import microcred_web

TEMPLATES = Path(microcred_web.__file__).parent / "templates"
INLINE = re.compile(r"<script|<style|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
ALLOWED_SCRIPT = re.compile(r"<script src=\"\{% static '[^']+' %\}\"(?: defer)?></script>")


def _inline(line: str) -> bool:
    return bool(INLINE.search(ALLOWED_SCRIPT.sub("", line)))


def test_no_template_has_inline_code() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _inline(line)
    ]
    assert found == []
    assert len(list(TEMPLATES.rglob("*.html"))) > 10  # the folder really is the templates'


def test_only_static_scripts_pass() -> None:
    assert not _inline("<script src=\"{% static 'wallet/share.js' %}\" defer></script>")
    assert _inline('<script type="application/ld+json">{{ meta.json_ld }}</script>')
    assert _inline("<script src=\"{% static 'a.js' %}\">alert(1)</script>")
    assert _inline("<script>alert(1)</script>")
    assert _inline('<script type="application/ld+json">{"a": 1}</script><script>x</script>')
