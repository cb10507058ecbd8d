"""Connections shared by many clients, and the per-account limiters that go with them.

A service that talks to a thousand InvoiceXpress accounts wants one connection
pool, not a thousand. The pool owns the aiohttp session and connector (created
lazily, inside the running loop, as aiohttp requires) and one limiter per
account, so two clients of the same account share its rate limit and its 429
pauses. A client never closes a pool it was given.
"""

from __future__ import annotations

import asyncio
import ssl as ssl_module
import time

import aiohttp
import yarl

from .._checks import number
from ..errors import ClientClosedError
from .closing import CloseSignal
from .per_loop import process_generation
from .ratelimit import AccountLimiter, Clock, RateLimit, Sleep
from .stats import TransportStats
from .urls import shown

# aiohttp sends a request it deems idempotent by its verb (PUT, DELETE...) a second time,
# silently, when the connection fails under it. Our retry rules and the limiter must see
# every attempt (an email is sent with a PUT), so that re-send is off: on aiohttp >= 3.11
# by the session's switch, on 3.10 (which tests the verb as given, before upper-casing it)
# by naming the verb in lower case; the request line is upper case either way.
_HIDDEN_RETRY_SWITCH = "_retry_connection" in getattr(aiohttp.ClientSession, "ATTRS", ())


def wire_method(method: str) -> str:
    """The verb to hand aiohttp so that it never re-sends the request on its own."""
    return method if _HIDDEN_RETRY_SWITCH else method.lower()


