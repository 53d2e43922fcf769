"""axe-core (pinned, installed from the npm registry by `make axe`), injected into a page in a
real Chromium: the serious and critical violations it finds."""

from __future__ import annotations

from typing import Any

from .conftest import ROOT

AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

_SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""


def serious_violations(page: Any) -> list[dict[str, Any]]:
    assert AXE.is_file(), f"axe-core is not installed: run `make axe` ({AXE})"
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_SERIOUS)
