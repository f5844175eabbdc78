"""axe-core in the browser tests: fail on any serious or critical accessibility violation.

Call :func:`assert_accessible` on a Playwright page once it shows what the test wants checked
(after ``goto``, after a form was sent): ``assert_accessible(page)``, or
``assert_accessible(page, context="main")`` for a part of the page. The failure lists each
violation with its rule id, impact, help text, link and the selectors of the offending nodes.

axe-core comes from npm at the version pinned by ``tests/web/axe/package-lock.json``
(``make test`` runs ``npm ci`` there; by hand: ``cd tests/web/axe && npm ci``). It is injected
with ``page.evaluate`` of ``axe.min.js``'s text, not ``page.add_script_tag``: the site's CSP
(``script-src 'self'``, docs/security.md) refuses the inline ``<script>`` element that
``add_script_tag`` writes, and a context with ``bypass_csp=True`` would switch the policy off
for the whole test, hiding the very violations ``tests/web/security/test_browser_csp.py``
looks for. ``page.evaluate`` runs through the DevTools protocol, which the page's CSP does not
govern, and axe itself needs neither ``eval`` nor inline styles.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
#: Impacts that fail a test. "moderate" and "minor" are reported by axe but tolerated.
FAILING_IMPACTS = ("serious", "critical")


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"axe-core is not installed ({AXE_SCRIPT} missing): run `make test` "
            "or `cd tests/web/axe && npm ci --ignore-scripts`",
            pytrace=False,
        )
    wanted = json.loads((AXE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    version = wanted["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE_SCRIPT.parent / "package.json").read_text(encoding="utf-8"))
    if installed.get("version") != version:
        pytest.fail(
            f"axe-core {installed.get('version')} is installed, the lock wants {version}: "
            "run `cd tests/web/axe && npm ci --ignore-scripts`",
            pytrace=False,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page, *, context: str | None = None) -> list[dict[str, Any]]:
    """axe's violations on ``page`` (all impacts), injecting axe-core first when needed."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(
        """async (context) => {
          const result = await window.axe.run(context ?? document, {resultTypes: ['violations']});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            targets: v.nodes.map(n => n.target.join(' ')),
            summaries: v.nodes.map(n => n.failureSummary || ''),
          }));
        }""",
        context,
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for target, summary in zip(v["targets"], v["summaries"], strict=True):
            first = summary.splitlines()[1].strip() if summary.count("\n") else summary
            lines.append(f"    {target}: {first}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, context: str | None = None) -> None:
    """Fail with every serious or critical axe violation on ``page`` (or its ``context``,
    a CSS selector)."""
    failing = [v for v in axe_violations(page, context=context) if v["impact"] in FAILING_IMPACTS]
    if failing:
        pytest.fail(
            f"axe-core: {len(failing)} serious/critical accessibility violation(s) on "
            f"{page.url}:\n{describe(failing)}",
            pytrace=False,
        )
