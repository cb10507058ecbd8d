"""Figure 7: a thousand accounts on one SessionPool.

1,000 clients (one per account) share a pool limited to 100 connections and
make 5 requests each, all at once. Open sockets are sampled throughout; the
time is compared with one account making the same 5,000 requests, limiter off.
"""

from __future__ import annotations

import asyncio
import time

import invoicexpress_async as ix

from ._common import Figure, Server, sandbox_process

ACCOUNTS, EACH, LIMIT = 1000, 5, 100


async def sample(pool: ix.SessionPool, peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], pool.open_connections() or 0)
        await asyncio.sleep(0.002)


async def many(server: Server) -> tuple[float, int]:
    peak = [0]
    stop = asyncio.Event()
    async with ix.SessionPool(limit=LIMIT) as pool:
        clients = [ix.AsyncInvoiceXpress(
            account_name=server.account_name + (str(i) if i else ""),
            api_key=server.api_key + (f"-{i}" if i else ""), base_url=server.base_url,
            pool=pool) for i in range(ACCOUNTS)]
        watcher = asyncio.ensure_future(sample(pool, peak, stop))
        started = time.perf_counter()
        results = await asyncio.gather(*(c.sequences.list() for c in clients
                                         for _ in range(EACH)))
        elapsed = time.perf_counter() - started
        stop.set()
        await watcher
        assert len(results) == ACCOUNTS * EACH
    return elapsed, peak[0]


async def one(server: Server) -> float:
    async with ix.SessionPool(limit=LIMIT) as pool:
        api = ix.AsyncInvoiceXpress(**server.client_kwargs(), pool=pool, rate_limit=None)
        started = time.perf_counter()
        await asyncio.gather(*(api.sequences.list() for _ in range(ACCOUNTS * EACH)))
        return time.perf_counter() - started


def run() -> list[Figure]:
    with sandbox_process("--invoices", "100", "--accounts", str(ACCOUNTS)) as server:
        spread, peak = asyncio.run(many(server))
        single = asyncio.run(one(server))
    return [Figure("7", f"{ACCOUNTS:,} accounts x {EACH} requests on one pool (limit {LIMIT})",
                   f"peak {peak} open sockets; {spread:.2f} s vs {single:.2f} s for one"
                   f" account ({spread / single:.2f}x)", f"sockets <= {LIMIT}",
                   peak <= LIMIT)]
