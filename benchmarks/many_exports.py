"""Figure 9: exporting many accounts, one process with one pool vs one process per account.

40 accounts of 300 invoices each (20 ms latency per answer) are exported by
``export invoices --accounts FILE --out-dir DIR`` (one process, one
SessionPool, 8 accounts at a time) and by 40 ``export invoices --out FILE``
processes, 8 at a time. Both are timed end to end, start-up included: that is
what a nightly job pays.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._common import Figure, Server, sandbox_process

ACCOUNTS, INVOICES, AT_ONCE = 40, 300, 8
CLI = [sys.executable, "-m", "invoicexpress_async", "export", "invoices", "--quiet"]


def _names(count: int = ACCOUNTS) -> list[str]:
    return [f"sandbox{i}" for i in range(1, count + 1)]


def _environment(server: Server, count: int = ACCOUNTS) -> dict[str, str]:
    env = dict(os.environ)
    for index, name in enumerate(_names(count), start=1):
        env[f"INVOICEXPRESS_API_KEY_{name.upper()}"] = f"{server.api_key}-{index}"
    return env


def one_pool(server: Server, work: Path) -> float:
    listing = work / "accounts.toml"
    listing.write_text(f'base_url = "{server.base_url}"\n'
                       + "".join(f'[[accounts]]\nname = "{n}"\n' for n in _names()))
    out = work / "pooled"
    out.mkdir()
    started = time.perf_counter()
    subprocess.run([*CLI, "--accounts", str(listing), "--out-dir", str(out),
                    "--concurrency", str(AT_ONCE)], env=_environment(server), check=True)
    return time.perf_counter() - started


def one_process_each(server: Server, work: Path) -> float:
    out = work / "separate"
    out.mkdir()
    env = _environment(server)
    started = time.perf_counter()
    pending = list(enumerate(_names(), start=1))
    running: list[subprocess.Popen[bytes]] = []
    while pending or running:
        while pending and len(running) < AT_ONCE:
            index, name = pending.pop(0)
            running.append(subprocess.Popen(
                [*CLI, "--out", str(out / f"{name}.jsonl"), "--account-name", name,
                 "--base-url", server.base_url],
                env={**env, "INVOICEXPRESS_API_KEY": f"{server.api_key}-{index}"}))
        for process in list(running):
            if process.poll() is not None:
                assert process.returncode == 0
                running.remove(process)
        time.sleep(0.01)
    return time.perf_counter() - started


THOUSAND, THOUSAND_INVOICES = 1_000, 60


def thousand_accounts() -> Figure:
    """1,000 accounts of 60 invoices (no latency) from one process, 50 at a time (the
    sandbox gives each extra account a hundredth of the main one's invoices)."""
    with sandbox_process("--invoices", str(THOUSAND_INVOICES * 100), "--accounts",
                         str(THOUSAND + 1)) as server, tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        listing = work / "accounts.toml"
        listing.write_text(f'base_url = "{server.base_url}"\n'
                           + "".join(f'[[accounts]]\nname = "{n}"\n'
                                     for n in _names(THOUSAND)))
        out = work / "out"
        out.mkdir()
        started = time.perf_counter()
        subprocess.run([*CLI, "--accounts", str(listing), "--out-dir", str(out),
                        "--concurrency", "50"], env=_environment(server, THOUSAND), check=True)
        seconds = time.perf_counter() - started
        files = list(out.glob("*.jsonl"))
        rows = sum(len(path.read_bytes().splitlines()) for path in files)
    whole = len(files) == THOUSAND and rows == THOUSAND * THOUSAND_INVOICES
    return Figure("9b", f"{THOUSAND:,} sandbox accounts x {THOUSAND_INVOICES} invoices from one"
                        " process (50 at a time, no latency)",
                  f"{seconds:.1f} s ({THOUSAND / seconds * 60:,.0f} accounts/min,"
                  f" {rows / seconds:,.0f} invoices/s); every file whole: {whole}",
                  "every account exported, one process", whole)


def run() -> list[Figure]:
    with sandbox_process("--invoices", str(INVOICES * 100), "--accounts", str(ACCOUNTS + 1),
                         "--latency", "20") as server, tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        pooled = one_pool(server, work)
        separate = one_process_each(server, work)
        rows = sum(len((work / "pooled" / f"{n}.jsonl").read_bytes().splitlines())
                   for n in _names())
    assert rows == ACCOUNTS * INVOICES
    per_minute = [ACCOUNTS / seconds * 60 for seconds in (pooled, separate)]
    return [Figure("9", f"Many-account export: {ACCOUNTS} accounts x {INVOICES} invoices,"
                        f" 20 ms latency, {AT_ONCE} at a time",
                   f"one process, one pool: {per_minute[0]:,.0f} accounts/min ({pooled:.1f} s);"
                   f" one process per account: {per_minute[1]:,.0f} accounts/min"
                   f" ({separate:.1f} s); {separate / pooled:.1f}x",
                   "one pool faster than one process per account", pooled < separate),
            thousand_accounts()]
