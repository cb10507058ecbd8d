"""Look at the built documentation the way a reader does: every page in a real headless
Chromium at 1280 px, a full-page screenshot of each, and what a reader would trip over
checked in the rendered page (the docs issue: code cut at the edge of the page, Sphinx
roles left raw).

Run by ``nox -s docs`` after ``mkdocs build --strict``::

    python scripts/docs_screenshots.py site --out site-screenshots

Checked on every page:

* no code block or signature is wider than its box (a reader would have to scroll
  sideways, or sees the line cut at the edge);
* no raw Sphinx role (``:class:`...```) in the text;
* the page has a title and no empty code block.

Chromium comes from the machine (``/usr/bin/chromium``: Debian's ``chromium`` package)
or from ``playwright install chromium``; without either the script says how to get one
and fails. Exit status 1 lists every page and element that failed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 1280, 900

# run in each page: what a reader would see as broken
_PROBLEMS = r"""
() => {
  const problems = [];
  const describe = (el) => {
    const text = (el.innerText || "").trim().split("\n")[0];
    return text.slice(0, 80);
  };
  for (const el of document.querySelectorAll(
      "article pre > code, article .doc-signature, article .highlight pre")) {
    if (el.offsetParent === null) continue;  // hidden (a collapsed tab)
    const overflow = el.scrollWidth - el.clientWidth;
    if (overflow > 2) {
      problems.push(`wider than its box by ${overflow}px: ${describe(el)}`);
    }
  }
  const text = document.querySelector("article")?.innerText || "";
  const role = text.match(/:(class|meth|func|attr|exc|mod|data|obj):`[^`]*`/);
  if (role) problems.push(`raw Sphinx role: ${role[0]}`);
  if (!document.querySelector("article h1")) problems.push("no page title");
  for (const el of document.querySelectorAll("article pre > code")) {
    if (!el.innerText.trim()) problems.push("an empty code block");
  }
  return problems;
}
"""


def chromium() -> str | None:
    """The machine's Chromium, if any (Playwright's own is used when this is None)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The built site over HTTP on loopback (file:// pages behave differently)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def pages(site: Path) -> list[str]:
    """Every page of the site, as paths below its root (``guides/testing/``)."""
    found = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        if relative.startswith(("assets", "search")) or relative == "404":
            continue
        found.append("" if relative == "." else f"{relative}/")
    return found


def check(site: Path, out: Path) -> dict[str, list[str]]:
    """Screenshot every page into ``out``; the problems found on each page."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    executable = chromium()
    with served(site) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            # this machine's network is closed: no background calls to Google's hosts
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            for path in pages(site):
                page.goto(f"{root}/{path}", wait_until="load")
                name = (path.strip("/").replace("/", "-") or "index") + ".png"
                page.screenshot(path=str(out / name), full_page=True)
                found = page.evaluate(_PROBLEMS)
                if found:
                    problems[path or "/"] = found
        finally:
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs build --site-dir)")
    parser.add_argument("--out", type=Path, default=Path("site-screenshots"),
                        help="where the screenshots go (default: site-screenshots)")
    options = parser.parse_args(argv)
    if not (options.site / "index.html").is_file():
        print(f"{options.site} has no index.html: build the site first", file=sys.stderr)
        return 2
    if chromium() is None and not os.environ.get("PLAYWRIGHT_BROWSERS_PATH") \
            and not (Path.home() / ".cache" / "ms-playwright").is_dir():
        print("no Chromium found: install Debian's 'chromium' package or run"
              " 'playwright install chromium'", file=sys.stderr)
        return 2
    problems = check(options.site, options.out)
    shots = len(list(options.out.glob("*.png")))
    for path, found in problems.items():
        for problem in found:
            print(f"{path}: {problem}")
    print(f"{shots} pages looked at in Chromium at {WIDTH}px; screenshots in {options.out};"
          f" {sum(map(len, problems.values()))} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
