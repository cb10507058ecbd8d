"""One account's slots kept in Redis, so every process and host shares the limit.

The book is the one of ``slots.py`` (same rules, same constants), held in three
keys per account and changed only by one Lua script, so each step is atomic
across processes and timed by the Redis server's clock, never the hosts'. A
slot in flight is a lease: a process killed mid-request holds it at most
``per`` + the request timeout, then it expires on its own.

redis-py (``pip install 'invoicexpress-async[redis]'``) is imported only when a
store is used.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import attrs
import yarl

from .._checks import installed, positive_number, text, validator
from . import slots
from .per_loop import PerLoop
from .slots import Ticket
from .urls import shown

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger("invoicexpress_async")

# Times in ms of the server's clock; rates in requests per second. ARGV[1] is the step.
_SCRIPT = """
local inflight, done, state = KEYS[1], KEYS[2], KEYS[3]
local step, forced = string.match(ARGV[1], '^(%a+)@?(.*)$')
local requests, per, lease = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local cut, growth, first_pause = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local min_span, floor, margin = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local stop, pause_growth = tonumber(ARGV[11]), tonumber(ARGV[12])
local configured = requests * 1000 / per
local now
if forced ~= '' then now = tonumber(forced)  -- a replayed clock (the differential test)
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
redis.call('ZREMRANGEBYSCORE', inflight, '-inf', now)
redis.call('ZREMRANGEBYSCORE', done, '-inf', now)
local s = redis.call('HMGET', state, 'paused_until', 'rate', 'rate_at', 'last_grant',
                     'streak', 'window_start', 'event_seq', 'granted', 'burst',
                     'burst_since', 'accepted', 'event_at', 'event_accepted', 'between')
local paused_until = tonumber(s[1]) or 0
local rate, rate_at = tonumber(s[2]), tonumber(s[3]) or 0
local last_grant, streak = tonumber(s[4]) or -1e18, tonumber(s[5]) or 0
local window_start, event_seq = tonumber(s[6]) or now, tonumber(s[7]) or 0
local granted = tonumber(s[8]) or 0
local burst, burst_since = tonumber(s[9]) or 0, tonumber(s[10]) or now
local accepted, event_at = tonumber(s[11]) or 0, tonumber(s[12])
local event_accepted, between = tonumber(s[13]) or 0, tonumber(s[14]) or 0

local function keep()
  local ttl = math.ceil(per + lease + 60000)
  redis.call('PEXPIRE', inflight, ttl)
  redis.call('PEXPIRE', done, ttl)
  redis.call('PEXPIRE', state, ttl)
end
local function pace()
  if not rate then return nil end
  local grown = rate * (1 + growth * math.max(0, now - rate_at) / 1000)
  if grown >= stop * configured then
    redis.call('HDEL', state, 'rate')
    return nil
  end
  return grown
end
local function set_rate(value)  -- stored, and seen by the rest of this run (its answer)
  rate = math.max(floor * configured, math.min(configured, value))
  redis.call('HSET', state, 'rate', tostring(rate))
  rate_at = now
  redis.call('HSET', state, 'rate_at', tostring(now))
end
local function shown(value) if value then return tostring(value) end return '' end

if step == 'acquire' then
  if now < paused_until then return {'wait', tostring(paused_until - now), shown(pace())} end
  local flying, finished = redis.call('ZCARD', inflight), redis.call('ZCARD', done)
  if streak > 0 and flying > 0 then return {'release', '', shown(pace())} end
  local excess = finished + flying - requests
  if excess >= 0 then
    if excess >= finished then return {'release', '', shown(pace())} end
    local nth = redis.call('ZRANGE', done, excess, excess, 'WITHSCORES')
    return {'wait', tostring(math.max(tonumber(nth[2]) - now, 0.001)), shown(pace())}
  end
  local current = pace()
  if current and now < last_grant + 1000 / current then
    return {'wait', tostring(last_grant + 1000 / current - now), shown(current)}
  end
  if finished + flying == 0 then redis.call('HSET', state, 'window_start', tostring(now)) end
  local token = redis.call('HINCRBY', state, 'granted', 1)
  redis.call('ZADD', inflight, now + lease, token)
  redis.call('HSET', state, 'last_grant', tostring(now))
  keep()
  return {'grant', tostring(token), shown(current)}
