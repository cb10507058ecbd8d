"""The per-account limiter on fake time: the window promise, the pause, adapting to the server."""

from __future__ import annotations

import asyncio

import invoicexpress_async as ix
from invoicexpress_async._transport.ratelimit import AccountLimiter

from .conftest import FakeTime


async def test_no_window_ever_holds_more_than_the_limit(fake_time: FakeTime) -> None:
    limiter = AccountLimiter(ix.RateLimit(requests=10, per=1.0), clock=fake_time.clock,
                             sleep=fake_time.sleep)
    stamps = []
    for _ in range(55):
        await limiter.acquire()
        stamps.append(fake_time.now)
    for i, start in enumerate(stamps):
        in_window = [t for t in stamps[i:] if t < start + 1.0]
        assert len(in_window) <= 10
    # and it does not waste the allowance: 55 requests take 5 windows, no more
    assert stamps[-1] - stamps[0] <= 5.0 + 1e-9


async def test_penalty_pauses_concurrent_waiters(fake_time: FakeTime) -> None:
    limiter = AccountLimiter(None, clock=fake_time.clock, sleep=fake_time.sleep)
    limiter.penalize(3.0)
    start = fake_time.now
    times = []

    async def one() -> None:
        await limiter.acquire()
        times.append(fake_time.now)

    await asyncio.gather(*(one() for _ in range(5)))
    assert min(times) >= start + 3.0


async def test_busy_window_429_lowers_the_bucket_and_it_recovers(fake_time: FakeTime) -> None:
    limiter = AccountLimiter(ix.RateLimit(requests=100, per=10.0), clock=fake_time.clock,
                             sleep=fake_time.sleep)
    for _ in range(61):  # the server took 60, refused the 61st
        await limiter.acquire()
    limiter.penalize(1.0)
    assert 55 <= limiter.capacity <= 60
    fake_time.now += 100.0  # ten quiet windows later
    assert limiter.capacity >= 100 * 0.95


async def test_quiet_window_429_only_pauses(fake_time: FakeTime) -> None:
    limiter = AccountLimiter(ix.RateLimit(requests=100, per=10.0), clock=fake_time.clock,
                             sleep=fake_time.sleep)
    await limiter.acquire()
    limiter.penalize(2.0)
    assert limiter.capacity == 100
