"""A per-account request limiter that also learns the server's real limit from its 429s.

InvoiceXpress allows 780 requests per minute per account and documents no
``Retry-After``. The rules (a window of slots, each held until ``per`` after its
answer; a pace learned from 429s) live in ``slots.py``; this module waits on
them: one coroutine at a time per account asks for a slot (FIFO), the others
queue behind it, so a thousand waiting coroutines cost one timer.

With ``RateLimit(store=RedisStore(...))`` the book lives in Redis and every
process using the same store and account shares it. When Redis cannot be
reached the limiter keeps going under this process's own book (one warning,
Redis tried again every ``retry_interval`` s) or, with ``on_unavailable="fail"``,
raises :class:`~invoicexpress_async.errors.RateLimitStoreError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable

import attrs

from .._checks import positive_int, positive_number, validator
from ..errors import RateLimitStoreError
from .per_loop import PerLoop
from .redis_store import RedisSlots, RedisStore, StoreUnavailable, describe, redis_installed
from .slots import WAIT_FOR_RELEASE, LocalSlots, Ticket
from .stats import TransportStats

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

logger = logging.getLogger("invoicexpress_async")

_SHARED_POLL = 0.05  # how often a full shared window is asked again (other processes free it)
_UNLIMITED = Ticket(0)
_MIRRORED = Ticket(0)  # a shared grant in this process's book: no 429 event covers it


def _store(_instance: object, _attribute: object, value: RedisStore | None) -> None:
    if value is not None and not isinstance(value, RedisStore):
        raise TypeError(f"store must be a RedisStore or None, got {type(value).__name__}")


@attrs.frozen(kw_only=True)
class RateLimit:
    """At most ``requests`` requests in any ``per`` seconds, per account.

    ``store`` shares the account's slots with every process and host using the same
    :class:`RedisStore`; without one the limit is per process.
    """

    requests: int = attrs.field(default=780, validator=validator(positive_int))
    per: float = attrs.field(default=60.0, validator=validator(positive_number))
    store: RedisStore | None = attrs.field(default=None, validator=_store)

    def __attrs_post_init__(self) -> None:
        if self.store is not None and not redis_installed():
            raise ImportError("RateLimit(store=RedisStore(...)) needs redis-py:"
                              " pip install 'invoicexpress-async[redis]'")


class AccountLimiter:
    """The limiter shared by every client and coroutine of one account in a pool."""

    def __init__(self, limit: RateLimit | None, *, clock: Clock, sleep: Sleep,
                 account: str = "", lease: float = 120.0) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._local = LocalSlots(limit.requests, limit.per) if limit else None
        self._shared = (RedisSlots(limit.store, account, requests=limit.requests,
                                   per=limit.per, lease=lease)
                        if limit is not None and limit.store is not None else None)
        self._shared_down_until = -math.inf  # while Redis is unreachable: local slots
        self._waits = PerLoop(_Waits)  # the queue of this account's waiters, per loop
        self._paused_until = -math.inf  # only without a limit: a 429 still pauses
        self.stats = TransportStats()  # the account's, over every client of the pool

    async def flush(self) -> None:
        """Wait until this process's releases and 429s have reached the store."""
        pending = self._waits.get().pending
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def aclose(self) -> None:
        """Send what is still on its way to the store, then close its connections."""
        await self.flush()
        if self._shared is not None:
            await self._shared.aclose()

    @property
    def rate(self) -> float | None:
        """The learned pace in requests per minute; None while the configured limit holds."""
        if self._shared is not None and self._clock() >= self._shared_down_until:
            pace = self._shared.rate
        elif self._local is not None:
            pace = self._local.rate(self._clock())
        else:
            pace = None
        return None if pace is None else pace * 60.0

    @property
    def capacity(self) -> float:
        """Requests currently allowed per window (lower than configured after a 429)."""
        if self.limit is None:
            return math.inf
        rate = self.rate
        configured = float(self.limit.requests)
        return configured if rate is None else min(configured, rate / 60.0 * self.limit.per)

    def try_now(self) -> Ticket | None:
        """A slot without waiting, when one is free in this process's book and nobody
        queues ahead; None otherwise (then :meth:`acquire`)."""
        if self._waits.get().lock.locked() or self._shared_in_use():
            return None
        if self._local is None:
            return _UNLIMITED if self._clock() >= self._paused_until else None
        outcome = self._local.try_acquire(self._clock())
        return outcome if isinstance(outcome, Ticket) else None

    async def acquire(self) -> Ticket:
        """Wait until one more request may be sent for this account, then take a slot.

        Every ``acquire`` must be followed by one :meth:`release` when the attempt ends.
        """
        waits = self._waits.get()
        async with waits.lock:  # FIFO: only the head waiter sleeps, the others queue
            while True:
                outcome = await self._try_acquire()
                if isinstance(outcome, Ticket):
                    return outcome
                if outcome != WAIT_FOR_RELEASE:
                    await self._sleep(outcome)
                    continue
                waits.released.clear()
                if self._shared_in_use():  # other processes free slots too: ask again soon
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(waits.released.wait(), _SHARED_POLL)
                else:
                    await waits.released.wait()

    def release(self, ticket: Ticket, *, accepted: bool) -> None:
        """The attempt that took ``ticket`` has ended; ``accepted`` unless answered 429."""
        if ticket.shared:
            self._later(self._shared_step(lambda shared: shared.release(
                ticket, accepted=accepted)))
            if self._local is not None:  # the mirror of the shared grant
                self._local.release(_MIRRORED, self._clock(), accepted=accepted)
        elif self._local is not None:
            self._local.release(ticket, self._clock(), accepted=accepted)
        self._waits.get().released.set()

    def give_back(self, ticket: Ticket) -> None:
        """``ticket``'s request was never sent (its client closed): the slot is free again
        and counts in no window, here or in the shared store."""
        if ticket.shared:
            self._later(self._shared_step(lambda shared: shared.cancel(ticket)))
        if self._local is not None:
            self._local.give_back()
        self._waits.get().released.set()

    def penalize(self, ticket: Ticket, *, retry_after: float | None, max_pause: float,
                 backoff: float) -> None:
        """The attempt of ``ticket`` was answered 429: pause (and slow) the account.

        ``backoff`` is the pause of an unlimited client when the server gives no
        ``Retry-After``; a limited one learns its own (see ``slots.py``).
        """
        if ticket.shared:
            self._later(self._shared_step(lambda shared: shared.penalize(
                ticket, retry_after=retry_after, max_pause=max_pause)))
        elif self._local is not None:
            self._local.penalize(ticket, self._clock(), retry_after=retry_after,
                                 max_pause=max_pause)
        else:
            delay = min(retry_after, max_pause) if retry_after is not None else backoff
            self._paused_until = max(self._paused_until, self._clock() + delay)

    def _shared_in_use(self) -> bool:
        return self._shared is not None and self._clock() >= self._shared_down_until

    async def _try_acquire(self) -> Ticket | float:
        if self._shared is not None and self._shared_in_use():
            await self.flush()  # this process's releases and 429s reach Redis first
            call = asyncio.ensure_future(self._shared.try_acquire())
            try:
                outcome = await asyncio.shield(call)
            except StoreUnavailable as exc:
                self._store_failed(exc)
            except asyncio.CancelledError:  # a grant Redis makes now is given back
                call.add_done_callback(self._abandoned_grant)
                raise
            else:
                if self._shared_down_until != -math.inf:
                    logger.warning("%s is reachable again: the account's limit is shared"
                                   " again", describe(self._shared.store))
                    self._shared_down_until = -math.inf
                if isinstance(outcome, Ticket) and self._local is not None:
                    self._local.mirror_grant(self._clock())
                return outcome
        if self._local is None:
            now = self._clock()
            return self._paused_until - now if now < self._paused_until else _UNLIMITED
        return self._local.try_acquire(self._clock())

    def _abandoned_grant(self, call: asyncio.Future[Ticket | float]) -> None:
        if not call.cancelled() and call.exception() is None:
            outcome = call.result()
            if isinstance(outcome, Ticket):
                self._later(self._shared_step(lambda shared: shared.cancel(outcome)))

    def _store_failed(self, exc: StoreUnavailable) -> None:
        assert self._shared is not None
        store = self._shared.store
        if store.on_unavailable == "fail":
            raise RateLimitStoreError(f"{describe(store)} is unavailable ({exc})") from None
        if self._shared_down_until == -math.inf:
            logger.warning("%s is unavailable (%s): this process limits the account on its"
                           " own until it is back", describe(store), exc)
        self._shared_down_until = self._clock() + store.retry_interval

    async def _shared_step(self, step: Callable[[RedisSlots], Awaitable[None]]) -> None:
        assert self._shared is not None
        # unreachable: the slot's lease runs out on its own; the next acquire notices
        with contextlib.suppress(StoreUnavailable):
            await step(self._shared)

    def _later(self, step: Awaitable[None]) -> None:
        task = asyncio.ensure_future(step)
        pending = self._waits.get().pending
        pending.add(task)
        task.add_done_callback(pending.discard)


class _Waits:
    """What the waiters of one account share in one event loop."""

    __slots__ = ("lock", "pending", "released")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.released = asyncio.Event()
        self.pending: set[asyncio.Task[None]] = set()  # releases on their way to Redis