end

local token = ARGV[13]
local seq = tonumber(token)
if step == 'cancel' then  -- granted, never sent (the client closed): no window slot used
  redis.call('ZREM', inflight, token)
  return {'ok', '', shown(pace())}
end
if step == 'release' then
  redis.call('ZREM', inflight, token)
  redis.call('ZADD', done, now + per, token)
  if ARGV[14] == '1' then redis.call('HINCRBY', state, 'accepted', 1) end
  if ARGV[14] == '1' and streak > 0 and seq > event_seq then
    redis.call('HSET', state, 'streak', 0)
    if between > 0 then set_rate(margin * between)
    elseif burst > 0 then
      set_rate(margin * burst * 1000 / math.max(min_span, now - burst_since))
    end
  end
  keep()
  return {'ok', '', shown(pace())}
end

-- step == 'penalize': ARGV[14] the Retry-After in ms (or ''), ARGV[15] the longest pause
local retry_after, max_pause = tonumber(ARGV[14]), tonumber(ARGV[15])
local pause
if seq <= event_seq then
  if not retry_after then return {'ok', '', shown(pace())} end
  pause = math.min(retry_after, max_pause)
else
  streak = streak + 1
  redis.call('HSET', state, 'streak', streak, 'event_seq', granted)
  if streak == 1 then
    if event_at then
      between = (accepted - event_accepted) * 1000 / math.max(min_span, now - event_at)
    else between = 0 end
    redis.call('HSET', state, 'between', tostring(between), 'event_at', tostring(now),
               'event_accepted', accepted)
    local current = pace()
    burst = redis.call('ZCARD', done) + redis.call('ZCARD', inflight) - 1
    burst_since = math.max(window_start, now - per)
    redis.call('HSET', state, 'burst', burst, 'burst_since', tostring(burst_since))
    if current or burst > 0 then
      set_rate(cut * (current or burst * 1000 / math.max(min_span, now - burst_since)))
    end
  end
  if retry_after then pause = math.min(retry_after, max_pause)
  else pause = math.min(max_pause, per, first_pause * pause_growth ^ (streak - 1)) end
