"""Who is told of each request and attempt: counters, OpenTelemetry, the user's hooks.

The attempt loop (``requester.py``) knows none of them by name. When a logical
request begins it asks every :class:`Observer` for a :class:`Watch` of that request
(``None``: nothing to watch, e.g. telemetry without a provider), and tells the watches
what happens: queued in the limiter, an attempt sent, its answer or failure, a retry,
the end. A new kind of observer (a metrics library, an audit trail) is one class here,
not another branch in the loop.

Watches are called in the loop's task, in order; ``attempt`` and ``answered`` may
return an awaitable (an ``async`` user hook), which the loop awaits (before the next
watch is told).
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from .hooks import RequestInfo, ResponseInfo, tell
from .stats import TransportStats
from .telemetry import TELEMETRY

if TYPE_CHECKING:
    from .redact import Scrubber
    from .requester import Request


class Watch:
    """What an observer does for one request; each event does nothing unless overridden."""

    __slots__ = ()

    def queued(self, change: int) -> None:
        """The request started (+1) or stopped (-1) waiting for a slot of the limiter."""

    def attempt(self, request: Request, attempt: int,
                waited: float) -> Awaitable[None] | None:
        """Attempt number ``attempt`` is about to be sent, after ``waited`` seconds for
        its slot."""
        return None

    def answered(self, request: Request, attempt: int, status: int | None,
                 headers: Mapping[str, str], error: str | None,
                 elapsed: float) -> Awaitable[None] | None:
        """The attempt ended: answered ``status`` (None when it failed: ``error`` names
        how), ``elapsed`` seconds after it was sent."""
        return None

    def counted(self, event: str) -> None:
        """``"retries"`` (another attempt follows) or ``"rate_limited"`` (a 429)."""

    def ended(self, error: BaseException | None) -> None:
        """The request is over: answered, or ``error`` raised (cancellation included)."""


class Observer(Protocol):
    """Anything that watches requests: a :class:`Watch` per request, or None."""

    def start(self, request: Request) -> Watch | None: ...


class Watches(Watch):
    """Every watch of one request, told in turn."""

    __slots__ = ("_all",)

    def __init__(self, watches: list[Watch]) -> None:
        self._all = watches

    def queued(self, change: int) -> None:
        for watch in self._all:
            watch.queued(change)

    def attempt(self, request: Request, attempt: int, waited: float) -> Awaitable[None]:
        return self._in_turn("attempt", request, attempt, waited)

    def answered(self, request: Request, attempt: int, status: int | None,
                 headers: Mapping[str, str], error: str | None,
                 elapsed: float) -> Awaitable[None]:
        return self._in_turn("answered", request, attempt, status, headers, error, elapsed)

    async def _in_turn(self, event: str, *arguments: Any) -> None:
        for watch in self._all:
            pending = getattr(watch, event)(*arguments)
            if pending is not None:
                await pending

    def counted(self, event: str) -> None:
        for watch in self._all:
            watch.counted(event)

    def ended(self, error: BaseException | None) -> None:
        for watch in self._all:
            watch.ended(error)


def watch_all(observers: tuple[Observer, ...], request: Request) -> Watch:
    """The watches ``observers`` keep over ``request``: the only one itself when one
    watches (the usual case: the counters, whose events are plain calls), else all of
    them in turn."""
    found = []
    for observer in observers:
        watch = observer.start(request)
        if watch is not None:
            found.append(watch)
    return found[0] if len(found) == 1 else Watches(found)


class Counters(Watch):
    """Counts into a client's and its account's :class:`TransportStats` at once."""

    __slots__ = ("_targets",)

    def __init__(self, *targets: TransportStats) -> None:
        self._targets = targets

    def start(self, request: Request) -> Watch:
        for stats in self._targets:
            stats.requests += 1
        return self

    def queued(self, change: int) -> None:
        for stats in self._targets:
            stats.waiting += change

    def attempt(self, request: Request, attempt: int, waited: float) -> None:
        for stats in self._targets:
            stats.attempts += 1
            stats.limiter_wait += waited

    def counted(self, event: str) -> None:
        for stats in self._targets:
            setattr(stats, event, getattr(stats, event) + 1)


class Telemetry:
    """One OpenTelemetry span and its metrics per request, when a provider is set."""

    __slots__ = ()

    def start(self, request: Request) -> Watch | None:
        if not TELEMETRY.enabled:  # one check per request when nobody listens
            return None
        return _Recording(TELEMETRY.begin(request.method, request.template or request.path))


class _Recording(Watch):
    __slots__ = ("_record",)

    def __init__(self, record: Any) -> None:
        self._record = record

    def attempt(self, request: Request, attempt: int, waited: float) -> None:
        self._record.attempts += 1
        self._record.limiter_wait += waited

    def answered(self, request: Request, attempt: int, status: int | None,
                 headers: Mapping[str, str], error: str | None, elapsed: float) -> None:
        if status is not None:
            self._record.status = status
            self._record.rate_limited += status == 429

    def ended(self, error: BaseException | None) -> None:
        self._record.end(error)


class Hooks(Watch):
    """The application's hooks (``hooks=[...]``): told of each attempt, never of the key."""

    __slots__ = ("_account", "_hooks", "_scrub")

    def __init__(self, hooks: tuple[Any, ...], account: str, scrub: Scrubber) -> None:
        self._hooks = hooks
        self._account = account
        self._scrub = scrub

    def start(self, request: Request) -> Watch:
        return self

    async def attempt(self, request: Request, attempt: int, waited: float) -> None:
        await tell(self._hooks, "on_request", RequestInfo(
            method=request.method, template=request.template or request.path,
            account=self._account, attempt=attempt))

    async def answered(self, request: Request, attempt: int, status: int | None,
                       headers: Mapping[str, str], error: str | None,
                       elapsed: float) -> None:
        await tell(self._hooks, "on_response", ResponseInfo(
            method=request.method, template=request.template or request.path,
            account=self._account, attempt=attempt, status=status,
            headers=self._scrub.headers(headers), elapsed=elapsed, error=error))


__all__ = ["Counters", "Hooks", "Observer", "Telemetry", "Watch", "Watches", "watch_all"]
