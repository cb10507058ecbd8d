"""One account's limit shared through a real Redis: by limiters in one process (as two
processes would), by real worker processes, through a SIGKILL and a Redis outage."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import invoicexpress_async as ix
from invoicexpress_async._transport.ratelimit import AccountLimiter
from invoicexpress_async.sandbox import Sandbox

from .redis_server import RedisServer
from .sockets import free_port

ROOT = Path(__file__).resolve().parent.parent


def shared(url: str, requests: int, per: float, **store: object) -> ix.RateLimit:
    return ix.RateLimit(requests=requests, per=per,
                        store=ix.RedisStore(url, prefix="ix-test", **store))  # type: ignore[arg-type]


def limiter(limit: ix.RateLimit, lease: float = 30.0) -> AccountLimiter:
    """A limiter of its own, as another process would have."""
    return AccountLimiter(limit, clock=time.monotonic, sleep=asyncio.sleep,
                          account="acme", lease=lease)


async def test_two_limiters_share_one_window(redis_url: str) -> None:
    limit = shared(redis_url, 8, 0.5)
    first, second = limiter(limit), limiter(limit)
    stamps: list[float] = []

    async def go(one: AccountLimiter, count: int) -> None:
        for _ in range(count):
            ticket = await one.acquire()
            stamps.append(time.monotonic())
            one.release(ticket, accepted=True)

    try:
        await asyncio.gather(go(first, 12), go(second, 12))
    finally:
        await first.aclose()
        await second.aclose()
    stamps.sort()
    for i, start in enumerate(stamps):  # never more than 8 in any half second, together
        assert len([t for t in stamps[i:] if t < start + 0.5]) <= 8
    assert stamps[-1] - stamps[0] >= 1.0  # 24 requests at 8 per 0.5 s: three windows


async def test_a_429_pauses_and_slows_the_other_process_too(redis_url: str) -> None:
    limit = shared(redis_url, 100, 10.0)
    first, second = limiter(limit), limiter(limit)
    try:
        for accepted in (True, True, False):  # two went through, the third is refused
            ticket = await first.acquire()
            first.release(ticket, accepted=accepted)
        first.penalize(ticket, retry_after=0.6, max_pause=60.0, backoff=0.0)
        await asyncio.sleep(0.05)  # the 429 reaches Redis in a round trip
        started = time.monotonic()
        ticket = await second.acquire()
        assert time.monotonic() - started >= 0.45
        second.release(ticket, accepted=True)
        assert second.rate is not None  # the learned pace is shared as well
    finally:
        await first.aclose()
        await second.aclose()


async def test_a_slot_of_a_dead_process_comes_back_after_its_lease(redis_url: str) -> None:
    limit = shared(redis_url, 1, 0.2)
    dead, alive = limiter(limit, lease=1.0), limiter(limit, lease=1.0)
    try:
        await dead.acquire()  # taken, never released: the process died mid-request
        started = time.monotonic()
        ticket = await alive.acquire()
        waited = time.monotonic() - started
        alive.release(ticket, accepted=True)
    finally:
        await alive.aclose()
        await dead.aclose()
    assert 0.8 <= waited <= 3.0


async def test_unreachable_redis_falls_back_with_one_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://:s3cret-pw@127.0.0.1:{free_port()}/0"  # nothing listens there
    async with Sandbox(invoices=30) as sandbox, ix.AsyncInvoiceXpress(
            **sandbox.client_kwargs(), rate_limit=shared(url, 780, 60.0)) as api:
        with caplog.at_level(logging.WARNING, logger="invoicexpress_async"):
            ids = [invoice.id async for invoice in api.invoices.list(per_page=5)]
    assert len(ids) == 30
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()
    assert "s3cret-pw" not in caplog.text and "127.0.0.1" in caplog.text


async def test_unreachable_redis_fails_before_sending_when_told_to() -> None:
    url = f"redis://:s3cret-pw@127.0.0.1:{free_port()}/0"
    limit = shared(url, 780, 60.0, on_unavailable="fail")
    assert "s3cret-pw" not in repr(limit)
    async with Sandbox(invoices=5) as sandbox, ix.AsyncInvoiceXpress(
            **sandbox.client_kwargs(), rate_limit=limit) as api:
        with pytest.raises(ix.RateLimitStoreError) as info:
            await api.sequences.list()
        assert sandbox.state.counts["requests"] == 0
    assert "s3cret-pw" not in str(info.value) and "127.0.0.1" in str(info.value)


async def test_redis_stopped_mid_run_then_back(caplog: pytest.LogCaptureFixture) -> None:
    server = RedisServer().start()
    try:
        async with Sandbox(invoices=400) as sandbox, ix.AsyncInvoiceXpress(
                **sandbox.client_kwargs(),
                rate_limit=shared(server.url, 780, 60.0, retry_interval=0.2)) as api:
            with caplog.at_level(logging.WARNING, logger="invoicexpress_async"):
                pages = api.invoices.list(per_page=5).pages()
                count = 0
                async for page in pages:
                    count += len(page.items)
                    if page.number == 20:
                        server.stop()
                    if page.number == 40:
                        server.start()
                        await asyncio.sleep(0.3)  # past retry_interval
            keys = server.command("KEYS", "*")
        assert count == 400
        messages = [r.getMessage() for r in caplog.records]
        assert any("unavailable" in m for m in messages)
        assert any("reachable again" in m for m in messages)
        assert b"ix-test" in keys  # the later pages went through Redis again
    finally:
        server.stop()


def workers(sandbox: Sandbox, count: int, requests: int, per: float, pages: int,
            redis_url: str | None) -> list[subprocess.Popen[str]]:
    args = [sys.executable, "-m", "tests.limit_worker", sandbox.base_url, sandbox.api_key,
            str(requests), str(per), str(pages), *([redis_url] if redis_url else [])]
    return [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(count)]


def finish(processes: list[subprocess.Popen[str]]) -> list[str]:
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


@pytest.mark.parametrize("store", [False, True], ids=["local", "redis"])
def test_four_processes_on_one_account(redis_url: str, store: bool) -> None:
    # the server allows 20 per second; each process is configured to exactly that
    with Sandbox(invoices=300, rate_limit=(20, 1.0), retry_after=False).running() as sandbox:
        pages = 25 if store else 10  # the control only has to show the 429s
        outputs = finish(workers(sandbox, 4, 20, 1.0, pages, redis_url if store else None))
        refused = sandbox.state.counts["429_limit"]
    assert all(out.startswith(f"started\ndone {pages * 10} ") for out in outputs), outputs
    if store:
        assert refused == 0
    else:  # the story: four local limiters let 4x the limit through
        assert refused > 0


def test_a_process_killed_mid_run_does_not_stop_the_others(redis_url: str) -> None:
    with Sandbox(invoices=300, rate_limit=(20, 1.0), retry_after=False,
                 latency=0.02).running() as sandbox:
        processes = workers(sandbox, 4, 20, 1.0, 25, redis_url)
        victim = processes.pop()
        assert victim.stdout is not None
        assert victim.stdout.readline().strip() == "started"
        time.sleep(1.0)  # mid-run, slots in flight or held
        os.kill(victim.pid, signal.SIGKILL)
        victim.communicate(timeout=10)  # reaps it and closes its pipes
        outputs = finish(processes)
        refused = sandbox.state.counts["429_limit"]
    assert all("done 250" in out for out in outputs), outputs
    assert refused == 0
