"""Send one logical request: limiter, attempts, retries, decoding, error mapping.

This is the only place that touches aiohttp's request API. It knows nothing of
clients or invoices: it takes a :class:`Request` (method, path, query, JSON
body, and whether it may be sent twice) and returns a :class:`Response`
(status, headers, decoded body) for every 2xx, 202 "not ready yet" and empty
bodies included, or raises one of our errors. Every aiohttp exception is mapped
here, ``from None``, because its text carries the URL and the URL carries the
api key.
"""

from __future__ import annotations

import asyncio
import logging
import platform
from collections.abc import Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import urlencode

import aiohttp
import attrs
import orjson
import yarl
from multidict import CIMultiDict, CIMultiDictProxy

from .._version import __version__
from ..errors import (
    APIError,
    ClientClosedError,
    DecodeError,
    RateLimitError,
    RequestTimeout,
    TransportError,
    error_class_for_status,
)
from .answers import ANSWERS, note_answer
from .bounded import ACCEPT_ENCODING, BadEncoding, TooLarge, body_chunks, read_body
from .closing import Closed, CloseSignal, until_closed
from .error_body import code_of, parse_error_body, truncated
from .observers import Counters, Hooks, Observer, Telemetry, Watch, watch_all
from .pool import SessionPool, wire_method
from .ratelimit import AccountLimiter, Clock, Sleep
from .redact import MASK, Scrubber, Secret
from .retry import SAFE_METHODS, Failure, RetryPolicy, decide, parse_retry_after
from .stats import TransportStats
from .timeout import Timeout
from .urls import checked_file_url, shown

_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 5

logger = logging.getLogger("invoicexpress_async")

DEFAULT_USER_AGENT = (f"invoicexpress-async/{__version__} Python/{platform.python_version()}"
                      f" aiohttp/{aiohttp.__version__}")


def _safe_method(request: Request) -> bool:
    return request.method in SAFE_METHODS


@attrs.frozen(slots=True)
class Request:
    """What a resource asks the transport to do; no aiohttp types in sight.

    ``idempotent`` says whether sending it twice does no harm; it defaults to
    True only for GET/HEAD/OPTIONS. Operations set it from what they do.
    ``template`` is the path with its placeholders (``/invoices/{id}.json``).
    """

    method: str
    path: str
    query: Sequence[tuple[str, str]] = ()
    json: Any = None
    idempotent: bool = attrs.field(default=attrs.Factory(_safe_method, takes_self=True))
    template: str | None = None  # the path before ids were filled in, for telemetry


@attrs.frozen(slots=True)
class Response:
    """A 2xx answer: its status (200, 201, 202, 204...), headers and decoded JSON body
    (None when the body is empty)."""

    status: int
    headers: Mapping[str, str]
    body: Any


class DownloadSink(Protocol):
    """Where a download's bytes go; ``restart`` drops what a failed attempt wrote."""

    def restart(self) -> None: ...

    def write(self, chunk: bytes) -> None: ...


