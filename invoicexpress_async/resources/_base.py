"""What every resource shares: the requester, envelopes, and list plumbing.

Resources know no HTTP: they describe a call as a :class:`Request` plus the
root key of its answer, and use the helpers here to send it, strip the root
key and build models (raising :class:`DecodeError` for anything unexpected).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from .._transport import Request, Requester
from ..errors import DecodeError
from ..models._convert import structure_hook
from ..models.pagination import Pagination
from ..pagination import AsyncPaginator, RawPage

T = TypeVar("T")

_structure_pagination = structure_hook(Pagination)
# what a converter raises on wrong wire data; anything else is a bug and stays loud
_MALFORMED = (TypeError, ValueError, ArithmeticError, AttributeError, KeyError)


@attrs.frozen
class Core:
    """The per-client state resources need: the requester and the default prefetch."""

    requester: Requester
    prefetch: int


class Resource:
    """Base of the endpoint groups (``clients``, ``invoices``, ``sequences``...)."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"

    async def _send(self, request: Request, root: str) -> Any:
        """Send ``request`` and return the value under ``root`` in its answer."""
        payload = await self._core.requester.send(request)
        return self._unwrap(payload, root, request)

    def _unwrap(self, payload: Any, root: str, request: Request) -> Any:
        if type(payload) is dict and root in payload:
            return payload[root]
        raise self._decode_error(request, f"the answer has no {root!r} key", payload)

    def _decode_error(self, request: Request, why: str, payload: Any) -> DecodeError:
        url = self._core.requester.display_url(request)
        return DecodeError(f"unexpected answer to {request.method} {url}: {why}",
                           method=request.method, url=url, body=payload)

    def _build(self, parse: Callable[[Any], T], data: Any, request: Request, what: str) -> T:
        try:
            return parse(data)
        except _MALFORMED as exc:
            raise self._decode_error(request, f"{what} is malformed ({exc})", data) from None

    async def _one(self, request: Request, root: str, model: type[T]) -> T:
        data = await self._send(request, root)
        return self._build(structure_hook(model), data, request, root)

    async def _all(self, request: Request, root: str, model: type[T]) -> list[T]:
        """An unpaginated list answer (``sequences``...) as a list of models."""
        data = await self._send(request, root)
        if type(data) is not list:
            raise self._decode_error(request, f"{root!r} is not a list", data)
        parse = structure_hook(model)
        return [self._build(parse, entry, request, f"{root}[{i}]")
                for i, entry in enumerate(data)]

    def _paginate(self, request_for: Callable[[int], Request], root: str, model: type[T],
                  *, page: int, per_page: int | None) -> AsyncPaginator[T]:
        """A paginator over ``root``; ``request_for(n)`` describes the call for page n."""
        async def fetch(number: int) -> RawPage:
            request = request_for(number)
            payload = await self._core.requester.send(request)
            items = self._unwrap(payload, root, request)
            if type(items) is not list:
                raise self._decode_error(request, f"{root!r} is not a list", items)
            raw_pagination = payload.get("pagination")
            pagination = None if raw_pagination is None else self._build(
                _structure_pagination, raw_pagination, request, "pagination")
            return items, pagination

        structure = structure_hook(model)

        def parse(entry: Any) -> T:
            try:
                return structure(entry)
            except _MALFORMED as exc:
                raise DecodeError(f"a {root!r} entry is malformed ({exc})", body=entry) from None

        return AsyncPaginator(fetch, parse, start_page=page, per_page=per_page,
                              prefetch=self._core.prefetch)
