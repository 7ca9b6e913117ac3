"""axe-core in the end-to-end tests: the npm package (frontend devDependency) is evaluated into the
page through DevTools, so the console's CSP does not stand in its way, then run against the WCAG 2.1
A and AA rules. Serious and critical violations fail; every finding is written to
test-artifacts/e2e/axe-<screen>.json."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from playwright.sync_api import Page

from app.config import REPO_ROOT
from tests.e2e.pages import ARTIFACTS

AXE_JS = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));
}"""


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, screen: str) -> list[dict[str, Any]]:
    """Every violation axe finds on the page as it stands; saved under the screen's name."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{screen}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    return violations


def assert_accessible(page: Page, screen: str) -> None:
    """No serious or critical axe violation on the page."""
    bad = [v for v in axe_violations(page, screen) if v["impact"] in FAILING]
    lines = [f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in bad]
    assert not bad, f"axe on {screen}:\n" + "\n".join(lines)
