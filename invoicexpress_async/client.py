"""AsyncInvoiceXpress: configuration + transport + resources, for one account."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import TracebackType

from . import _config
from ._transport import RateLimit, Requester, RetryPolicy, Secret, SessionPool, Timeout
from ._transport.requester import TransportStats
from .resources import AsyncClients, AsyncInvoiceDocuments, AsyncSequences
from .resources._base import Core

_DEFAULT_RATE_LIMIT = RateLimit()


class AsyncInvoiceXpress:
    """The client of one InvoiceXpress account.

    Use it as ``async with AsyncInvoiceXpress(...) as api:`` or call ``aclose()``.
    Many clients (of many accounts) can share one :class:`SessionPool`; a client
    closes only a pool it created itself. ``clock`` and ``sleep`` replace
    ``time.monotonic``/``asyncio.sleep`` for the limiter and the retries (tests).
    """

    def __init__(self, account_name: str | None = None, api_key: str | None = None, *,
                 base_url: str | None = None, timeout: Timeout | float | None = None,
                 retry: RetryPolicy | None = None,
                 rate_limit: RateLimit | None = _DEFAULT_RATE_LIMIT,
                 pool: SessionPool | None = None, prefetch: int = 4,
                 clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        self.account_name = _config.credential("account_name", account_name,
                                                _config.ENV_ACCOUNT_NAME)
        self._api_key = Secret(_config.credential("api_key", api_key, _config.ENV_API_KEY))
        self.base_url = _config.base_url(base_url, self.account_name)
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise TypeError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
        if rate_limit is not None and not isinstance(rate_limit, RateLimit):
            raise TypeError(f"rate_limit must be a RateLimit or None,"
                            f" got {type(rate_limit).__name__}")
        if pool is not None and not isinstance(pool, SessionPool):
            raise TypeError(f"pool must be a SessionPool, got {type(pool).__name__}")
        self.prefetch = _config.prefetch(prefetch)
        self.timeout = Timeout.coerce(timeout)
        self.retry = retry or RetryPolicy()
        self.rate_limit = rate_limit
        self._owns_pool = pool is None
        self._pool = pool if pool is not None else SessionPool()
        clock = clock or time.monotonic
        sleep = sleep or asyncio.sleep
        limiter = self._pool.limiter(f"{self.base_url}#{self.account_name}", rate_limit,
                                     clock=clock, sleep=sleep)
        self._requester = Requester(base_url=self.base_url, api_key=self._api_key,
                                    pool=self._pool, limiter=limiter, retry=self.retry,
                                    timeout=self.timeout, clock=clock, sleep=sleep)
        core = Core(self._requester, self.prefetch)
        self.clients = AsyncClients(core)
        self.invoices = AsyncInvoiceDocuments(core)
        self.sequences = AsyncSequences(core)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(account_name={self.account_name!r},"
                f" base_url={self.base_url!r}, api_key=***)")

    @property
    def stats(self) -> TransportStats:
        """Attempts, retries and 429s of this client so far."""
        return self._requester.stats

    @property
    def pool(self) -> SessionPool:
        return self._pool

    async def aclose(self) -> None:
        """Release the connections, when this client created its pool. Safe to call twice."""
        if self._owns_pool:
            await self._pool.aclose()

    async def __aenter__(self) -> AsyncInvoiceXpress:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()
