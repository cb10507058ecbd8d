"""Send one logical request: limiter, attempts, retries, decoding, error mapping.

This is the only place that touches aiohttp's request API. It knows nothing of
clients or invoices: it takes a :class:`Request` (method, path, query, JSON
body) and returns the decoded JSON, or raises one of our errors. Every aiohttp
exception is mapped here, ``from None``, because its text carries the URL and
the URL carries the api key.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import aiohttp
import attrs
import orjson

from ..errors import (
    APIError,
    DecodeError,
    RateLimitError,
    RequestTimeout,
    TransportError,
    error_class_for_status,
)
from .error_body import parse_error_body
from .pool import SessionPool
from .ratelimit import AccountLimiter, Clock, Sleep
from .redact import MASK, Secret
from .retry import Failure, RetryPolicy, parse_retry_after
from .timeout import Timeout

logger = logging.getLogger("invoicexpress_async")

_JSON_HEADERS = {"Accept": "application/json"}
_JSON_BODY_HEADERS = {"Accept": "application/json",
                      "Content-Type": "application/json; charset=utf-8"}


@attrs.frozen(slots=True)
class Request:
    """What a resource asks the transport to do; no aiohttp types in sight."""

    method: str
    path: str
    query: Sequence[tuple[str, str]] = ()
    json: Any = None


@attrs.define(slots=True)
class TransportStats:
    """Counters a long job can show: attempts sent, retries made, 429s met."""

    attempts: int = 0
    retries: int = 0
    rate_limited: int = 0


class Requester:
    """Sends :class:`Request`\\ s for one account through a shared :class:`SessionPool`."""

    def __init__(self, *, base_url: str, api_key: Secret, pool: SessionPool,
                 limiter: AccountLimiter, retry: RetryPolicy, timeout: Timeout,
                 clock: Clock, sleep: Sleep) -> None:
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._pool = pool
        self._limiter = limiter
        self._retry = retry
        self._timeout = timeout.to_aiohttp()
        self._clock = clock
        self._sleep = sleep
        self.stats = TransportStats()

    def display_url(self, request: Request) -> str:
        """The request's URL as users may see it: the api key masked."""
        query = urlencode([*request.query, ("api_key", MASK)], safe="*/[]")
        return f"{self._base_url}{request.path}?{query}"

    async def send(self, request: Request) -> Any:
        """Send ``request`` under the retry policy; return its decoded JSON (None if empty)."""
        policy = self._retry
        method = request.method
        attempt = 0
        while True:
            attempt += 1
            if self._pool.closed:
                raise TransportError(
                    f"the client was closed; {method} {self.display_url(request)} was"
                    + (" not sent" if attempt == 1 else " abandoned"),
                    method=method, url=self.display_url(request),
                    outcome_unknown=attempt > 1 and policy.outcome_unknown(
                        method, Failure.BROKEN))
            await self._limiter.acquire()
            self.stats.attempts += 1
            started = self._clock()
            try:
                status, reason, headers, raw = await self._send_once(request)
            except (aiohttp.ClientError, TimeoutError) as exc:
                self._limiter.release()
                failure, error = self._transport_error(exc, request)
                self._log(request, failure.value, started, attempt)
                if attempt < policy.max_attempts and policy.should_retry(method, failure):
                    self.stats.retries += 1
                    await self._sleep(policy.backoff(attempt - 1))
                    continue
                error.outcome_unknown = policy.outcome_unknown(method, failure)
                raise error from None
            except BaseException:  # cancelled: the slot is given back all the same
                self._limiter.release()
                raise
            self._limiter.release()
            self._log(request, status, started, attempt)
            if 200 <= status < 300:
                return self._decode(raw, request)

            retry_after = parse_retry_after(headers)
            api_error = self._api_error(status, reason, raw, request, retry_after)
            if status == 429 or status >= 500:
                too_long = retry_after is not None and retry_after > policy.max_retry_after
                delay = (retry_after if retry_after is not None
                         else policy.backoff(attempt - 1))
                if status == 429:
                    self.stats.rate_limited += 1
                    self._limiter.penalize(min(delay, policy.max_retry_after))
                if (not too_long and attempt < policy.max_attempts
                        and policy.should_retry(method, Failure.STATUS, status)):
                    self.stats.retries += 1
                    if status != 429:  # a 429 waits in the limiter, with the whole account
                        await self._sleep(delay)
                    continue
            api_error.outcome_unknown = policy.outcome_unknown(method, Failure.STATUS, status)
            raise api_error

    async def _send_once(self, request: Request) -> tuple[int, str, Any, bytes]:
        session = self._pool.session()
        params = [*request.query, ("api_key", self._api_key.reveal())]
        if request.json is None:
            data, headers = None, _JSON_HEADERS
        else:
            data, headers = orjson.dumps(request.json), _JSON_BODY_HEADERS
        async with session.request(request.method, self._base_url + request.path,
                                   params=params, data=data, headers=headers,
                                   timeout=self._timeout, allow_redirects=False) as response:
            raw = await response.read()
            return response.status, response.reason or "", response.headers, raw

    def _transport_error(self, exc: BaseException,
                         request: Request) -> tuple[Failure, TransportError]:
        url = self.display_url(request)
        where = f"{request.method} {url}"
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return Failure.NOT_SENT, RequestTimeout(f"timed out connecting for {where}",
                                                    method=request.method, url=url)
        if isinstance(exc, TimeoutError):
            return Failure.TIMEOUT, RequestTimeout(f"timed out waiting for the answer to {where}",
                                                   method=request.method, url=url)
        if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
            return Failure.FATAL, TransportError(f"TLS verification failed for {where}",
                                                 method=request.method, url=url)
        if isinstance(exc, aiohttp.ClientConnectorError):
            return Failure.NOT_SENT, TransportError(
                f"could not connect for {where}: {_os_reason(exc)}",
                method=request.method, url=url)
        if isinstance(exc, aiohttp.ClientPayloadError):
            kind = "the answer was cut short"
        elif isinstance(exc, aiohttp.ServerDisconnectedError):
            kind = "the server closed the connection without answering"
        elif isinstance(exc, aiohttp.ClientOSError):
            kind = f"the connection failed ({_os_reason(exc)})"
        else:
            kind = f"the exchange failed ({type(exc).__name__})"
        return Failure.BROKEN, TransportError(f"{kind} for {where}",
                                              method=request.method, url=url)

    def _api_error(self, status: int, reason: str, raw: bytes, request: Request,
                   retry_after: float | None) -> APIError:
        body, messages = parse_error_body(raw)
        url = self.display_url(request)
        cls = error_class_for_status(status)
        if cls is RateLimitError:
            return RateLimitError(status, messages, body, method=request.method, url=url,
                                  reason=reason, retry_after=retry_after)
        return cls(status, messages, body, method=request.method, url=url, reason=reason)

    def _decode(self, raw: bytes, request: Request) -> Any:
        if not raw.strip():
            return None
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise DecodeError(
                f"the answer to {request.method} {self.display_url(request)} is not JSON",
                method=request.method, url=self.display_url(request),
                body=raw[:2000].decode("utf-8", "replace")) from None

    def _log(self, request: Request, outcome: object, started: float, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s -> %s in %.3fs (attempt %d)", request.method,
                         self.display_url(request), outcome, self._clock() - started, attempt)


def _os_reason(exc: BaseException) -> str:
    """The OS-level reason of a connection error, without aiohttp's URL-bearing text."""
    os_error = getattr(exc, "os_error", None)
    if isinstance(os_error, OSError) and os_error.strerror:
        return os_error.strerror
    errno = getattr(exc, "errno", None)
    strerror = getattr(exc, "strerror", None)
    if strerror:
        return str(strerror)
    return f"errno {errno}" if errno else type(exc).__name__


__all__ = ["Request", "Requester", "TransportStats"]
