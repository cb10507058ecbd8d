"""``python -m benchmarks [NAME ...]``: run the figures; a full run writes RESULTS.md.

Every figure is a ratio measured side by side in one run, with the sandbox
serving from a separate process. Names: overhead models latency ratelimit
memory accounts sync_facade many_exports shared_limit incremental (default: all).
"""

from __future__ import annotations

import datetime
import importlib
import os
import platform
import sys
import time
from pathlib import Path

import aiohttp

from ._common import Figure

ALL = ("overhead", "models", "latency", "ratelimit", "memory", "accounts", "sync_facade",
       "many_exports", "shared_limit", "incremental")
RESULTS = Path(__file__).with_name("RESULTS.md")


def main(argv: list[str]) -> int:
    names = argv or list(ALL)
    figures: list[Figure] = []
    started = time.perf_counter()
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        t0 = time.perf_counter()
        found = module.run()
        for figure in found:
            mark = {True: "met", False: "NOT MET", None: "-"}[figure.met]
            print(f"[{figure.number}] {figure.title}: {figure.measured}"
                  f" (target {figure.target}: {mark})", flush=True)
        print(f"    ({name}: {time.perf_counter() - t0:.0f} s)", flush=True)
        figures.extend(found)
    total = time.perf_counter() - started
    lines = [
        "# Benchmark results", "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}",
        f"- Python {platform.python_version()}, aiohttp {aiohttp.__version__}",
        "- command: `nox -s bench` (`python -m benchmarks`)",
        f"- wall time: {total:.0f} s", "",
        "| # | figure | measured | target | met |", "|---|---|---|---|---|",
    ]
    for f in figures:
        mark = {True: "yes", False: "**no**", None: "-"}[f.met]
        lines.append(f"| {f.number} | {f.title} | {f.measured} | {f.target} | {mark} |")
    notes = [f"- {f.number}: {f.notes}" for f in figures if f.notes]
    if notes:
        lines += ["", "Notes:", *notes]
    if argv:  # a partial run must not replace the full table
        print(f"ran {', '.join(names)} in {total:.0f} s (RESULTS.md is written by full runs)")
        return 0
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS} in {total:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