class SessionPool:
    """An aiohttp session + connector that many clients (of many accounts) can share.

    ``proxy`` sends every request through an HTTP(S) proxy (``"http://proxy:3128"``,
    credentials in the URL if it needs them); ``trust_env=True`` takes the proxy from
    ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` (and ``.netrc``) as curl does; ``ssl`` is an
    ``ssl.SSLContext`` for a private certificate authority (a TLS-inspecting proxy).
    Certificates are always verified: there is no way to turn that off here.

    ``session`` runs on the application's own ``aiohttp.ClientSession`` instead: its
    connections (connector limits, TLS and DNS settings), ``trust_env`` and trace configs
    (aiohttp tracing, OpenTelemetry's aiohttp instrumentation) serve the SDK's requests,
    which keep their own rules (no cookies, decompression bounded by
    ``max_response_bytes``, never re-sent by aiohttp behind the retry rules). The SDK
    never closes it; the connection options above then belong to it and cannot be given.
    """

    def __init__(self, limit: int = 100, *, limit_per_host: int = 0,
                 keepalive_timeout: float = 15.0, trust_env: bool = False,
                 proxy: str | None = None, ssl: ssl_module.SSLContext | None = None,
                 session: aiohttp.ClientSession | None = None) -> None:
        if session is not None:
            _check_session(session, limit=limit, limit_per_host=limit_per_host,
                           keepalive_timeout=keepalive_timeout, trust_env=trust_env, ssl=ssl)
        for name, value in (("limit", limit), ("limit_per_host", limit_per_host)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int, got {type(value).__name__}")
            if value < 0:
                raise ValueError(f"{name} must be >= 0, got {value!r}")
        if not isinstance(trust_env, bool):
            raise TypeError(f"trust_env must be a bool, got {type(trust_env).__name__}")
        if ssl is not None and not isinstance(ssl, ssl_module.SSLContext):
            raise TypeError("ssl must be an ssl.SSLContext (certificates are always"
                            f" verified), got {type(ssl).__name__}")
        if ssl is not None and ssl.verify_mode != ssl_module.CERT_REQUIRED:
            raise ValueError("ssl must verify certificates (verify_mode CERT_REQUIRED)")
        self.limit = limit
        self.trust_env = trust_env
        self.proxy = None if proxy is None else checked_proxy(proxy)
        self._ssl = ssl
        self._limit_per_host = limit_per_host
        self._keepalive_timeout = number("keepalive_timeout", keepalive_timeout)
        self._session: aiohttp.ClientSession | None = None
        self._application_session = session
        self._loop: asyncio.AbstractEventLoop | None = None
        self._limiters: dict[str, AccountLimiter] = {}
        self._closing = CloseSignal()
        self._forks = process_generation()

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("open" if self._session else "idle")
        proxy = f", proxy={shown(yarl.URL(self.proxy))!r}" if self.proxy else ""
        return (f"SessionPool(limit={self.limit}, {state}, accounts={len(self._limiters)}"
                f"{proxy})")

    @property
    def closed(self) -> bool:
        return self._closing.closed

    @property
    def closing(self) -> CloseSignal:
        """Fired by :meth:`aclose`: every request waiting on this pool gives up at once."""
        return self._closing

    def check_fork(self) -> None:
        """In a forked child, drop the parent's session before it is used (the limiters'
        locks and Redis connections follow the loop and the process on their own)."""
        if self._forks != process_generation():
            self._forks = process_generation()
            self._session = None
            self._loop = None

    def session(self) -> aiohttp.ClientSession:
        """The shared session, created on first use inside the running loop."""
        if self.closed:
            raise RuntimeError("this SessionPool is closed")
        loop = asyncio.get_running_loop()
        self.check_fork()
        application = self._application_session
        if application is not None and application.closed:
            raise ClientClosedError("the aiohttp session given as session= is closed")
        if self._session is None:
            self._session = self._new_session()
            self._loop = loop
        elif self._loop is not loop:
            raise RuntimeError("a SessionPool belongs to the event loop that first used it;"
                               " create one pool per event loop")
        return self._session

    def _new_session(self) -> aiohttp.ClientSession:
        """Our session: on a connector of our own, or on the application's (never closed
        by us: ``connector_owner=False``), always with our request rules."""
        application = self._application_session
        connector: aiohttp.BaseConnector | None
        if application is None:
            connector = aiohttp.TCPConnector(limit=self.limit,
                                             limit_per_host=self._limit_per_host,
                                             keepalive_timeout=self._keepalive_timeout,
                                             ttl_dns_cache=300,
                                             ssl=self._ssl if self._ssl is not None else True)
            trust_env, traces = self.trust_env, None
        else:
            connector = application.connector
            trust_env, traces = application.trust_env, application.trace_configs
        # no cookie jar: a pool shared by many accounts must never hand one
        # account's cookies to another on the same host
        # no decompression by aiohttp: ``bounded.py`` inflates with a hard limit
        session = aiohttp.ClientSession(connector=connector, connector_owner=application is None,
                                        raise_for_status=False, auto_decompress=False,
                                        cookie_jar=aiohttp.DummyCookieJar(),
                                        trust_env=trust_env, trace_configs=traces)
        if _HIDDEN_RETRY_SWITCH:
            session._retry_connection = False
        return session

    def limiter(self, account: str, limit: RateLimit | None, *,
                clock: Clock = time.monotonic, sleep: Sleep | None = None,
                lease: float = 120.0) -> AccountLimiter:
        """The limiter of ``account``; the first client of an account sets its limit
        (and ``lease``: how long a shared slot outlives a process killed mid-request)."""
        found = self._limiters.get(account)
        if found is None:
            found = AccountLimiter(limit, clock=clock, sleep=sleep or asyncio.sleep,
                                   account=account, lease=lease)
            self._limiters[account] = found
        return found

    @property
    def stats(self) -> TransportStats:
        """The counts of every client of every account in this pool, added up."""
        total = TransportStats()
        for limiter in self._limiters.values():
            total.add(limiter.stats)
        return total

    def account_stats(self) -> dict[str, TransportStats]:
        """Each account's counts (every client of it in this pool), with its learned
        rate, keyed ``"account@base_url"``."""
        found = {}
        for key, limiter in self._limiters.items():
            limiter.stats.learned_rate = limiter.rate
            found[key] = limiter.stats
        return found

    def open_connections(self) -> int | None:
        """Sockets the pool holds right now (in use and idle), for monitoring; None when
        the installed aiohttp does not tell (it is read from its connector's internals)."""
        if self._session is None or self._session.closed:
            return 0
        connector = self._session.connector
        if connector is None:
            return 0
        acquired, idle = getattr(connector, "_acquired", None), getattr(connector, "_conns", None)
        if acquired is None or idle is None:
            return None
        return len(acquired) + sum(len(v) for v in idle.values())

    async def release(self) -> None:
        """Close the connections of the loop running now, but stay usable: the next
        request (in any loop) opens new ones. What the sync facade does when the last
        blocking client of a shared pool closes and its loop thread stops."""
        session, self._session, self._loop = self._session, None, None
        if session is not None and not session.closed:
            await session.close()
            # let the transports finish closing (aiohttp graceful-shutdown note)
            await asyncio.sleep(0)
        for limiter in self._limiters.values():
            await limiter.aclose()

    async def aclose(self) -> None:
        """Close the session and every connection; requests still waiting for a slot, a
        retry or a poll end at once with ClientClosedError. Safe to call twice."""
        self._closing.fire()
        await self.release()

    async def __aenter__(self) -> SessionPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()



def _check_session(session: object, *, limit: int, limit_per_host: int,
                   keepalive_timeout: float, trust_env: bool,
                   ssl: ssl_module.SSLContext | None) -> None:
    """An application's session, given without the options that would configure ours."""
    if not isinstance(session, aiohttp.ClientSession):
        raise TypeError(f"session must be an aiohttp.ClientSession, got {type(session).__name__}")
    if session.closed or session.connector is None:
        raise ValueError("session is closed")
    given = [name for name, value, default in (
        ("limit", limit, 100), ("limit_per_host", limit_per_host, 0),
        ("keepalive_timeout", keepalive_timeout, 15.0), ("trust_env", trust_env, False),
        ("ssl", ssl, None)) if value != default]
    if given:
        raise ValueError(f"{', '.join(given)} cannot be given with session=: the"
                         " application's session has its own connection settings")


def checked_proxy(value: object) -> str:
    """A proxy URL: ``http://`` or ``https://`` with a host (credentials allowed: they are
    never shown)."""
    if not isinstance(value, str):
        raise TypeError(f"proxy must be a str URL, got {type(value).__name__}")
    try:
        url = yarl.URL(value.strip())
        url.port  # noqa: B018 - parsing the port is what fails on a mangled authority
    except ValueError:
        raise ValueError("proxy is not a valid URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"proxy must be an http:// or https:// URL, got {shown(url)!r}")
    return str(url)
