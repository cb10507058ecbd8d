"""Read an answer's body with a hard limit on what it becomes, after decompression.

aiohttp's own decompression has no limit in older releases and its own error
in newer ones, and it inflates a whole network chunk at once (64 KB of gzip can
be 64 MB). The pool turns it off; this reader inflates gzip and deflate itself,
never producing more than ``limit`` + 1 bytes before it stops, whatever aiohttp
version runs underneath.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable

import aiohttp

ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024


class TooLarge(Exception):
    """The body would exceed the limit."""


class BadEncoding(Exception):
    """The body is not in the Content-Encoding it announced."""


async def body_chunks(response: aiohttp.ClientResponse, limit: int) -> AsyncIterator[bytes]:
    """The decoded body, chunk by chunk; :class:`TooLarge` past ``limit`` bytes."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    inflate: Callable[[bytes, int], bytes] | None = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(wbits=47)  # a zlib or gzip header, detected

        def inflate(data: bytes, room: int) -> bytes:
            try:
                return inflater.decompress(data, room)
            except zlib.error:
                raise BadEncoding(f"the body is not valid {encoding}") from None
    elif encoding != "identity":
        raise BadEncoding(f"unsupported Content-Encoding {encoding!r}")
    elif response.content_length is not None and response.content_length > limit:
        raise TooLarge
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        if inflate is None:
            size += len(chunk)
            if size > limit:
                raise TooLarge
            yield chunk
            continue
        while chunk:
            data = inflate(chunk, limit - size + 1)
            chunk = inflater.unconsumed_tail
            size += len(data)
            if size > limit:
                raise TooLarge
            if data:
                yield data
            if not data and chunk:  # pragma: no cover - zlib always progresses
                break


async def read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The whole decoded body; the common case (no encoding, a known length) in one read."""
    length = response.content_length  # parsed from the headers on every access
    if length is not None and "Content-Encoding" not in response.headers:
        if length > limit:
            raise TooLarge
        return await response.read()  # exactly Content-Length bytes
    return b"".join([chunk async for chunk in body_chunks(response, limit)])
