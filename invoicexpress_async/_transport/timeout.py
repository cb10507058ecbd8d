"""Request time limits, in the SDK's own type so users never import aiohttp."""

from __future__ import annotations

import aiohttp
import attrs

from .._checks import positive_number, validator

_seconds = validator(positive_number, prefix="timeout.", optional=True)


@attrs.frozen(kw_only=True)
class Timeout:
    """Seconds allowed per attempt: ``total`` for the whole exchange, ``connect`` to
    open a connection, ``read`` between two reads of the answer. None means no limit.
    """

    total: float | None = attrs.field(default=60.0, validator=_seconds)
    connect: float | None = attrs.field(default=10.0, validator=_seconds)
    read: float | None = attrs.field(default=30.0, validator=_seconds)

    @classmethod
    def coerce(cls, value: Timeout | float | int | None) -> Timeout:
        """Accept a ``Timeout``, a number (the total) or None (the defaults)."""
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"timeout must be a Timeout or a number, got {type(value).__name__}")
        return cls(total=float(value))

    def to_aiohttp(self) -> aiohttp.ClientTimeout:
        # sock_connect, not connect: aiohttp's connect also counts the wait for a
        # free pool slot, which must not fail a request on a busy shared pool
        return aiohttp.ClientTimeout(total=self.total, sock_connect=self.connect,
                                     sock_read=self.read)
