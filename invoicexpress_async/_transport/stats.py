"""The counters a client, an account and a pool keep of their requests."""

from __future__ import annotations

import attrs


@attrs.define(slots=True)
class TransportStats:
    """Numbers to operate by: ``requests`` asked for, ``attempts`` sent (retries
    included), ``retries`` made, ``rate_limited`` answers 429 met, ``limiter_wait``
    seconds spent waiting for the account's limiter, ``waiting`` requests queued in it
    right now, and ``learned_rate``: the requests per minute the limiter allows after
    learning a stricter limit from 429s (None while the configured limit holds)."""

    requests: int = 0
    attempts: int = 0
    retries: int = 0
    rate_limited: int = 0
    limiter_wait: float = 0.0
    waiting: int = 0
    learned_rate: float | None = None

    def add(self, other: TransportStats) -> None:
        """Add ``other``'s counts to these (a pool's sum over its accounts)."""
        for field in attrs.fields(TransportStats):
            if field.name != "learned_rate":  # a rate per account does not add up
                setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


__all__ = ["TransportStats"]