end
redis.call('HSET', state, 'paused_until', tostring(math.max(paused_until, now + pause)))
keep()
return {'ok', '', shown(pace())}
"""


def _shown(url: str) -> str:
    """The URL as reprs, logs and errors show it: no credentials, no query (redis-py
    also takes ``?password=``)."""
    try:
        return shown(yarl.URL(url))
    except (TypeError, ValueError):
        return "<invalid url>"


@attrs.frozen
class RedisStore:
    """Where an account's limiter keeps its slots so that many processes share them.

    ``url`` is a redis-py URL (``redis://host:6379/0``, ``rediss://``, ``unix://``);
    its password (and query) never appears in a repr, log line or error. Keys are
    ``{prefix:account}:*`` (one Redis Cluster slot per account) and expire on their
    own when unused. ``on_unavailable``: ``"local"`` (default) keeps sending under
    this process's own limiter, logs one warning and tries Redis again every
    ``retry_interval`` seconds; ``"fail"`` raises :class:`RateLimitStoreError`.
    ``timeout`` bounds each Redis call (seconds).
    """

    url: str = attrs.field(validator=validator(text), repr=_shown)
    prefix: str = attrs.field(default="invoicexpress", validator=validator(text), kw_only=True)
    on_unavailable: Literal["local", "fail"] = attrs.field(default="local", kw_only=True)
    retry_interval: float = attrs.field(default=5.0, validator=validator(positive_number),
                                        kw_only=True)
    timeout: float = attrs.field(default=1.0, validator=validator(positive_number),
                                 kw_only=True)

    @on_unavailable.validator
    def _check_on_unavailable(self, _: Any, value: object) -> None:
        if value not in ("local", "fail"):
            raise ValueError(f"on_unavailable must be 'local' or 'fail', got {value!r}")


class StoreUnavailable(Exception):
    """Redis could not be reached or answered nonsense (internal; mapped by the limiter)."""


class RedisSlots:
    """One account's book in Redis; every call is one atomic script run."""

    def __init__(self, store: RedisStore, account: str, *, requests: int, per: float,
                 lease: float) -> None:
        self.store = store
        tag = f"{{{store.prefix}:{account}}}"
        self._keys = [f"{tag}:inflight", f"{tag}:done", f"{tag}:state"]
        self._limits = [str(requests), repr(per * 1000), repr(lease * 1000),
                        repr(slots.CUT), repr(slots.GROWTH), repr(slots.FIRST_PAUSE * 1000),
                        repr(slots.MIN_SPAN * 1000), repr(slots.FLOOR), repr(slots.MARGIN),
                        repr(slots.STOP), repr(slots.PAUSE_GROWTH)]
        self._connection = PerLoop(self._connect)  # redis-py's sockets belong to one loop
        self.rate: float | None = None  # the learned pace at the last call (requests/s)
        # tests replay a script of events on a clock of their own; otherwise Redis's TIME
        self.clock: Callable[[], float] | None = None

    async def try_acquire(self) -> Ticket | float:
        kind, first, rate = await self._run("acquire")
        self._note_rate(rate)
        if kind == "grant":
            return Ticket(int(first), shared=True)
        return slots.WAIT_FOR_RELEASE if kind == "release" else float(first) / 1000

    async def release(self, ticket: Ticket, *, accepted: bool) -> None:
        answer = await self._run("release", str(ticket.seq), "1" if accepted else "0")
        self._note_rate(answer[2])

    async def cancel(self, ticket: Ticket) -> None:
        """Give back a slot granted to a request that was never sent."""
        await self._run("cancel", str(ticket.seq))

    async def penalize(self, ticket: Ticket, *, retry_after: float | None,
                       max_pause: float) -> None:
        answer = await self._run("penalize", str(ticket.seq),
                                 "" if retry_after is None else repr(retry_after * 1000),
                                 repr(max_pause * 1000))
        self._note_rate(answer[2])

    def _note_rate(self, value: str) -> None:
        self.rate = float(value) if value else None

    async def _run(self, step: str, *args: str) -> list[str]:
        import redis.exceptions

        try:
            script = self._connection.get().script
            if self.clock is not None:
                step = f"{step}@{self.clock() * 1000!r}"
            answer = await script(keys=self._keys, args=[step, *self._limits, *args])
            return [part.decode() if isinstance(part, bytes) else str(part) for part in answer]
        except (redis.exceptions.RedisError, OSError, TimeoutError, ValueError,
                IndexError) as exc:
            # the exception text may hold the URL and so the password: only its type
            raise StoreUnavailable(type(exc).__name__) from None

    def _connect(self) -> _Connection:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(
            self.store.url, socket_timeout=self.store.timeout,
            socket_connect_timeout=self.store.timeout, retry_on_timeout=False)
        return _Connection(client, client.register_script(_SCRIPT))

    async def aclose(self) -> None:
        """Close the running loop's connections (another loop's are only forgotten)."""
        connection = self._connection.take()
        if connection is not None:
            with contextlib.suppress(OSError, RuntimeError):  # its loop or server is gone
                await connection.client.aclose()


@attrs.frozen(slots=True)
class _Connection:
    """A Redis client of one event loop and the limiter's script registered on it."""

    client: Redis
    script: Any


def describe(store: RedisStore) -> str:
    """How errors and logs name a store: its URL without credentials."""
    return f"the Redis store at {_shown(store.url)}"


def redis_installed() -> bool:
    return installed("redis.asyncio")


__all__ = ["RedisSlots", "RedisStore", "StoreUnavailable", "describe", "redis_installed"]
