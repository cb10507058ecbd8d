"""A scripted HTTP server on loopback: the transport rules' test double.

Each request gets the next answer scripted for its method and path (the last
one repeats when scripted with ``repeat=True``); faults happen on the wire
(reset, hang, truncated body), so the client under test meets them through
whatever aiohttp version is installed, not through a replaced aiohttp method.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from typing import Any

import attrs
import orjson
from aiohttp import web

from invoicexpress_async.sandbox.server import in_background

FAULTS = ("reset", "hang", "truncate")


@attrs.define
class Answer:
    status: int = 200
    payload: Any = None
    body: bytes | None = None
    headers: dict[str, str] = attrs.field(factory=dict)
    fault: str | None = None
    repeat: bool = False


@attrs.frozen
class Recorded:
    """A request the server received, and when (on the test's clock)."""

    method: str
    path: str
    query: list[tuple[str, str]]
    body: bytes
    headers: dict[str, str]
    at: float


class Scripted:
    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self._answers: dict[tuple[str, str], deque[Answer]] = {}
        self._clock = clock or (lambda: 0.0)
        self.requests: list[Recorded] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    def add(self, method: str, path: str, **answer: Any) -> None:
        """Script the next answer to ``method path`` (``path="*"``: any path)."""
        if answer.get("fault") not in (None, *FAULTS):
            raise ValueError(f"unknown fault {answer['fault']!r}")
        self._answers.setdefault((method, path), deque()).append(Answer(**answer))

    def get(self, path: str, **answer: Any) -> None:
        self.add("GET", path, **answer)

    def post(self, path: str, **answer: Any) -> None:
        self.add("POST", path, **answer)

    def put(self, path: str, **answer: Any) -> None:
        self.add("PUT", path, **answer)

    def reset(self) -> None:
        """Forget every scripted answer and recorded request."""
        self._answers.clear()
        self.requests.clear()

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def _next(self, method: str, path: str) -> Answer | None:
        for key in ((method, path), (method, "*")):
            queue = self._answers.get(key)
            if queue:
                return queue[0] if queue[0].repeat and len(queue) == 1 else queue.popleft()
        return None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(Recorded(request.method, request.path, list(request.query.items()),
                                      body, dict(request.headers), self._clock()))
        answer = self._next(request.method, request.path)
        if answer is None:
            return web.Response(status=599, text=f"unscripted {request.method} {request.path}")
        if answer.fault == "reset":
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if answer.fault == "hang":
            await asyncio.sleep(30)
        raw = answer.body if answer.body is not None else (
            b"" if answer.payload is None else orjson.dumps(answer.payload))
        if answer.fault == "truncate":
            cut = web.StreamResponse(status=answer.status)
            cut.content_length = len(raw) + 100
            await cut.prepare(request)
            await cut.write(raw[: len(raw) // 2])
            assert request.transport is not None
            request.transport.abort()
            return cut
        headers = {"Content-Type": "application/json", **answer.headers}
        return web.Response(status=answer.status, body=raw, headers=headers)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Scripted:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def running(self) -> contextlib.AbstractContextManager[Scripted]:
        """Serve from a background thread (for tests that run their own event loops)."""
        return in_background(self)
