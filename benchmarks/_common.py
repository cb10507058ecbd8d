"""Shared benchmark plumbing: a sandbox in its own process, timing, and result rows."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs


@attrs.define
class Figure:
    """One row of RESULTS.md."""

    number: str
    title: str
    measured: str
    target: str
    met: bool | None  # None: reported, no target
    notes: str = ""


@attrs.frozen
class Server:
    base_url: str
    account_name: str
    api_key: str
    process: subprocess.Popen[str]

    def client_kwargs(self) -> dict[str, Any]:
        return {"account_name": self.account_name, "api_key": self.api_key,
                "base_url": self.base_url}


@contextlib.contextmanager
def sandbox_process(*args: str) -> Iterator[Server]:
    """``python -m invoicexpress_async.sandbox --port 0 ARGS`` in its own process, so
    the client's CPU is the client's alone."""
    process = subprocess.Popen(
        [sys.executable, "-m", "invoicexpress_async.sandbox", "--port", "0",
         "--api-key", "bench-key", *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        values: dict[str, str] = {}
        while len(values) < 3:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("the sandbox process did not start")
            key, _, value = line.strip().partition("=")
            values[key] = value
        yield Server(values["base_url"], values["account_name"], values["api_key"], process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def best_of(rounds: int, run: Callable[[], float]) -> float:
    """The fastest of ``rounds`` timings (the least disturbed by the machine)."""
    return min(run() for _ in range(rounds))


def interleaved(rounds: int, *runs: Callable[[], float]) -> list[float]:
    """The best timing of each run, taking turns round by round, so that a slow
    spell of the machine hits every side alike instead of one block of rounds."""
    best = [float("inf")] * len(runs)
    for _ in range(rounds):
        for index, run in enumerate(runs):
            best[index] = min(best[index], run())
    return best


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result
