"""Figure 5: how much of the server's rate limit a client uses, and how safely.

The sandbox allows R requests per W seconds per account (429 beyond). A client
configured to R must use >= 95% of it with no 429; a client configured to 2R
(it does not know the real limit) must still deliver every item in order and
use >= 85% of R, thanks to the shared pause and the adaptive bucket.
"""

from __future__ import annotations

import asyncio
import time

import invoicexpress_async as ix

from ._common import Figure, Server, sandbox_process

R, W, WINDOWS = 60, 2.0, 6


async def sustained(server: Server, configured: int) -> tuple[float, int, bool]:
    duration = W * WINDOWS
    async with ix.AsyncInvoiceXpress(**server.client_kwargs(), prefetch=4,
                                     rate_limit=ix.RateLimit(requests=configured, per=W),
                                     retry=ix.RetryPolicy(max_attempts=8)) as api:
        ids: list[int | None] = []
        arrived: list[float] = []
        started = time.perf_counter()
        async for invoice in api.invoices.list(per_page=1):  # one request per item
            ids.append(invoice.id)
            arrived.append(time.perf_counter() - started)
            if arrived[-1] >= duration:
                break
        in_order = ids == list(range(500_001, 500_001 + len(ids)))
        # sustained rate: after the first window's burst, against the server's R per W
        steady = sum(1 for t in arrived if W <= t < duration) / (duration - W)
        return steady / (R / W), api.stats.rate_limited, in_order


def run() -> list[Figure]:
    with sandbox_process("--invoices", "5000", "--rate-limit", f"{R}/{W}") as server:
        exact, refused_exact, order_exact = asyncio.run(sustained(server, R))
    with sandbox_process("--invoices", "5000", "--rate-limit", f"{R}/{W}") as server:
        double, refused_double, order_double = asyncio.run(sustained(server, 2 * R))
    return [
        Figure("5a", f"Rate-limit use, client set to the server's {R}/{W:g}s",
               f"{exact:.0%} of R, {refused_exact} 429s", ">= 95%, zero 429s",
               exact >= 0.95 and refused_exact == 0 and order_exact),
        Figure("5b", f"Rate-limit use, client set to 2R ({2 * R}/{W:g}s)",
               f"{double:.0%} of R, {refused_double} 429s met and retried,"
               f" every item in order: {order_double}", ">= 85%, nothing lost",
               double >= 0.85 and order_double),
    ]
