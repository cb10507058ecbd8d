"""Figures 10-12: many processes on one account, what Redis costs, learning a stricter server.

10. Four processes stream one account whose server allows R per W (429 beyond,
    no Retry-After), each configured to R/W: with local limiters they let up to
    4R through and meet 429s; sharing a Redis store they keep to R together.
    Utilisation is the requests the server accepted per second over R/W.
11. The limiter's own cost per request with a Redis store on loopback: the median
    of acquire + release (the release's round trip included), uncontended.
12. The default RateLimit (780/60) against a server allowing 50 per 5 s without
    Retry-After: 429s met by a 150-page stream, and its throughput against the
    server's 10 requests/s.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
import urllib.request

import invoicexpress_async as ix
from invoicexpress_async._transport.ratelimit import AccountLimiter
from tests.redis_server import RedisServer

from ._common import Figure, Server, sandbox_process

R, W, PROCESSES, PAGES = 40, 2.0, 4, 60


async def worker(base_url: str, api_key: str, redis_url: str | None) -> None:
    store = ix.RedisStore(redis_url, prefix="bench") if redis_url else None
    async with ix.AsyncInvoiceXpress(account_name="sandbox", api_key=api_key, base_url=base_url,
                                     rate_limit=ix.RateLimit(requests=R, per=W, store=store),
                                     retry=ix.RetryPolicy(max_attempts=20)) as api:
        async for page in api.invoices.list(per_page=1).pages():
            if page.number >= PAGES:
                break


def sandbox_counts(server: Server) -> dict[str, int]:
    with urllib.request.urlopen(f"{server.base_url}/_sandbox/stats.json") as answer:
        counts: dict[str, int] = json.loads(answer.read())["counts"]
        return counts


def many_processes(redis_url: str | None) -> tuple[float, int]:
    with sandbox_process("--invoices", "1000", "--rate-limit", f"{R}/{W}",
                         "--no-retry-after") as server:
        args = [sys.executable, "-m", "benchmarks.shared_limit", server.base_url, server.api_key,
                *([redis_url] if redis_url else [])]
        started = time.perf_counter()
        workers = [subprocess.Popen(args) for _ in range(PROCESSES)]
        for process in workers:
            process.wait(timeout=600)
        seconds = time.perf_counter() - started
        counts = sandbox_counts(server)
    accepted = PROCESSES * PAGES
    return accepted / seconds / (R / W), counts.get("429_limit", 0)


async def redis_cost(redis_url: str, rounds: int = 3000) -> float:
    limiter = AccountLimiter(ix.RateLimit(requests=10**9, per=60.0,
                                          store=ix.RedisStore(redis_url, prefix="bench-cost")),
                             clock=time.monotonic, sleep=asyncio.sleep, account="cost")
    costs = []
    for _ in range(rounds):
        started = time.perf_counter()
        ticket = await limiter.acquire()
        limiter.release(ticket, accepted=True)
        await limiter.flush()  # the release's round trip too
        costs.append(time.perf_counter() - started)
    await limiter.aclose()
    return statistics.median(costs[100:])


async def stricter_server(*, bucket: bool, redis_url: str | None,
                          prefix: str = "") -> tuple[int, float]:
    """The default RateLimit (with a Redis book when ``redis_url``) against a server that
    allows 50 requests per 5 s without Retry-After: a sliding window, or a token bucket."""
    with sandbox_process("--invoices", "1500", "--rate-limit", "50/5", "--no-retry-after",
                         *(["--bucket"] if bucket else [])) as server:
        limit = ix.RateLimit() if redis_url is None else \
            ix.RateLimit(store=ix.RedisStore(redis_url, prefix=prefix))
        async with ix.AsyncInvoiceXpress(**server.client_kwargs(), rate_limit=limit,
                                         retry=ix.RetryPolicy(max_attempts=8)) as api:
            started = time.perf_counter()
            pages = [page async for page in api.invoices.list(per_page=10).pages()]
            seconds = time.perf_counter() - started
            assert len(pages) == 150
            return api.stats.rate_limited, 150 / seconds / 10.0


_NOTES = {
    ("sliding window", "local"): "the pause after a 429 grows 1.5x while they go on; when"
    " it doubled, the probe that went through overshot the window by more (2+4 s instead"
    " of 2+3 s after the burst) and the pace it taught was lower: 79-81% in both books",
    ("token bucket", "local"): "a token bucket lets its 50 stored tokens through at once,"
    " so a run uses more than the sustained rate",
}


def run() -> list[Figure]:
    with RedisServer() as redis:
        local_use, local_429 = many_processes(None)
        shared_use, shared_429 = many_processes(redis.url)
        cost = asyncio.run(redis_cost(redis.url))
        stricter = {(kind, book): asyncio.run(stricter_server(
            bucket=kind == "token bucket", redis_url=None if book == "local" else redis.url,
            prefix=f"bench-{kind[0]}"))
            for kind in ("sliding window", "token bucket") for book in ("local", "Redis")}
    return [
        Figure("10a", f"{PROCESSES} processes on one account ({R}/{W:g}s), local limiters",
               f"{local_use:.0%} of the limit, {local_429} 429s", "reported (the problem)",
               None),
        Figure("10b", f"{PROCESSES} processes on one account ({R}/{W:g}s), one Redis store",
               f"{shared_use:.0%} of the limit, {shared_429} 429s", "zero 429s",
               shared_429 == 0),
        Figure("11", "Limiter cost per request with Redis on loopback (median)",
               f"{cost * 1000:.2f} ms", "<= 1 ms", cost <= 0.001),
        *[Figure(f"12{'abcd'[index]}", f"Default RateLimit ({book} book) vs a {kind} server"
                 " allowing 50/5s, no Retry-After",
                 f"{refused} 429s in 150 pages, {use:.1%} of the server's sustained rate",
                 "<= 5 429s, >= 80% of the rate", refused <= 5 and use >= 0.8,
                 notes=_NOTES.get((kind, book), ""))
          for index, ((kind, book), (refused, use)) in enumerate(stricter.items())],
    ]


if __name__ == "__main__":
    asyncio.run(worker(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
