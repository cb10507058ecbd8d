"""The rules of one account's request slots, kept in this process: no I/O, no waiting.

Two rules decide when a request may go:

* **The window**: at most ``requests`` slots in any ``per`` seconds. A slot is
  taken when the request is sent and given back ``per`` seconds after its
  answer: the server counted the request somewhere in between, so no window of
  ``per`` seconds, as the server sees it, ever holds more than ``requests``.
* **The learned rate**: the API documents no ``Retry-After``, so a server
  stricter than configured (a smaller plan, another process) has to be learned
  from its 429s, the way TCP learns a link: a 429 cuts the pace to half what got
  through, pauses the account (2 s, growing 1.5x while 429s go on), then lets one
  probe through at a time until one is accepted. The first time, what the server
  had taken before refusing, over the time from then until that probe went
  through (the pauses included), is the rate it allows; from the second 429 event
  on, what it accepted *between the two events*, over the time between them: a
  server refusing with a token bucket lets a burst through first (its stored
  tokens), which the first measure counts as rate, while between two refusals
  the bucket is empty at both ends and what got through is what it refills. 90%
  of the measure, never more than the configured rate, becomes the pace, which
  then grows by 0.3% a second (18% a minute); pacing stops once it has grown 20%
  past the configured rate (a minute or more after a 429: no burst meanwhile).
  Without ``Retry-After`` a pause never outlasts the configured window. 429s of
  requests that were already on their way when the pause began are the same
  event: they neither cut nor lengthen it.

:class:`LocalSlots` is the in-process book; ``redis_store.py`` keeps the same
book in Redis, with the constants below passed to its script.
"""

from __future__ import annotations

import math
from collections import deque

import attrs

CUT = 0.5  # a 429 halves the pace while the account probes
MARGIN = 0.9  # the pace after a probe went through: 90% of what the server took
GROWTH = 0.003  # per second, of the pace set last
FIRST_PAUSE = 2.0  # seconds without Retry-After: a shorter first pause almost never
# outlasts a server window, and every probe is a 429
PAUSE_GROWTH = 1.5  # each further 429 in a row: the probe that goes through overshoots
# the server's window by less than doubling would (2+3 s, not 2+4 s, after a burst into a
# 5 s window), and what it measures is what the server took over that time
MIN_SPAN = 1.0  # a rate is never measured over less than a second
FLOOR = 0.01  # the pace never drops below 1% of the configured rate
STOP = 1.2  # pacing stops once the pace has grown to 120% of the configured rate
WAIT_FOR_RELEASE = math.inf


@attrs.frozen(slots=True)
class Ticket:
    """A granted slot: what to hand back to ``release`` and ``penalize``."""

    seq: int  # grants are numbered: a 429 event covers every grant made before it
    shared: bool = False  # granted by the shared store rather than this process


def pace(rate: float, rate_at: float, now: float, configured: float) -> float | None:
    """The pace (requests/s) at ``now`` of a rate learned at ``rate_at``; None once it
    has grown back to the configured rate (pacing stops)."""
    grown = rate * (1.0 + GROWTH * max(0.0, now - rate_at))
    return None if grown >= STOP * configured else grown


def pause_for(streak: int, retry_after: float | None, max_pause: float, per: float) -> float:
    """How long the account waits after the ``streak``-th 429 in a row. Without a
    ``Retry-After`` never longer than the configured window: the server's is taken to
    be no longer than that."""
    if retry_after is not None:
        return min(retry_after, max_pause)
    return min(max_pause, per, FIRST_PAUSE * PAUSE_GROWTH ** (streak - 1))