class Requester:
    """Sends :class:`Request`\\ s for one account through a shared :class:`SessionPool`."""

    def __init__(self, *, base_url: str, api_key: Secret, pool: SessionPool,
                 limiter: AccountLimiter, retry: RetryPolicy, timeout: Timeout,
                 clock: Clock, sleep: Sleep, max_response_bytes: int,
                 user_agent: str = DEFAULT_USER_AGENT, hooks: tuple[Any, ...] = (),
                 account: str = "") -> None:
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.scrub = Scrubber(api_key.reveal())
        self._max_response_bytes = max_response_bytes
        self._pool = pool
        self._limiter = limiter
        self._retry = retry
        self._timeout = timeout.to_aiohttp()
        self._clock = clock
        self._sleep = sleep
        self.stats = TransportStats()
        # counted for this client and for every client of the account, in this pool
        self._counters = Counters(self.stats, limiter.stats)
        self._observers: tuple[Observer, ...] = (self._counters, Telemetry())
        if hooks:
            self._observers += (Hooks(hooks, account, self.scrub),)
        self._closing = CloseSignal()
        self._signals: tuple[CloseSignal, ...] = (self._closing, pool.closing)
        # built once as aiohttp's own header type, which it takes without converting
        common = {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING,
                  "User-Agent": user_agent}
        self._headers = CIMultiDictProxy(CIMultiDict(common))
        self._body_headers = CIMultiDictProxy(CIMultiDict(
            {**common, "Content-Type": "application/json; charset=utf-8"}))

    def display_url(self, request: Request) -> str:
        """The request's URL as users may see it: the api key masked."""
        query = urlencode([*request.query, ("api_key", MASK)], safe="*/[]")
        return f"{self._base_url}{request.path}?{query}"

    async def send(self, request: Request) -> Response:
        """Send ``request`` under the retry policy; return its 2xx answer, decoded.

        Every observer (counters, telemetry, hooks) watches the whole exchange.
        """
        watch = watch_all(self._observers, request)
        try:
            response = await self._send(request, watch)
        except BaseException as exc:
            watch.ended(exc)
            raise
        watch.ended(None)
        return response

    async def _send(self, request: Request, watch: Watch) -> Response:
        """Every error leaves from this frame, outside any ``except`` block: its traceback
        and context hold no aiohttp frame, whose locals carry the key-bearing URL
        (what ``capture_locals`` tracebacks and error trackers would show)."""
        policy = self._retry
        method = request.method
        idempotent = request.idempotent
        limiter = self._limiter  # it follows loops and forks itself; the pool's session too
        attempt = 0
        maybe_processed = False  # an earlier attempt may have reached the server
        while True:
            attempt += 1
            if self.closed:
                raise self._closed_error(request, maybe_processed)
            queued = self._clock()
            ticket = limiter.try_now()
            if ticket is None:
                watch.queued(1)
                try:
                    ticket = await until_closed(limiter.acquire(), self._signals,
                                                abandon=limiter.give_back)
                except Closed:
                    ticket = None
                finally:
                    watch.queued(-1)
                if ticket is None:
                    raise self._closed_error(request, maybe_processed)
            started = self._clock()
            status = 0
            failure: tuple[Failure, TransportError] | None = None
            oversized: DecodeError | None = None
            cancelled = False
            try:
                told = watch.attempt(request, attempt, started - queued)
                if told is not None:
                    await told
                status, reason, headers, raw = await self._send_once(request)
            except (aiohttp.ClientError, TimeoutError) as exc:
                failure = self._transport_error(exc, method, self.display_url(request))
            except asyncio.CancelledError:
                cancelled = True
            except DecodeError as exc:  # too large: the frames that read it hold the URL
                oversized = exc.with_traceback(None)
            except Exception:  # aiohttp's own RuntimeError/AssertionError on a closed session
                if not self._pool.closed:
                    raise
                failure = Failure.BROKEN, self._closed_error(request, True)
            finally:  # answered, failed or cancelled: the slot is given back all the same
                limiter.release(ticket, accepted=status not in (0, 429))
            if cancelled:
                raise asyncio.CancelledError
            if oversized is not None:
                raise oversized
            told = watch.answered(request, attempt, status or None, headers if status else {},
                                  None if failure is None else type(failure[1]).__name__,
                                  self._clock() - started)
            if told is not None:
                await told
            if failure is not None:
                kind, error = failure
                self._log(request, kind.value, started, attempt)
                if self._pool.closed:  # what broke the exchange was our own close()
                    raise self._closed_error(request, True)
                maybe_processed |= kind in (Failure.TIMEOUT, Failure.BROKEN)
                decision = decide(policy, attempt, idempotent=idempotent, method=method,
                                  failure=kind)
                if decision.action == "retry":
                    watch.counted("retries")
                    await self.pause(decision.wait, request, maybe_processed)
                    continue
                error.outcome_unknown = decision.outcome_unknown
                raise error
            self._log(request, status, started, attempt)
            retry_after = parse_retry_after(headers) if status >= 300 else None
            decision = decide(policy, attempt, idempotent=idempotent, method=method,
                              status=status, retry_after=retry_after,
                              maybe_processed=maybe_processed)
            if decision.action == "return":
                if ANSWERS.get() is not None:  # a raw call listens (with_raw_response)
                    note_answer(status, self.scrub.headers(headers), self.display_url(request))
                return Response(status, headers, self._decode(raw, request)) \
                    if status != 404 else Response(204, headers, None)
            api_error = self._api_error(status, reason, raw, request, retry_after, headers)
            del reason, headers, raw  # the server's own text may echo the key: not in locals
            if status == 429:
                watch.counted("rate_limited")
                limiter.penalize(ticket, retry_after=retry_after,
                                 max_pause=policy.max_retry_after,
                                 backoff=policy.backoff(attempt - 1))
            maybe_processed |= status >= 500
            if decision.action == "retry":
                watch.counted("retries")
                if decision.wait:  # a 429 waits in the limiter, with the whole account
                    await self.pause(decision.wait, request, maybe_processed)
                continue
            api_error.outcome_unknown = decision.outcome_unknown
            raise api_error

    @property
    def closed(self) -> bool:
        """Whether this client (or the pool it sends through) has been closed."""
        return any(signal.closed for signal in self._signals)

    def close_with(self, parent: Requester) -> None:
        """End this requester's calls when ``parent`` closes too (a client derived with
        ``with_options``)."""
        self._signals = (*self._signals, parent._closing)

    def close(self) -> None:
        """Nothing more is sent; every request waiting for a slot, a retry or a poll ends
        at once with ClientClosedError."""
        self._closing.fire()

    async def pause(self, seconds: float, request: Request | None = None,
                    maybe_processed: bool = False) -> None:
        """Sleep ``seconds``, unless the client closes first: then ClientClosedError at
        once (about ``request`` when given). Retries and polls wait here."""
        try:
            await until_closed(self._sleep(seconds), self._signals)
        except Closed:
            closed = True
        else:
            closed = False
        if closed:
            if request is None:
                raise ClientClosedError("the client was closed while this call waited")
            raise self._closed_error(request, maybe_processed)

    def current_stats(self) -> TransportStats:
        """This client's counts, with the account's learned rate as of now."""
        self.stats.learned_rate = self._limiter.rate
        return self.stats

    def _closed_error(self, request: Request, maybe_processed: bool) -> TransportError:
        return ClientClosedError(
            f"the client was closed; {request.method} {self.display_url(request)} was"
            + (" abandoned" if maybe_processed else " not sent"),
            method=request.method, url=self.display_url(request),
            outcome_unknown=maybe_processed and not request.idempotent)

    async def _send_once(self, request: Request) -> tuple[int, str, Any, bytes]:
        session = self._pool.session()
        if request.json is None:
            data, headers = None, self._headers
        else:
            data, headers = orjson.dumps(request.json), self._body_headers
        # the key is revealed inside the call expression only: no frame of ours holds it
        async with session.request(wire_method(request.method), self._base_url + request.path,
                                   params=[*request.query,
                                           ("api_key", self._api_key.reveal())],
                                   data=data, headers=headers, proxy=self._pool.proxy,
                                   timeout=self._timeout, allow_redirects=False) as response:
            raw = await self._read(response, request)
            return response.status, response.reason or "", response.headers, raw

    async def _read(self, response: aiohttp.ClientResponse, request: Request) -> bytes:
        """The body, at most ``max_response_bytes`` of it *after* decompression."""
        try:
            return await read_body(response, self._max_response_bytes)
        except TooLarge:
            raise self._too_large(request) from None
        except BadEncoding as exc:
            url = self.display_url(request)
            raise DecodeError(f"the answer to {request.method} {url}: {exc}",
                              method=request.method, url=url) from None

    def _too_large(self, request: Request) -> DecodeError:
        url = self.display_url(request)
        error = DecodeError(f"the answer to {request.method} {url} is larger than"
                            f" max_response_bytes ({self._max_response_bytes:,} bytes)",
                            method=request.method, url=url)
        error.outcome_unknown = not request.idempotent
        return error

    @staticmethod
    def _transport_error(exc: BaseException, method: str,
                         url: str) -> tuple[Failure, TransportError]:
        where = f"{method} {url}"
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return Failure.NOT_SENT, RequestTimeout(f"timed out connecting for {where}",
                                                    method=method, url=url)
        if isinstance(exc, TimeoutError):
            return Failure.TIMEOUT, RequestTimeout(f"timed out waiting for the answer to {where}",
                                                   method=method, url=url)
        if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
            return Failure.FATAL, TransportError(f"TLS verification failed for {where}",
                                                 method=method, url=url)
        if isinstance(exc, aiohttp.ClientConnectorError):
            return Failure.NOT_SENT, TransportError(
                f"could not connect for {where}: {_os_reason(exc)}", method=method, url=url)
        if isinstance(exc, aiohttp.ClientPayloadError):
            kind = "the answer was cut short"
        elif isinstance(exc, aiohttp.ServerDisconnectedError):
            kind = "the server closed the connection without answering"
        elif isinstance(exc, aiohttp.ClientOSError):
            kind = f"the connection failed ({_os_reason(exc)})"
        else:
            kind = f"the exchange failed ({type(exc).__name__})"
        return Failure.BROKEN, TransportError(f"{kind} for {where}", method=method, url=url)

    def _api_error(self, status: int, reason: str, raw: bytes, request: Request,
                   retry_after: float | None, headers: Mapping[str, str]) -> APIError:
        body, messages = parse_error_body(raw)
        body = self.scrub.data(body)
        messages = [self.scrub.text(message) for message in messages]
        reason = truncated(self.scrub.text(reason), 200)
        url = self.display_url(request)
        cls = error_class_for_status(status)
        shown = self.scrub.headers(headers)
        if cls is RateLimitError:
            return RateLimitError(status, messages, body, method=request.method, url=url,
                                  reason=reason, retry_after=retry_after, code=code_of(body),
                                  headers=shown)
        return cls(status, messages, body, method=request.method, url=url, reason=reason,
                   code=code_of(body), headers=shown)

    async def download(self, url: yarl.URL, sink: DownloadSink, *, max_bytes: int) -> int:
        """Fetch a file the API pointed at (a PDF, QR image or SAF-T archive) into ``sink``.

        The api key is never sent (the file lives on another host, behind a signed
        URL), nor does the account's limiter count it. GET retries apply; redirects
        are followed by hand, each target held to the same https rule; more than
        ``max_bytes`` (announced or read) is a DecodeError. Returns the size.
        """
        policy = self._retry
        attempt = 0
        while True:
            attempt += 1
            if self.closed:
                raise ClientClosedError(f"the client was closed; GET {shown(url)} was not"
                                        " sent", method="GET", url=shown(url))
            sink.restart()
            try:
                status, headers, size = await self._download_once(url, sink, max_bytes)
            except (aiohttp.ClientError, TimeoutError) as exc:
                failure, error = self._transport_error(exc, "GET", shown(url))
                decision = decide(policy, attempt, idempotent=True, method="GET",
                                  failure=failure)
                if decision.action != "retry" or self._pool.closed:
                    raise error from None
                self._counters.counted("retries")
                await self.pause(decision.wait)
                continue
            retry_after = parse_retry_after(headers) if status >= 300 else None
            decision = decide(policy, attempt, idempotent=True, method="GET", status=status,
                              retry_after=retry_after, limited=False)
            if decision.action == "return":
                return size
            if decision.action == "raise":
                error_cls = error_class_for_status(status)
                if error_cls is RateLimitError:
                    raise RateLimitError(status, [], None, method="GET", url=shown(url),
                                         retry_after=retry_after)
                raise error_cls(status, [], None, method="GET", url=shown(url))
            self._counters.counted("retries")
            await self.pause(decision.wait)

    async def _download_once(self, url: yarl.URL, sink: DownloadSink,
                             max_bytes: int) -> tuple[int, Mapping[str, str], int]:
        session = self._pool.session()
        for _ in range(_MAX_REDIRECTS + 1):
            async with session.request(wire_method("GET"), url, timeout=self._timeout,
                                       allow_redirects=False, proxy=self._pool.proxy,
                                       headers={"Accept": "*/*",
                                                "Accept-Encoding": ACCEPT_ENCODING}) as response:
                if response.status in _REDIRECTS and "Location" in response.headers:
                    url = _redirect_target(url, response.headers["Location"])
                    continue
                if not 200 <= response.status < 300:
                    return response.status, response.headers, 0
                size = 0
                try:
                    async for chunk in body_chunks(response, max_bytes):
                        size += len(chunk)
                        sink.write(chunk)
                except TooLarge:
                    raise _too_large(url, max_bytes) from None
                except BadEncoding as exc:
                    raise DecodeError(f"the file at {shown(url)}: {exc}", method="GET",
                                      url=shown(url)) from None
                return response.status, response.headers, size
        raise TransportError(f"more than {_MAX_REDIRECTS} redirects for GET {shown(url)}",
                             method="GET", url=shown(url))

    def _decode(self, raw: bytes, request: Request) -> Any:
        if not raw.strip():
            return None
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise DecodeError(
                f"the answer to {request.method} {self.display_url(request)} is not JSON",
                method=request.method, url=self.display_url(request),
                body=self.scrub.text(truncated(raw[:4000].decode("utf-8", "replace"))),
            ) from None

    def _log(self, request: Request, outcome: object, started: float, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s -> %s in %.3fs (attempt %d)", request.method,
                         self.display_url(request), outcome, self._clock() - started, attempt)


def _redirect_target(url: yarl.URL, location: str) -> yarl.URL:
    """Where a file's redirect points, held to the rule of every file URL; a target that
    breaks it is a TransportError (never followed: it could leak the file or a key)."""
    try:
        return checked_file_url("the redirect target", url.join(yarl.URL(location)))
    except (TypeError, ValueError) as exc:
        raise TransportError(f"refused to follow the redirect of GET {shown(url)}: {exc}",
                             method="GET", url=shown(url)) from None


def _too_large(url: yarl.URL, max_bytes: int) -> DecodeError:
    return DecodeError(f"the file at {shown(url)} is larger than the {max_bytes:,} bytes"
                       " allowed (max_bytes)", method="GET", url=shown(url))


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


__all__ = ["DownloadSink", "Request", "Requester", "Response", "TransportStats"]
