from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aioresponses import aioresponses

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

CANARY_KEY = "CANARY-k3y-4f1d9c"
BASE = "https://acme.app.invoicexpress.com"


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
def mocked() -> Any:
    with aioresponses() as m:
        yield m


def url(path: str) -> re.Pattern[str]:
    """A pattern for ``path`` on the mocked account, whatever the query."""
    return re.compile("^" + re.escape(BASE + path) + r"(\?.*)?$")


def calls(m: Any, method: str, path: str) -> list[Any]:
    found = []
    for (verb, address), entries in m.requests.items():
        if verb == method and str(address).split("?")[0] == BASE + path:
            found.extend(entries)
    return found


@pytest.fixture
async def make_api(fake_time: FakeTime) -> AsyncIterator[Callable[..., ix.AsyncInvoiceXpress]]:
    """Clients of the mocked account, on fake time, closed at the end of the test."""
    made: list[ix.AsyncInvoiceXpress] = []

    def make(**kwargs: Any) -> ix.AsyncInvoiceXpress:
        options: dict[str, Any] = {"account_name": "acme", "api_key": CANARY_KEY,
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
