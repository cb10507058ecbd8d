"""The local book (``slots.py``) and the Redis book (one Lua script) are two writings of
the same rules: one script of events (grants, releases, 429s, probes, time passing) is
replayed on both, and every decision must be the same."""

from __future__ import annotations

from typing import Any

from invoicexpress_async._transport import slots
from invoicexpress_async._transport.redis_store import RedisSlots, RedisStore
from invoicexpress_async._transport.slots import WAIT_FOR_RELEASE, LocalSlots, Ticket

REQUESTS, PER = 5, 10.0

# (time in s, event, argument): "acquire"; "release" n (the n-th grant, accepted) or
# "refused" n (answered 429); "penalize" n (its 429, no Retry-After) or "retry_after" n
SCRIPT: list[tuple[float, str, Any]] = [
    *[(0.1 * i, "acquire", None) for i in range(5)],          # the window fills
    (0.6, "acquire", None),                                    # full, nothing released
    *[(1.0, "release", i) for i in range(5)],                  # answered at t=1
    (1.5, "acquire", None),                                    # wait until 11.0
    (11.1, "acquire", None), (11.2, "acquire", None), (11.3, "acquire", None),
    (11.5, "refused", 5), (11.5, "penalize", 5),               # a 429: pause 2 s
    (11.6, "release", 6), (11.6, "refused", 7), (11.6, "penalize", 7),  # same event
    (12.0, "acquire", None),                                   # paused
    (13.6, "acquire", None),                                   # the probe
    (13.7, "acquire", None),                                   # one probe at a time
    (14.0, "release", 8),                                      # accepted: a rate learned
    (14.1, "acquire", None), (16.1, "acquire", None),          # paced
    (16.5, "release", 9),
    (30.0, "acquire", None),
    (30.5, "refused", 10), (30.5, "retry_after", 10),          # a second event: 4 s
    (31.0, "acquire", None), (34.6, "acquire", None),          # the probe
    (35.0, "release", 11),                                     # the rate between events
    (35.1, "acquire", None), (40.0, "acquire", None),
]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _outcome(found: Ticket | float) -> str:
    if isinstance(found, Ticket):
        return "grant"
    if found == WAIT_FOR_RELEASE:
        return "until a release"
    return f"wait {found:.3f}"


async def replay(local: LocalSlots, shared: RedisSlots, clock: Clock) -> tuple[list[str],
                                                                              list[str]]:
    """Both books' decisions, event by event (with the learned pace after each)."""
    said_local: list[str] = []
    said_redis: list[str] = []
    local_grants: list[Ticket] = []
    redis_grants: list[Ticket] = []
    for at, event, which in SCRIPT:
        clock.now = at
        if event == "acquire":
            mine, theirs = local.try_acquire(at), await shared.try_acquire()
            if isinstance(mine, Ticket):
                local_grants.append(mine)
            if isinstance(theirs, Ticket):
                redis_grants.append(theirs)
            said_local.append(_outcome(mine))
            said_redis.append(_outcome(theirs))
        elif event in ("release", "refused"):
            accepted = event == "release"
            local.release(local_grants[which], at, accepted=accepted)
            await shared.release(redis_grants[which], accepted=accepted)
        else:
            retry_after = 4.0 if event == "retry_after" else None
            local.penalize(local_grants[which], at, retry_after=retry_after, max_pause=60.0)
            await shared.penalize(redis_grants[which], retry_after=retry_after,
                                  max_pause=60.0)
        pace = local.rate(at)
        said_local.append(f"pace {None if pace is None else round(pace, 4)}")
        said_redis.append(f"pace {None if shared.rate is None else round(shared.rate, 4)}")
    return said_local, said_redis


async def replay_against_redis(local: LocalSlots, redis_url: str,
                               prefix: str) -> tuple[list[str], list[str]]:
    """``local`` and a Redis book of the same limit, replaying ``SCRIPT`` on one clock."""
    clock = Clock()
    shared = RedisSlots(RedisStore(redis_url, prefix=prefix), "acme", requests=REQUESTS,
                        per=PER, lease=60.0)
    shared.clock = clock
    try:
        return await replay(local, shared, clock)
    finally:
        await shared.aclose()


async def test_the_local_and_the_redis_books_decide_alike(redis_url: str) -> None:
    said_local, said_redis = await replay_against_redis(LocalSlots(REQUESTS, PER), redis_url,
                                                        "ix-books")
    assert said_local == said_redis
    decisions = [d for d in said_local if not d.startswith("pace")]
    assert decisions.count("until a release") >= 2 and any("wait" in d for d in decisions)
    assert any(d != "pace None" for d in said_local)  # the script does teach a pace


class Stricter(LocalSlots):
    """A plausible drift of one book: a first 429 pause of 1 s instead of 2 s."""

    def penalize(self, ticket: Ticket, now: float, *, retry_after: float | None,
                 max_pause: float) -> None:
        original = slots.FIRST_PAUSE
        slots.FIRST_PAUSE = 1.0
        try:
            super().penalize(ticket, now, retry_after=retry_after, max_pause=max_pause)
        finally:
            slots.FIRST_PAUSE = original


async def test_a_drift_between_the_books_is_caught(redis_url: str) -> None:
    """Positive control: the comparison above can fail."""
    said_local, said_redis = await replay_against_redis(Stricter(REQUESTS, PER), redis_url,
                                                        "ix-drift")
    assert said_local != said_redis
