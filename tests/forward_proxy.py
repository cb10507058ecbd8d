"""A real HTTP forward proxy on loopback (absolute-form requests, as HTTP_PROXY clients
send them), counting what it forwards: the SDK's proxy tests go through it."""

from __future__ import annotations

import aiohttp
from aiohttp import web


class ForwardProxy:
    def __init__(self) -> None:
        self.forwarded: list[str] = []  # "METHOD host/path" of every request relayed
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def _relay(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        asked = request._message.url  # absolute-form: the target, its port included
        target = str(asked) if asked.is_absolute() else \
            f"http://{request.headers['Host']}{request.path_qs}"
        self.forwarded.append(f"{request.method} {asked.host}:{asked.port}{asked.path}")
        body = await request.read()
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("host", "proxy-connection", "content-length")}
        async with self._session.request(request.method, target, data=body or None,
                                         headers=headers, allow_redirects=False) as answer:
            payload = await answer.read()
            kept = {k: v for k, v in answer.headers.items()
                    if k.lower() not in ("transfer-encoding", "content-length", "connection",
                                         "content-encoding")}
            return web.Response(status=answer.status, body=payload, headers=kept)

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(auto_decompress=True)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._relay)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> ForwardProxy:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
