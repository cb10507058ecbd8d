"""Request time limits, in the SDK's own type so users never import aiohttp."""

from __future__ import annotations

import math
from typing import Any

import aiohttp
import attrs


def _optional_positive(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"timeout.{attr.name} must be a number or None, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"timeout.{attr.name} must be > 0, got {value!r}")


@attrs.frozen(kw_only=True)
class Timeout:
    """Seconds allowed per attempt: ``total`` for the whole exchange, ``connect`` to
    open a connection, ``read`` between two reads of the answer. None means no limit.
    """

    total: float | None = attrs.field(default=60.0, validator=_optional_positive)
    connect: float | None = attrs.field(default=10.0, validator=_optional_positive)
    read: float | None = attrs.field(default=30.0, validator=_optional_positive)

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
