"""The Content-Security-Policy does not break the dashboard: in Chromium, every page draws its
Plotly chart and its table while the browser reports no policy violation (src/metrikk/web/headers.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "/tiltak",
    "/tiltak/gjennomforinger",
    "/tiltak/datakvalitet",
    "/etterlevelse/sist-oppdatert",
    "/etterlevelse/pvk-flyt",
    "/etterlevelse/bruk",
    "/behandlinger/grunnlag",
    "/behandlinger/databehandlere",
    "/behandlinger/fullstendighet",
]

# Installed before any page script: collects every violation the browser reports.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_under_the_policy_without_violations(pipeline_page, path):
    """The page is served with the strict script policy, draws chart(s) and table(s), and the
    browser blocks nothing (no inline script, eval or foreign source is needed)."""
    console: list[str] = []
    pipeline_page.on("console", lambda m: console.append(m.text))
    pipeline_page.add_init_script(RECORD_VIOLATIONS)
    response = pipeline_page.goto(path)
    assert "script-src 'self';" in response.headers["content-security-policy"]
    # A function, not an expression string: Playwright evaluates strings with eval(), which
    # the policy rightly blocks.
    pipeline_page.wait_for_function("() => document.body.dataset.ready", timeout=20_000)
    assert pipeline_page.locator(".js-plotly-plot .main-svg").count() >= 1
    assert pipeline_page.locator("table tbody tr").count() >= 1
    # Hovering a bar draws Plotly's hover label (its styles are set while drawing).
    pipeline_page.locator(".js-plotly-plot .nsewdrag").first.hover()
    assert pipeline_page.evaluate("window.__csp") == []
    assert not [m for m in console if "Content Security Policy" in m or "CSP" in m], console
