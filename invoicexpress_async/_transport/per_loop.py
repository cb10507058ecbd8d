"""Things that belong to one event loop, made anew when another loop (or a forked child)
asks for them.

asyncio locks and events bind to the loop that first waits on them, and a Redis
connection to the loop that opened it. A pool outlives loops: the sync facade runs
it on a loop thread that stops when its last client closes, and the next blocking
client starts another; a forked child must never touch its parent's sockets. So
each such thing is held in a :class:`PerLoop`, which hands out the value of the
running loop and drops the old one whole when the loop or the process changed:
nothing needs to be told that a loop went away.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_forks = [0]  # bumped in every forked child: cheaper than os.getpid() on each request


def _forked() -> None:
    _forks[0] += 1


os.register_at_fork(after_in_child=_forked)


def process_generation() -> int:
    """A number that changes in every forked child (compare it to see a fork)."""
    return _forks[0]


class PerLoop(Generic[T]):
    """The value ``factory()`` made for the running loop of this process."""

    __slots__ = ("_factory", "_forks", "_loop", "_value")

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._loop: asyncio.AbstractEventLoop | None = None
        self._forks = -1
        self._value: T | None = None

    def get(self) -> T:
        """This loop's value (made now if the loop or the process is not the last one's)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop or self._forks != _forks[0]:
            self._value = self._factory()
            self._loop, self._forks = loop, _forks[0]
        return self._value  # type: ignore[return-value]  # made just above when missing

    def take(self) -> T | None:
        """The running loop's value, if one was made, handed over and forgotten (to be
        closed); a value of another loop or of the parent process is only forgotten."""
        value, loop, self._value, self._loop = self._value, self._loop, None, None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return value if loop is running and self._forks == _forks[0] else None


__all__ = ["PerLoop", "process_generation"]