class LocalSlots:
    """One account's slots in this process (see the module docstring for the rules)."""

    def __init__(self, requests: int, per: float) -> None:
        self.requests = requests
        self.per = per
        self.configured_rate = requests / per
        self._finished: deque[float] = deque()  # when recent requests were answered
        self._in_flight = 0
        self._paused_until = -math.inf
        self._rate: float | None = None
        self._rate_at = 0.0
        self._last_grant = -math.inf
        self._window_start = 0.0
        self._burst = 0  # what the server had taken when the current 429 event began
        self._burst_since = 0.0  # ... counted from then
        self._streak = 0
        self._event_seq = 0  # the last grant made before the current 429 event began
        self._granted = 0
        self._accepted = 0  # answers other than 429, ever
        self._event_at: float | None = None  # when the last 429 event began ...
        self._event_accepted = 0  # ... and how many had been accepted then
        self._between = 0.0  # accepted per second between the last two 429 events

    def rate(self, now: float) -> float | None:
        """The learned pace in requests/s, None while the configured limit holds."""
        if self._rate is None:
            return None
        current = pace(self._rate, self._rate_at, now, self.configured_rate)
        if current is None:
            self._rate = None
        return current

    def try_acquire(self, now: float) -> Ticket | float:
        """A slot now, or how long to wait (``WAIT_FOR_RELEASE``: until one is released)."""
        if now < self._paused_until:
            return self._paused_until - now
        if self._streak and self._in_flight:  # probing: one request at a time
            return WAIT_FOR_RELEASE
        self._expire(now)
        excess = len(self._finished) + self._in_flight - self.requests
        if excess >= 0:
            if excess >= len(self._finished):
                return WAIT_FOR_RELEASE
            return max(self._finished[excess] + self.per - now, 1e-6)
        rate = self.rate(now)
        if rate is not None and now < self._last_grant + 1.0 / rate:
            return self._last_grant + 1.0 / rate - now
        if not self._finished and not self._in_flight:
            self._window_start = now
        self._in_flight += 1
        self._last_grant = now
        self._granted += 1
        return Ticket(self._granted)

    def give_back(self) -> None:
        """A granted slot whose request was never sent (its client closed first)."""
        self._in_flight -= 1

    def mirror_grant(self, now: float) -> None:
        """Count a slot the shared store granted this process, so that this book, should
        the store become unreachable, starts from what this process already sent; it is
        released like any other (with a ticket no 429 event covers)."""
        self._in_flight += 1
        self._last_grant = now

    def release(self, ticket: Ticket, now: float, *, accepted: bool) -> None:
        """The attempt ended; ``accepted`` when the server answered anything but 429."""
        self._in_flight -= 1
        self._finished.append(now)
        self._accepted += accepted
        if accepted and self._streak and ticket.seq > self._event_seq:
            self._streak = 0  # the probe went through: pace under what the server took
            if self._between:  # a second event: what got through between the two
                self._set_rate(MARGIN * self._between, now)
            elif self._burst:  # a refusal of the very first request teaches no rate
                span = max(MIN_SPAN, now - self._burst_since)
                self._set_rate(MARGIN * self._burst / span, now)

    def penalize(self, ticket: Ticket, now: float, *, retry_after: float | None,
                 max_pause: float) -> None:
        """The attempt of ``ticket`` was answered 429."""
        if ticket.seq <= self._event_seq:  # sent before this 429 event began
            if retry_after is not None:
                self._paused_until = max(self._paused_until,
                                         now + min(retry_after, max_pause))
            return
        self._streak += 1
        self._event_seq = self._granted
        if self._streak == 1:
            self._between = 0.0 if self._event_at is None else \
                (self._accepted - self._event_accepted) / max(MIN_SPAN, now - self._event_at)
            self._event_at, self._event_accepted = now, self._accepted
            current = self.rate(now)
            self._expire(now)
            self._burst = len(self._finished) + self._in_flight - 1  # all but this one
            self._burst_since = max(self._window_start, now - self.per)
            taken = self._burst / max(MIN_SPAN, now - self._burst_since)
            if current is not None or taken:
                self._set_rate(CUT * (taken if current is None else current), now)
        self._paused_until = max(self._paused_until,
                                 now + pause_for(self._streak, retry_after, max_pause, self.per))

    def _set_rate(self, rate: float, now: float) -> None:
        configured = self.configured_rate
        self._rate = max(FLOOR * configured, min(configured, rate))
        self._rate_at = now

    def _expire(self, now: float) -> None:
        horizon = now - self.per
        finished = self._finished
        while finished and finished[0] <= horizon:
            finished.popleft()
