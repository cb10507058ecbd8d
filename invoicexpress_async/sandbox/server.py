"""Run the sandbox: in the current event loop, on a background thread, or as a process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Protocol, TypeVar

from aiohttp import web

from .app import FAULT_KINDS, SandboxRateLimit, SandboxState, Settings
from .routes import make_app
from .state import Account

DEFAULT_ACCOUNT = "sandbox"


def _latency(value: float | tuple[float, float] | None) -> tuple[float, float]:
    if value is None:
        return (0.0, 0.0)
    if isinstance(value, tuple):
        low, high = value
        return (float(low), float(high))
    return (float(value), float(value))


class Sandbox:
    """An InvoiceXpress-compatible server on loopback, stateful and in memory.

    ``async with Sandbox(invoices=500) as sb:`` then talk to ``sb.base_url`` with
    ``sb.account_name``/``sb.api_key``. Knobs: ``latency`` (seconds, or a
    ``(low, high)`` range), ``rate_limit`` (``(requests, per)`` answered by 429,
    with ``Retry-After`` unless ``retry_after=False``; a sliding window, or a token
    bucket with ``bucket=True``), ``faults`` (a mapping of
    fault kind to probability, see ``FAULT_KINDS``), ``pending_polls`` (how many
    times a PDF or QR request answers 202 before it is ready), ``create_seconds``
    (how long a create keeps its ``proprietary_uid`` "ongoing", answering 409 to
    the same UID meanwhile), ``max_per_page`` (a silent cap) and ``statuses`` (the
    invoices' states in percent, e.g. ``{"settled": 80, "final": 12, "draft": 3,
    "canceled": 5}`` for an old account) and ``others`` (how many estimates and how many
    guides are seeded beside the invoices: one of each per 20 invoices by default, with
    ten catalogue items; 0 seeds none of them). ``settings`` can
    be changed while it runs; :meth:`fail_next` scripts faults for the next
    requests. :meth:`running` runs it on a background thread for sync code.
    """

    def __init__(self, *, invoices: int = 200, clients: int | None = None, seed: int = 0,
                 latency: float | tuple[float, float] | None = None,
                 rate_limit: tuple[int, float] | None = None, retry_after: bool = True,
                 bucket: bool = False,
                 faults: dict[str, float] | None = None, hang_seconds: float = 30.0,
                 pending_polls: int = 2, create_seconds: float = 0.0,
                 max_per_page: int | None = None,
                 statuses: dict[str, int] | None = None, others: int | None = None,
                 host: str = "127.0.0.1", port: int = 0,
                 account_name: str = DEFAULT_ACCOUNT, api_key: str | None = None) -> None:
        for kind in faults or {}:
            if kind not in FAULT_KINDS:
                raise ValueError(f"faults: unknown fault kind {kind!r}; known: {FAULT_KINDS}")
        settings = Settings(
            latency=_latency(latency),
            rate_limit=SandboxRateLimit(requests=rate_limit[0], per=rate_limit[1],
                                        retry_after=retry_after, bucket=bucket)
            if rate_limit else None,
            faults=dict(faults or {}), hang_seconds=hang_seconds, seed=seed,
            pending_polls=pending_polls, create_seconds=create_seconds,
            max_per_page=max_per_page)
        self.state = SandboxState(settings)
        self.account = self.state.add(Account(account_name, api_key, invoices=invoices,
                                              clients=clients, seed=seed, statuses=statuses,
                                              others=others))
        self._seed = seed
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def account_name(self) -> str:
        return self.account.name

    @property
    def api_key(self) -> str:
        return self.account.api_key

    def __repr__(self) -> str:
        return f"Sandbox(base_url={self.base_url!r}, account_name={self.account_name!r})"

    def fail_next(self, *kinds: str) -> None:
        """Answer the next requests with these faults, one each, in order (then as usual)."""
        for kind in kinds:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; known: {FAULT_KINDS}")
        self.state.scripted.extend(kinds)

    def add_account(self, name: str, *, invoices: int = 20, clients: int | None = None,
                    api_key: str | None = None) -> Account:
        """Another account on the same server (told apart by its api key)."""
        return self.state.add(Account(name, api_key, invoices=invoices, clients=clients,
                                      seed=self._seed + len(self.state.accounts)))

    def client_kwargs(self, account: Account | None = None) -> dict[str, Any]:
        """Constructor arguments for a client of ``account`` (default: the main one)."""
        chosen = account or self.account
        return {"account_name": chosen.name, "api_key": chosen.api_key,
                "base_url": self.base_url}

    async def start(self) -> None:
        runner = web.AppRunner(make_app(self.state), access_log=None, shutdown_timeout=1.0,
                               handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port, reuse_address=True)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        shown = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown}:{port}"

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def running(self) -> contextlib.AbstractContextManager[Sandbox]:
        """Serve from a background thread with its own loop (for sync callers)."""
        return in_background(self)


S = TypeVar("S", bound="Serving")


class Serving(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@contextlib.contextmanager
def in_background(server: S) -> Iterator[S]:
    """Run ``server`` (anything with async ``start``/``stop``) on a background thread with
    its own event loop, for as long as the block lasts."""
    from anyio.from_thread import start_blocking_portal

    with start_blocking_portal(backend="asyncio") as portal:
        portal.call(server.start)
        try:
            yield server
        finally:
            portal.call(server.stop)
