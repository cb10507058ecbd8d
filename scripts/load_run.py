#!/usr/bin/env python3
"""The long reliability run (``nox -s reliability``): many accounts, one pool, faults.

200 accounts share one SessionPool (limit 100); each client streams its account's
invoices again and again until 50,000 requests were made in all, while the sandbox
(a separate process) fails 5% of requests and limits each account to 60 requests/s.
Checked: every stream delivers every invoice once and in order, memory and open
sockets stay flat, no request is refused by an account's limit. The figures go to
the README's reliability section (between its markers) and to stdout.
"""

from __future__ import annotations

import asyncio
import datetime
import re
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import invoicexpress_async as ix  # noqa: E402
from benchmarks._common import sandbox_process  # noqa: E402

ACCOUNTS, REQUESTS, PER_PAGE, POOL_LIMIT = 200, 50_000, 10, 100
LIMIT = (60, 1.0)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20


async def main() -> str:
    with sandbox_process("--invoices", "25000", "--accounts", str(ACCOUNTS + 1), "--fault-rate",
                         "0.05", "--rate-limit", f"{LIMIT[0]}/{LIMIT[1]}") as server:
        expected_other = list(range(500_001, 500_001 + 250))
        async with ix.SessionPool(limit=POOL_LIMIT) as pool:
            clients = [ix.AsyncInvoiceXpress(
                account_name=server.account_name + (str(i) if i else ""),
                api_key=server.api_key + (f"-{i}" if i else ""), base_url=server.base_url,
                pool=pool, prefetch=4, rate_limit=ix.RateLimit(requests=LIMIT[0],
                                                               per=LIMIT[1]),
                retry=ix.RetryPolicy(max_attempts=10, backoff_base=0.05, backoff_max=1.0),
                timeout=ix.Timeout(total=20, connect=5, read=5))
                for i in range(1, ACCOUNTS + 1)]
            sent = lambda: sum(c.stats.attempts for c in clients)  # noqa: E731
            samples: list[tuple[float, float, int]] = []
            lost: list[str] = []
            streams = 0

            async def account(api: ix.AsyncInvoiceXpress) -> None:
                nonlocal streams
                while sent() < REQUESTS:
                    ids = [i.id async for i in api.invoices.list(per_page=PER_PAGE)]
                    streams += 1
                    if ids != expected_other:
                        lost.append(f"{api.account_name}: {len(ids)} of 250")

            async def watch() -> None:
                while True:
                    samples.append((time.perf_counter(), rss_mb(), pool.open_connections() or 0))
                    await asyncio.sleep(0.5)

            watcher = asyncio.ensure_future(watch())
            started = time.perf_counter()
            await asyncio.gather(*(account(c) for c in clients))
            elapsed = time.perf_counter() - started
            watcher.cancel()
            stats = [c.stats for c in clients]
        async with aiohttp.ClientSession() as session, \
                session.get(server.base_url + "/_sandbox/stats.json") as response:
            counts = (await response.json())["counts"]
    faults = {k.removeprefix("fault_"): v for k, v in sorted(counts.items())
              if k.startswith("fault_")}
    rss = [s[1] for s in samples]
    quarter = max(1, len(rss) // 4)
    lines = [
        f"- run: {datetime.date.today().isoformat()}, `nox -s reliability`"
        f" ({ACCOUNTS} accounts, one SessionPool(limit={POOL_LIMIT}),"
        f" sandbox limit {LIMIT[0]}/{LIMIT[1]:g}s per account, 5% faults)",
        f"- {sum(s.attempts for s in stats):,} requests in {elapsed:.0f} s"
        f" ({sum(s.attempts for s in stats) / elapsed:,.0f}/s), {streams:,} full streams,"
        f" {sum(s.retries for s in stats):,} retries",
        f"- faults injected: {faults}",
        f"- lost or duplicated invoices: {len(lost)} streams"
        + (f" ({lost[:3]})" if lost else " (every stream complete and in order)"),
        f"- 429s from the accounts' limits: {counts.get('429_limit', 0)}",
        f"- open sockets: peak {max(s[2] for s in samples)} (pool limit {POOL_LIMIT})",
        f"- client RSS: {rss[0]:.0f} MB at start, {max(rss[:quarter]):.0f} MB peak in the"
        f" first quarter, {max(rss[-quarter:]):.0f} MB peak in the last quarter",
    ]
    return "\n".join(lines)


def write_readme(block: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(r"(<!-- reliability:start -->\n).*?(<!-- reliability:end -->)",
                 lambda m: m.group(1) + block + "\n" + m.group(2), text, flags=re.S)
    readme.write_text(new)


if __name__ == "__main__":
    block = asyncio.run(main())
    print(block)
    write_readme(block)
