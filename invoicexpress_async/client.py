"""AsyncInvoiceXpress: configuration + transport + resources, for one account."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp

from . import _config
from ._checks import instance, positive_int, text
from ._transport import RateLimit, Request, Requester, RetryPolicy, Secret, SessionPool, Timeout
from ._transport.hooks import checked as checked_hooks
from ._transport.requester import DEFAULT_USER_AGENT
from ._transport.retry import SAFE_METHODS
from ._transport.stats import TransportStats
from ._transport.urls import checked_file_url
from .errors import ClientClosedError
from .polling import PollPolicy
from .raw import AsyncRawResources
from .resources import (
    AsyncAccounts,
    AsyncClients,
    AsyncEstimateFamily,
    AsyncEstimates,
    AsyncGuideFamily,
    AsyncGuides,
    AsyncInvoiceFamily,
    AsyncInvoices,
    AsyncItems,
    AsyncPayableDocuments,
    AsyncReceipts,
    AsyncSaft,
    AsyncSequences,
    AsyncTaxes,
    AsyncTreasury,
)
from .resources import families as _families
from .resources._base import Core

_DEFAULT_RATE_LIMIT = RateLimit()
DEFAULT_MAX_DOWNLOAD = 64 * 1024 * 1024
DEFAULT_MAX_RESPONSE = 64 * 1024 * 1024
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


class AsyncInvoiceXpress:
    """The client of one InvoiceXpress account.

    ``account_name``, ``api_key`` and ``base_url`` default to the environment variables
    ``INVOICEXPRESS_ACCOUNT_NAME``, ``INVOICEXPRESS_API_KEY`` and
    ``INVOICEXPRESS_BASE_URL`` (the last one defaults to the account's own API host).

    Use it as ``async with AsyncInvoiceXpress(...) as api:`` or call ``aclose()``.
    Many clients (of many accounts) can share one :class:`SessionPool`; a client
    closes only a pool it created itself. ``poll`` is how patiently 202 answers
    (PDF, QR code) are polled; an answer larger than ``max_response_bytes`` (after
    decompression) is refused with a DecodeError. ``hooks`` are told of every attempt
    (objects with ``on_request(info)``/``on_response(info)``: see :class:`RequestInfo`);
    ``user_agent`` replaces the default, which names the SDK, Python and aiohttp versions.
    ``session`` runs the client on the application's own ``aiohttp.ClientSession`` (its
    connections, never closed by the SDK: see :class:`SessionPool`).
    ``clock`` and ``sleep`` replace ``time.monotonic``/``asyncio.sleep`` for the limiter,
    retries and polls (tests).
    """

    account_name: str
    base_url: str
    prefetch: int
    timeout: Timeout
    retry: RetryPolicy
    rate_limit: RateLimit | None
    poll: PollPolicy
    max_response_bytes: int

    def __init__(self, account_name: str | None = None, api_key: str | None = None, *,
                 base_url: str | None = None, timeout: Timeout | float | None = None,
                 retry: RetryPolicy | None = None,
                 rate_limit: RateLimit | None = _DEFAULT_RATE_LIMIT,
                 pool: SessionPool | None = None, prefetch: int = 4,
                 poll: PollPolicy | None = None,
                 max_response_bytes: int = DEFAULT_MAX_RESPONSE,
                 hooks: Sequence[object] = (), user_agent: str | None = None,
                 session: aiohttp.ClientSession | None = None,
                 clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        self.account_name = _config.account_name(_config.credential(
            "account_name", account_name, _config.ENV_ACCOUNT_NAME))
        self._api_key = Secret(_config.credential("api_key", api_key, _config.ENV_API_KEY))
        self.base_url = _config.base_url(base_url, self.account_name)
        instance("retry", retry, RetryPolicy, optional=True)
        instance("rate_limit", rate_limit, RateLimit, optional=True)
        instance("pool", pool, SessionPool, optional=True)
        instance("poll", poll, PollPolicy, optional=True)
        self.prefetch = _config.prefetch(prefetch)
        self.timeout = Timeout.coerce(timeout)
        self.retry = retry or RetryPolicy()
        self.rate_limit = rate_limit
        self.poll = poll or PollPolicy()
        self.max_response_bytes = positive_int("max_response_bytes", max_response_bytes)
        if session is not None and pool is not None:
            raise ValueError("give session= or pool=, not both (a pool can be made on a"
                             " session: SessionPool(session=...))")
        self._owns_pool = pool is None
        self._pool = pool if pool is not None else SessionPool(session=session)
        clock = clock or time.monotonic
        sleep = sleep or asyncio.sleep
        # a shared slot of a process killed mid-request comes back after its lease
        lease = (rate_limit.per if rate_limit else 0.0) + (self.timeout.total or 300.0)
        # host names are not case-sensitive: ACME and acme are one account, one limit
        limiter = self._pool.limiter(f"{self.account_name.lower()}@{self.base_url}", rate_limit,
                                     clock=clock, sleep=sleep, lease=lease)
        _config.log_from_environment()
        self._hooks = checked_hooks(hooks)
        self._user_agent = user_agent
        self._clock, self._sleep = clock, sleep
        self._requester = Requester(base_url=self.base_url, api_key=self._api_key,
                                    pool=self._pool, limiter=limiter, retry=self.retry,
                                    timeout=self.timeout, clock=clock, sleep=sleep,
                                    max_response_bytes=self.max_response_bytes,
                                    user_agent=DEFAULT_USER_AGENT if user_agent is None
                                    else _config.header_text("user_agent", user_agent),
                                    hooks=self._hooks, account=self.account_name)
        # polls wait through the requester: a closed client stops them at once
        core = Core(self._requester, self.prefetch, self.poll, clock, self._requester.pause)
        self.clients = AsyncClients(core)
        self.invoices = AsyncInvoices(core, _families.INVOICES)
        self.invoice_receipts = AsyncInvoiceFamily(core, _families.INVOICE_RECEIPTS)
        self.simplified_invoices = AsyncPayableDocuments(core, _families.SIMPLIFIED_INVOICES)
        self.credit_notes = AsyncInvoiceFamily(core, _families.CREDIT_NOTES)
        self.debit_notes = AsyncInvoiceFamily(core, _families.DEBIT_NOTES)
        self.receipts = AsyncReceipts(core)
        self.quotes = AsyncEstimateFamily(core, _families.QUOTES)
        self.proformas = AsyncEstimateFamily(core, _families.PROFORMAS)
        self.fees_notes = AsyncEstimateFamily(core, _families.FEES_NOTES)
        self.estimates = AsyncEstimates(core)
        self.shippings = AsyncGuideFamily(core, _families.SHIPPINGS)
        self.transports = AsyncGuideFamily(core, _families.TRANSPORTS)
        self.devolutions = AsyncGuideFamily(core, _families.DEVOLUTIONS)
        self.guides = AsyncGuides(core)
        self.items = AsyncItems(core)
        self.taxes = AsyncTaxes(core)
        self.sequences = AsyncSequences(core)
        self.saft = AsyncSaft(core)
        self.accounts = AsyncAccounts(core)
        self.treasury = AsyncTreasury(core)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(account_name={self.account_name!r},"
                f" base_url={self.base_url!r}, api_key=***)")

    def with_options(self, *, timeout: Timeout | float | None = None,
                     retry: RetryPolicy | None = None, poll: PollPolicy | None = None,
                     prefetch: int | None = None,
                     max_response_bytes: int | None = None) -> AsyncInvoiceXpress:
        """This client with other options, for one call or a block:
        ``await api.with_options(timeout=5).invoices.get(1)``.

        The new client is of the same account and shares this one's connection pool,
        rate limiter and hooks; options left as None are this client's. Closing it
        ends only its own calls; closing this client ends its calls too.
        """
        derived = AsyncInvoiceXpress(
            self.account_name, self._api_key.reveal(), base_url=self.base_url,
            timeout=self.timeout if timeout is None else timeout,
            retry=retry or self.retry, rate_limit=self.rate_limit, pool=self._pool,
            prefetch=self.prefetch if prefetch is None else prefetch,
            poll=poll or self.poll,
            max_response_bytes=self.max_response_bytes if max_response_bytes is None
            else max_response_bytes,
            hooks=self._hooks, user_agent=self._user_agent, clock=self._clock,
            sleep=self._sleep)
        derived._requester.close_with(self._requester)
        return derived

    @property
    def with_raw_response(self) -> AsyncRawResources:
        """This client's resources with methods that return :class:`RawResponse` (status,
        headers, redacted URL, ``.parse()``) instead of the model, e.g.
        ``api.with_raw_response.invoices.get(1)``. Lists have no raw form."""
        return AsyncRawResources(self)

    @property
    def stats(self) -> TransportStats:
        """This client's numbers so far: requests, attempts, retries, 429s, seconds
        waited in the limiter, and the rate the limiter learned (see TransportStats)."""
        return self._requester.current_stats()

    @property
    def pool(self) -> SessionPool:
        """The connection pool this client sends through."""
        return self._pool

    async def request(self, method: str, path: str, *,
                      params: Mapping[str, str | int] | Sequence[tuple[str, str]] | None = None,
                      json: Any = None, idempotent: bool | None = None) -> Any:
        """Call an endpoint the SDK does not model yet; return its decoded JSON (or None).

        ``path`` is relative to the account (``"/invoices.json"``); the api key is added
        for you. The same limiter, retries, errors and redaction apply. ``idempotent``
        says whether the request may be sent twice (default: only for GET).
        """
        verb = text("method", method).upper()
        if verb not in _METHODS:
            raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
        instance("idempotent", idempotent, bool, optional=True)
        if json is not None:
            _config.json_body(json)
        route = _config.api_path(path)
        request = Request(verb, route, _config.query_pairs(params), json,
                          idempotent=verb in SAFE_METHODS if idempotent is None else idempotent,
                          template=self._requester.scrub.text(_config.path_template(route)))
        return (await self._requester.send(request)).body

    async def download(self, url: str, *, max_bytes: int = DEFAULT_MAX_DOWNLOAD) -> bytes:
        """The file at ``url`` (a PDF, QR image or SAF-T URL the API returned), in memory.

        Fetched without the api key, over https only (plain http for loopback),
        at most ``max_bytes`` (64 MiB by default; more is a DecodeError).
        """
        target = checked_file_url("url", url)
        limit = positive_int("max_bytes", max_bytes)
        sink = _MemorySink()
        await self._requester.download(target, sink, max_bytes=limit)
        return bytes(sink.data)

    async def download_to(self, url: str, path: str | os.PathLike[str], *,
                          max_bytes: int = DEFAULT_MAX_DOWNLOAD) -> Path:
        """Stream the file at ``url`` to ``path`` (written whole or not at all: a temporary
        file beside it is renamed when complete). Same rules as :meth:`download`."""
        target = checked_file_url("url", url)
        limit = positive_int("max_bytes", max_bytes)
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or a path, got {type(path).__name__}")
        destination = Path(path)
        if self._requester.closed:  # before a temporary file is made
            raise ClientClosedError(f"the client was closed; {destination} was not fetched")
        handle = _temporary_beside(destination)
        try:
            with handle:
                await self._requester.download(target, _FileSink(handle), max_bytes=limit)
                # the mode open() would give: a temporary file is private (0600)
                os.chmod(handle.name, 0o666 & ~_umask())
            os.replace(handle.name, destination)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(handle.name)
            raise
        return destination

    async def aclose(self) -> None:
        """Close the client: nothing more is sent, and calls waiting for a rate-limit slot,
        a retry or a poll end at once with :class:`ClientClosedError` (their slots given
        back). Releases the connections when this client created its pool; a shared pool
        stays open. Safe to call twice."""
        self._requester.close()
        if self._owns_pool:
            await self._pool.aclose()

    async def __aenter__(self) -> AsyncInvoiceXpress:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()


def _umask() -> int:
    """The process's umask: from /proc where the kernel tells it (reading it with
    ``os.umask`` means setting it, for a moment, under every other thread)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporary_beside(destination: Path) -> Any:
    """An open temporary file in ``destination``'s directory, renamed over it when whole."""
    if destination.is_dir():
        raise ValueError(f"path must be a file, not the directory {destination}")
    return tempfile.NamedTemporaryFile(dir=destination.parent, prefix=f".{destination.name}.",
                                       suffix=".part", delete=False)


class _MemorySink:
    def __init__(self) -> None:
        self.data = bytearray()

    def restart(self) -> None:
        self.data.clear()

    def write(self, chunk: bytes) -> None:
        self.data += chunk


class _FileSink:
    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def restart(self) -> None:
        self._handle.seek(0)
        self._handle.truncate()

    def write(self, chunk: bytes) -> None:
        self._handle.write(chunk)
