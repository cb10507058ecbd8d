"""A per-account request limiter that also obeys the server's 429s.

InvoiceXpress allows 780 requests per minute per account. The limiter is a
token bucket whose tokens each come back ``per`` seconds after the request
that spent them *finished*: the server counted the request somewhere between
sending and answering, so holding the token from send until ``per`` after the
answer guarantees that no window of ``per`` seconds, as the server sees it,
ever holds more than ``requests`` requests. That is why a client configured to
the real limit never meets a 429, even when a burst queues up at the server.

When the server limits harder than configured (a smaller plan, another process
using the same account), a 429 does two things for every coroutine of the
account: it pauses them all until the ``Retry-After`` (or the backoff) has
passed, and, when the window was busy enough for our own traffic to explain
the 429, it lowers the bucket to what the server really accepted in the last
window. The bucket then grows back by 5% of the configured rate per
window while no further 429 arrives.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable

import attrs

from .._checks import positive_int, positive_number, validator

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_RECOVERY_PER_WINDOW = 0.05
_DECREASE_FACTOR = 0.95
# a 429 lowers the bucket only when our own traffic explains it: the window held at
# least this share of what we allow. A stray 429 on a quiet window only pauses.
_BUSY_WINDOW = 0.4


@attrs.frozen(kw_only=True)
class RateLimit:
    """At most ``requests`` requests in any ``per`` seconds, per account."""

    requests: int = attrs.field(default=780, validator=validator(positive_int))
    per: float = attrs.field(default=60.0, validator=validator(positive_number))


class AccountLimiter:
    """The limiter shared by every client and coroutine of one account."""

    def __init__(self, limit: RateLimit | None, *, clock: Clock, sleep: Sleep) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._stamps: deque[float] = deque()  # when recent requests finished
        self._in_flight = 0
        self._released = asyncio.Event()
        self._paused_until = -math.inf
        self._ceiling = float(limit.requests) if limit else math.inf
        self._decreased_at = -math.inf
        self._lock = asyncio.Lock()
        self.rate_limited = 0  # 429s seen for this account

    def detach(self) -> None:
        """Forget the event loop the waits were bound to (its thread is going away);
        the counts stay. Only when no request of this account is in flight."""
        self._released = asyncio.Event()
        self._lock = asyncio.Lock()

    @property
    def capacity(self) -> float:
        """Requests currently allowed per window (lower than configured after a 429)."""
        if self.limit is None:
            return math.inf
        configured = float(self.limit.requests)
        if self._ceiling >= configured:
            return configured
        windows = (self._clock() - self._decreased_at) / self.limit.per
        grown = self._ceiling + windows * _RECOVERY_PER_WINDOW * configured
        return min(configured, grown)

    async def acquire(self) -> None:
        """Wait until one more request may be sent for this account, then take a slot.

        Every ``acquire`` must be followed by one :meth:`release` when the attempt ends.
        """
        async with self._lock:  # FIFO: only the head waiter sleeps, the others queue
            while True:
                wait = self._wait_time()
                if wait <= 0:
                    self._in_flight += 1
                    return
                if wait == math.inf:  # every slot is in flight: wait for one to finish
                    self._released.clear()
                    await self._released.wait()
                else:
                    await self._sleep(wait)

    def release(self) -> None:
        """The attempt that took a slot has finished (answered or failed)."""
        self._in_flight -= 1
        if self.limit is not None:
            self._stamps.append(self._clock())
            self._released.set()

    def _wait_time(self) -> float:
        now = self._clock()
        if now < self._paused_until:
            return self._paused_until - now
        if self.limit is None:
            return 0.0
        self._expire(now)
        allowed = max(1, int(self.capacity))
        # finished requests free their slot `per` after finishing; in-flight ones later
        excess = len(self._stamps) + self._in_flight - allowed
        if excess < 0:
            return 0.0
        if excess >= len(self._stamps):
            return math.inf
        return max(self._stamps[excess] + self.limit.per - now, 1e-6)

    def _expire(self, now: float) -> None:
        assert self.limit is not None
        horizon = now - self.limit.per
        stamps = self._stamps
        while stamps and stamps[0] <= horizon:
            stamps.popleft()

    def penalize(self, delay: float) -> None:
        """A 429 arrived: pause the whole account for ``delay`` s and shrink the bucket."""
        now = self._clock()
        self.rate_limited += 1
        self._paused_until = max(self._paused_until, now + delay)
        if self.limit is None:
            return
        self._expire(now)
        # the rejected request is in the window too: what the server took is one less
        accepted = len(self._stamps) + self._in_flight - 1
        capacity = self.capacity
        if accepted >= _BUSY_WINDOW * capacity:
            self._ceiling = max(1.0, min(capacity, accepted) * _DECREASE_FACTOR)
            self._decreased_at = now
