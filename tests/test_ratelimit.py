"""The per-account limiter on fake time: the window promise, the pause, learning the server."""

from __future__ import annotations

import asyncio

import pytest

import invoicexpress_async as ix
from invoicexpress_async._transport.ratelimit import AccountLimiter
from invoicexpress_async._transport.slots import FIRST_PAUSE, GROWTH, MARGIN, PAUSE_GROWTH

from .conftest import FakeTime


def limiter_of(fake_time: FakeTime, requests: int | None, per: float = 1.0) -> AccountLimiter:
    limit = ix.RateLimit(requests=requests, per=per) if requests is not None else None
    return AccountLimiter(limit, clock=fake_time.clock, sleep=fake_time.sleep)


async def test_no_window_ever_holds_more_than_the_limit(fake_time: FakeTime) -> None:
    limiter = limiter_of(fake_time, 10)
    stamps = []
    for _ in range(55):
        ticket = await limiter.acquire()
        stamps.append(fake_time.now)
        limiter.release(ticket, accepted=True)
    for i, start in enumerate(stamps):
        in_window = [t for t in stamps[i:] if t < start + 1.0]
        assert len(in_window) <= 10
    # and it does not waste the allowance: 55 requests take 5 windows, no more
    assert stamps[-1] - stamps[0] <= 5.0 + 1e-9


async def test_penalty_pauses_concurrent_waiters(fake_time: FakeTime) -> None:
    limiter = limiter_of(fake_time, None)
    ticket = await limiter.acquire()
    limiter.release(ticket, accepted=False)
    limiter.penalize(ticket, retry_after=3.0, max_pause=60.0, backoff=0.1)
    start = fake_time.now
    times = []

    async def one() -> None:
        ticket = await limiter.acquire()
        times.append(fake_time.now)
        limiter.release(ticket, accepted=True)

    await asyncio.gather(*(one() for _ in range(5)))
    assert min(times) >= start + 3.0


async def refused_after(limiter: AccountLimiter, accepted: int) -> None:
    """``accepted`` requests go through, the next one is answered 429."""
    for _ in range(accepted):
        ticket = await limiter.acquire()
        limiter.release(ticket, accepted=True)
    ticket = await limiter.acquire()
    limiter.release(ticket, accepted=False)
    limiter.penalize(ticket, retry_after=None, max_pause=60.0, backoff=0.0)


async def test_a_429_without_retry_after_pauses_then_probes_one_at_a_time(
        fake_time: FakeTime) -> None:
    limiter = limiter_of(fake_time, 100, per=10.0)
    await refused_after(limiter, 30)
    paused_at = fake_time.now
    probe = await limiter.acquire()
    assert fake_time.now == pytest.approx(paused_at + FIRST_PAUSE)
    second = asyncio.ensure_future(limiter.acquire())
    await asyncio.sleep(0.01)
    assert not second.done()  # one probe at a time while the account is refused
    limiter.release(probe, accepted=False)
    limiter.penalize(probe, retry_after=None, max_pause=60.0, backoff=0.0)
    probe = await second
    # the second pause grew
    assert fake_time.now == pytest.approx(paused_at + FIRST_PAUSE * (1 + PAUSE_GROWTH))
    limiter.release(probe, accepted=True)
    assert limiter.rate is not None


async def test_the_learned_pace_is_what_the_server_took_and_it_grows_back(
        fake_time: FakeTime) -> None:
    limiter = limiter_of(fake_time, 100, per=10.0)  # configured: 600/min
    await refused_after(limiter, 10)  # 10 taken in no time: the pause ends after 2 s
    probe = await limiter.acquire()
    limiter.release(probe, accepted=True)
    # the 10 the server took, over the 2 s from the burst to the probe, 90%, per minute
    learned = limiter.rate
    assert learned == pytest.approx(MARGIN * 10 / FIRST_PAUSE * 60)
    assert limiter.capacity < 100
    # the pace is kept: no two grants closer than 1/rate
    before = fake_time.now
    for _ in range(5):
        ticket = await limiter.acquire()
        limiter.release(ticket, accepted=True)
    assert fake_time.now - before >= 4 * 60 / learned - 1e-9
    fake_time.now += 60.0
    assert limiter.rate == pytest.approx(learned * (1 + GROWTH * (fake_time.now - before)),
                                         rel=0.01)
    fake_time.now += 1000.0  # grown back to the configured rate: pacing stops
    assert limiter.rate is None and limiter.capacity == 100


async def test_429s_of_requests_already_sent_are_one_event(fake_time: FakeTime) -> None:
    limiter = limiter_of(fake_time, 100, per=10.0)
    tickets = [await limiter.acquire() for _ in range(4)]  # four in flight
    for ticket in tickets:  # all four answered 429
        limiter.release(ticket, accepted=False)
        limiter.penalize(ticket, retry_after=None, max_pause=60.0, backoff=0.0)
    start = fake_time.now
    ticket = await limiter.acquire()
    assert fake_time.now == pytest.approx(start + FIRST_PAUSE)  # not 2+3+4.5+6.75 s


async def test_retry_after_sets_the_pause(fake_time: FakeTime) -> None:
    limiter = limiter_of(fake_time, 100, per=10.0)
    ticket = await limiter.acquire()
    limiter.release(ticket, accepted=False)
    limiter.penalize(ticket, retry_after=7.0, max_pause=60.0, backoff=0.0)
    start = fake_time.now
    await limiter.acquire()
    assert fake_time.now == pytest.approx(start + 7.0)


async def test_a_slot_is_held_until_per_seconds_after_the_answer(fake_time: FakeTime) -> None:
    # the server counts a request when it arrives, which may be long after it was sent;
    # only "per seconds after the answer" is sure to be outside the server's window
    limiter = limiter_of(fake_time, 2, per=10.0)
    first = await limiter.acquire()
    await limiter.acquire()
    third = asyncio.ensure_future(limiter.acquire())
    await asyncio.sleep(0)
    fake_time.now += 30.0  # a slow answer: both still in flight
    await asyncio.sleep(0)
    assert not third.done()
    limiter.release(first, accepted=True)  # the first answer arrives at t0 + 30
    released_at = fake_time.now
    await third
    assert fake_time.now == released_at + 10.0
