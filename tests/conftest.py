from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .redis_server import RedisServer
from .scripted import Scripted

CANARY_KEY = "CANARY-k3y-4f1d9c"


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def scripted(fake_time: FakeTime) -> AsyncIterator[Scripted]:
    """A scripted server on loopback; requests are stamped with the fake clock."""
    async with Scripted(fake_time.clock) as server:
        yield server


@pytest.fixture
async def make_api(fake_time: FakeTime,
                   scripted: Scripted) -> AsyncIterator[Callable[..., ix.AsyncInvoiceXpress]]:
    """Clients of the scripted server's account, on fake time, closed at the end."""
    made: list[ix.AsyncInvoiceXpress] = []

    def make(**kwargs: Any) -> ix.AsyncInvoiceXpress:
        options: dict[str, Any] = {"account_name": "acme", "api_key": CANARY_KEY,
                                   "base_url": scripted.base_url,
                                   "clock": fake_time.clock, "sleep": fake_time.sleep}
        options.update(kwargs)
        api = ix.AsyncInvoiceXpress(**options)
        made.append(api)
        return api

    yield make
    for api in made:
        await api.aclose()


@pytest.fixture
async def api(make_api: Callable[..., ix.AsyncInvoiceXpress]) -> ix.AsyncInvoiceXpress:
    return make_api()


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(invoices=500, api_key=CANARY_KEY) as sb:
        yield sb


@pytest.fixture
async def sandbox_api(sandbox: Sandbox) -> AsyncIterator[ix.AsyncInvoiceXpress]:
    async with ix.AsyncInvoiceXpress(**sandbox.client_kwargs()) as client:
        yield client


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server on loopback for the whole run (see redis_server.py)."""
    with RedisServer() as server:
        yield server


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The server's URL, emptied for this test."""
    redis_server.command("FLUSHALL")
    return redis_server.url
