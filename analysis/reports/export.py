"""PNG export of a report's figures with kaleido 1.x, which drives an installed Chrome or Chromium.

Geo figures read their base map from the vendored topojson (a file:// folder), never from a CDN.
"""

from __future__ import annotations

import os
import warnings
from importlib.resources import files
from pathlib import Path

import plotly.graph_objects as go

__all__ = ["ExportError", "export_png", "find_browser"]

WIDTH = 1200  # px; heights are the figures' own


class ExportError(RuntimeError):
    """PNG export cannot run here (no kaleido, or no browser for it to drive)."""


def find_browser() -> str | None:
    """The browser kaleido would drive: $BROWSER_PATH if it is an executable file, else the first Chrome or
    Chromium found on PATH or in the usual places."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    path = os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def _topojson_uri() -> str:
    return Path(str(files("analysis.reports") / "assets" / "topojson")).resolve().as_uri()


def export_png(figures: dict[str, go.Figure], folder: Path, stem: str) -> list[Path]:
    """Write each figure as `<folder>/<stem>-<name>.png`; returns the paths written.

    Raises ExportError, before writing anything, when kaleido or a browser is missing: kaleido's own
    server would otherwise wait forever for a browser that never starts.
    """
    try:
        import kaleido
        import plotly.io as pio
    except ImportError as exc:
        raise ExportError("PNG export needs kaleido: pip install 'kaleido>=1,<2'") from exc
    browser = find_browser()
    if browser is None:
        raise ExportError(
            "PNG export needs Chrome or Chromium and none was found: install one (Debian/Ubuntu: "
            "apt-get install chromium) or set BROWSER_PATH to its executable"
        )
    os.environ.setdefault("BROWSER_PATH", browser)
    pio.defaults.topojson = _topojson_uri()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    kaleido.start_sync_server(silence_warnings=True)  # one browser for all figures (~0.7 s a figure)
    try:
        with warnings.catch_warnings():
            # plotly passes its defaults as kaleido options, which a running server ignores: harmless.
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            for name, fig in figures.items():
                path = folder / f"{stem}-{name}.png"
                pio.write_image(fig, path, format="png", width=WIDTH, scale=1)
                written.append(path)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return written
