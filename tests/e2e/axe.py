"""Accessibility checks with axe-core (installed from package.json by ``npm ci``)."""

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.VAR_DIR) / "test-artifacts" / "axe"
RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def assert_accessible(page: Any, *, context: str = "") -> list[dict[str, Any]]:
    """Run axe-core on ``page`` (Playwright, sync API); fail on serious or critical violations.

    Returns every violation (minor and moderate ones included) and writes axe's full results
    to var/test-artifacts/axe/<context>.json.
    """
    if not AXE_JS.exists():
        raise RuntimeError(f"axe-core is missing ({AXE_JS}): run `npm ci` in the project root")
    _inject(page)
    results = page.evaluate("runOnly => axe.run(document, {runOnly: runOnly})", RULE_SETS)
    _save(results, context or page.url)
    violations: list[dict[str, Any]] = results["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    if blocking:
        where = f" ({context})" if context else ""
        raise AssertionError(f"Accessibility violations{where}:\n" + _describe(blocking))
    return violations


def _inject(page: Any) -> None:
    loaded = "() => typeof window.axe !== 'undefined'"
    if page.evaluate(loaded):
        return
    # Evaluated through the DevTools protocol, not as a <script> tag: the page's own
    # Content-Security-Policy (no inline script) stays in force while axe checks it.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']}\n"
            f"    {'; '.join(targets)}" + (f" (+{more} more)" if more > 0 else "")
        )
    return "\n".join(lines)


def _save(results: dict[str, Any], context: str) -> None:
    # A page URL may be a long data: URL; keep the file name short and safe.
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", context).strip("-")[:80] or "page"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
