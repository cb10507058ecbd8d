"""Wait out the API's 202 "not ready yet" answers (PDF, QR code, SAF-T).

One poller for every operation that answers 202: it asks again with growing
pauses (``interval`` x1.5 each time, up to ``max_interval``), every poll going
through the account's limiter like any request, until the answer is ready or
``timeout`` seconds have passed (:class:`~invoicexpress_async.PollTimeout`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs

from ._checks import positive_number, validator
from ._transport.ratelimit import Clock, Sleep
from .errors import PollTimeout

T = TypeVar("T")
_GROWTH = 1.5
_seconds = validator(positive_number, prefix="poll.")


@attrs.frozen(kw_only=True)
class PollPolicy:
    """How patiently a 202 answer is polled: first pause ``interval`` seconds, growing to
    ``max_interval``; give up after ``timeout`` seconds."""

    interval: float = attrs.field(default=1.0, validator=_seconds)
    max_interval: float = attrs.field(default=10.0, validator=_seconds)
    timeout: float = attrs.field(default=120.0, validator=_seconds)


async def wait_until(attempt: Callable[[], Awaitable[T | None]], policy: PollPolicy, *,
                     clock: Clock, sleep: Sleep, what: str) -> T:
    """Call ``attempt()`` until it returns something other than None (not ready yet),
    pausing between calls; :class:`PollTimeout` once ``policy.timeout`` has passed."""
    started = clock()
    deadline = started + policy.timeout
    pause = policy.interval
    polls = 0
    while True:
        result = await attempt()
        polls += 1
        if result is not None:
            return result
        now = clock()
        if now >= deadline:
            raise PollTimeout(f"{what} was still not ready after {now - started:.1f} s"
                              f" ({polls} polls); raise PollPolicy(timeout=...) to wait longer",
                              seconds=now - started, polls=polls)
        await sleep(min(pause, deadline - now))
        pause = min(policy.max_interval, pause * _GROWTH)
