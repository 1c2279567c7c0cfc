"""Open a report in headless Chromium and report what a reader's browser would see.

Driven by the Python `playwright` package against the system Chromium (`executable_path`): Playwright's own
browser download cannot run here, and is never needed. `check_page()` records every request, console error and
page error, waits for the Plotly figures, measures what they drew and saves a full-page screenshot.

Where no Chromium (or no playwright) is found, `require_browser()` skips the test with the reason, except
under CI (`CI` set) or `MINRISK_REQUIRE_BROWSER=1`, where it fails: a skipped browser test must not pass CI
silently.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT_DIR = ROOT / "reports" / "screenshots"
LOCAL_SCHEMES = ("file:", "data:", "about:")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Per figure: did Plotly draw an SVG with content, and did each geo subplot draw its base-map layers?
_MEASURE_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(div => {
  const svg = div.querySelector('svg.main-svg');
  const layer = (geo, name) => geo.querySelectorAll('g.layer.' + name + ' path').length;
  const geos = Array.from(div.querySelectorAll('g.geo')).map(geo => ({
    countries: layer(geo, 'countries'), land: layer(geo, 'land'), coastlines: layer(geo, 'coastlines'),
    points: geo.querySelectorAll('g.trace.scattergeo path.point').length,
    cells: geo.querySelectorAll('path.choroplethlocation').length,
  }));
  return {
    id: div.id,
    main_svg: svg !== null,
    svg_children: svg ? svg.querySelectorAll('*').length : 0,
    points: div.querySelectorAll('path.point').length,
    bars: div.querySelectorAll('g.trace.bars path').length,
    lines: div.querySelectorAll('g.trace.scatter path.js-line').length,
    sankey_nodes: div.querySelectorAll('g.sankey-node').length,
    sankey_links: div.querySelectorAll('path.sankey-link').length,
    geos: geos,
  };
})"""


def find_chromium() -> str | None:
    """The Chromium to drive: $CHROMIUM, else /usr/bin/chromium, chromium or chromium-browser on PATH."""
    candidates = [
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ]
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


def _missing(reason: str) -> None:
    if os.environ.get("CI") or os.environ.get("MINRISK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test cannot run: {reason}")
    pytest.skip(reason)


def require_browser() -> str:
    """Path of a usable Chromium, or skip (fail under CI) with the reason."""
    path = find_chromium()
    if path is None:
        _missing("no Chromium found: set CHROMIUM or `apt-get install -y chromium` (.ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("the `playwright` package is not installed (pip install '.[test]')")
    return path


def check_page(
    html_path: str | Path,
    name: str | None = None,
    *,
    timeout_ms: int = 60_000,
    screenshot_dir: Path = SCREENSHOT_DIR,
    probe: Callable[[Any], Any] | None = None,
    top_screenshot: Path | None = None,
    top_height: int = 900,
) -> dict[str, Any]:
    """Load `html_path` via file:// and return what happened; see the module docstring.

    `probe(page)` runs on the loaded Playwright page after the figures are drawn (clicks, reads); its result
    is returned as "probe". `top_screenshot` also saves the page's top 1280 × `top_height` px there (docs).
    """
    from playwright.sync_api import sync_playwright

    chromium = require_browser()
    html_path = Path(html_path).resolve()
    shot = Path(screenshot_dir) / f"{name or html_path.stem}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    console_errors: list[str] = []
    page_errors: list[str] = []
    dialogs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="minrisk-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            device_scale_factor=1,
        )
        try:
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
            page.goto(html_path.as_uri(), wait_until="load", timeout=timeout_ms)
            # The report exposes a promise over every Plotly.newPlot; a page without it gets a short grace.
            ready = page.evaluate(
                "() => window.minriskPlotsReady ? window.minriskPlotsReady.then(() => true) : false"
            )
            if not ready:
                page.wait_for_timeout(1500)
            figures = page.evaluate(_MEASURE_JS)
            probed = probe(page) if probe else None
            xss = page.evaluate("() => typeof window.__xss === 'undefined' ? null : String(window.__xss)")
            if top_screenshot is not None:
                clip = {"x": 0, "y": 0, "width": 1280, "height": top_height}
                page.screenshot(path=str(top_screenshot), full_page=True, clip=clip)
            page.screenshot(path=str(shot), full_page=True)
        finally:
            context.close()
    external = [u for u in requests if not u.startswith(LOCAL_SCHEMES)]
    return {
        "requests": requests,
        "external_requests": external,
        "console_errors": console_errors,
        "page_errors": page_errors,
        "dialogs": dialogs,
        "figures": figures,
        "n_figures": len(figures),
        "n_drawn": sum(f["main_svg"] and f["svg_children"] > 0 for f in figures),
        "xss": xss,
        "probe": probed,
        "plots_ready_hook": bool(ready),
        "screenshot": shot,
    }
