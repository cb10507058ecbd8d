"""Closing that wakes every waiter at once.

A request can wait a long time before it is sent: for a slot of its account's
limiter (a full window, a 429 pause of 30 s), for a retry's backoff, between two
polls of a PDF. When its client or pool closes, each of those waits must end
*now* with :class:`~invoicexpress_async.errors.ClientClosedError`, not one slot
at a time minutes later, and nothing more may be sent.

A :class:`CloseSignal` is fired once, by ``aclose()``; :func:`until_closed` runs a
wait that ends early when any of the given signals fires. It costs a task, so
callers first try what can be had without waiting (a free slot) and race only
the waits that must suspend.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


class Closed(Exception):
    """Internal: a signal fired while waiting (the requester raises ClientClosedError)."""


class CloseSignal:
    """Fired once when a client or pool closes; wakes every wait raced against it."""

    def __init__(self) -> None:
        self.closed = False
        self._waiters: set[asyncio.Future[None]] = set()

    def fire(self) -> None:
        self.closed = True
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            with contextlib.suppress(RuntimeError):  # its loop is already closed
                waiter.get_loop().call_soon_threadsafe(_settle, waiter)

    def _watch(self, waiter: asyncio.Future[None]) -> None:
        self._waiters.add(waiter)

    def _forget(self, waiter: asyncio.Future[None]) -> None:
        self._waiters.discard(waiter)


def _settle(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def until_closed(wait: Awaitable[T], signals: tuple[CloseSignal, ...], *,
                       abandon: Callable[[T], None] | None = None) -> T:
    """``await wait``, unless one of ``signals`` fires first: then :class:`Closed`.

    ``abandon`` receives a result that arrived after the signal fired (a slot granted
    in the same instant), so that it can be given back rather than leaked.
    """
    if any(signal.closed for signal in signals):
        _drop(wait)
        raise Closed
    task = asyncio.ensure_future(wait)
    woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    for signal in signals:
        signal._watch(woken)
    try:
        await asyncio.wait((task, woken), return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        _give_back_later(task, abandon)
        raise
    finally:
        for signal in signals:
            signal._forget(woken)
        woken.cancel()
    if task.done() and not any(signal.closed for signal in signals):
        return task.result()
    task.cancel()
    _give_back_later(task, abandon)
    raise Closed


def _give_back_later(task: asyncio.Future[T], abandon: Callable[[T], None] | None) -> None:
    """Once ``task`` ends, hand a result it still produced to ``abandon``."""
    def done(finished: asyncio.Future[T]) -> None:
        if finished.cancelled():
            return
        if finished.exception() is None and abandon is not None:
            abandon(finished.result())

    task.add_done_callback(done)


def _drop(wait: Awaitable[object]) -> None:
    """Close a coroutine that will never be awaited (no "never awaited" warning)."""
    if asyncio.iscoroutine(wait):
        with contextlib.suppress(RuntimeError):
            wait.close()
