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
        limiter.release()
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
        limiter.release()

    await asyncio.gather(*(one() for _ in range(5)))
    assert min(times) >= start + 3.0


async def test_busy_window_429_lowers_the_bucket_and_it_recovers(fake_time: FakeTime) -> None:
    limiter = AccountLimiter(ix.RateLimit(requests=100, per=10.0), clock=fake_time.clock,
                             sleep=fake_time.sleep)
    for _ in range(61):  # the server took 60, refused the 61st
        await limiter.acquire()
        limiter.release()
    limiter.penalize(1.0)
    assert 55 <= limiter.capacity <= 60
    fake_time.now += 100.0  # ten quiet windows later
    assert limiter.capacity >= 100 * 0.95


async def test_quiet_window_429_only_pauses(fake_time: FakeTime) -> None:
    limiter = AccountLimiter(ix.RateLimit(requests=100, per=10.0), clock=fake_time.clock,
                             sleep=fake_time.sleep)
    await limiter.acquire()
    limiter.release()
    limiter.penalize(2.0)
    assert limiter.capacity == 100


async def test_a_slot_is_held_until_per_seconds_after_the_answer(fake_time: FakeTime) -> None:
    # the server counts a request when it arrives, which may be long after it was sent;
    # only "per seconds after the answer" is sure to be outside the server's window
    limiter = AccountLimiter(ix.RateLimit(requests=2, per=10.0), clock=fake_time.clock,
                             sleep=fake_time.sleep)
    await limiter.acquire()
    await limiter.acquire()
    third = asyncio.ensure_future(limiter.acquire())
    await asyncio.sleep(0)
    fake_time.now += 30.0  # a slow answer: both still in flight
    await asyncio.sleep(0)
    assert not third.done()
    limiter.release()  # the first answer arrives at t0 + 30
    released_at = fake_time.now
    await third
    assert fake_time.now == released_at + 10.0
