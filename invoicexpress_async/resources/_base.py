"""The one call path every resource uses: an :class:`Operation` in, a model out.

Resources know no HTTP: a method checks its arguments and hands the operation
(with its path parts, query and body) to :meth:`Resource._call` or
:meth:`Resource._paginate`. Here the answer is polled while it says 202, its
root key is found, and the model is built; anything unexpected is a
:class:`DecodeError`, never a ``KeyError``.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import attrs

from .._transport import Request, Requester, Response
from .._transport.error_body import truncated
from .._transport.ratelimit import Clock, Sleep
from ..errors import DecodeError, InvoiceXpressError
from ..models._convert import structure_hook
from ..models.pagination import Pagination
from ..pagination import AsyncPaginator, RawPage
from ..polling import PollPolicy, wait_until
from ._operations import Operation, Query

T = TypeVar("T")

# what a converter raises on wrong wire data; anything else is a bug and stays loud
_MALFORMED = (TypeError, ValueError, ArithmeticError, AttributeError, KeyError)
_structure = functools.cache(structure_hook)  # each answer's model: its hook looked up once


@attrs.frozen
class Core:
    """The per-client state resources need: the requester, the default prefetch and poll
    policy, and the clock and sleep the poller uses."""

    requester: Requester
    prefetch: int
    poll: PollPolicy
    clock: Clock
    sleep: Sleep


class Resource:
    """Base of the endpoint groups (``clients``, ``invoices``, ``sequences``...)."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"

    async def _call(self, operation: Operation[T], *, query: Query | None = None,
                    body: Any = None, poll: PollPolicy | None = None, **parts: object) -> T:
        """Perform ``operation``; return the model its answer holds (None when it has no
        roots), after polling any 202 under ``poll`` (the client's policy by default)."""
        request = operation.request(query=query, body=body, **parts)
        requester = self._core.requester
        if operation.polled:
            async def ready() -> Response | None:
                answer = await requester.send(request)
                return None if answer.status == 202 else answer

            response = await self._wait(ready, poll,
                                        f"{request.method} {requester.display_url(request)}")
        else:
            response = await requester.send(request)
        result: Any  # what ``operation`` says it returns (its ``R``)
        if not operation.roots:  # no root: the whole body is the object, when one is wanted
            result = None if operation.response is None else self._build(
                operation.response, response.body, request, "the answer")
        else:
            data = self._unwrap(response, operation.roots, request)
            result = data if operation.response is None else self._build(
                operation.response, data, request, operation.roots[0])
        typed: T = result
        return typed

    async def _wait(self, attempt: Callable[[], Awaitable[T | None]], poll: PollPolicy | None,
                    what: str) -> T:
        """Retry ``attempt`` under the poll policy until it has an answer."""
        return await wait_until(attempt, poll or self._core.poll, clock=self._core.clock,
                                sleep=self._core.sleep, what=what)

    @staticmethod
    async def _look_up(search: Awaitable[T]) -> T | None:
        """A reconcile's look-up; None when it fails too, so that the caller raises the
        original error (the outcome is still unknown) rather than the look-up's."""
        try:
            return await search
        except InvoiceXpressError:
            return None

    def _unwrap(self, response: Response, roots: tuple[str, ...], request: Request) -> Any:
        """The value under the first of ``roots`` present, else under the only key of the
        answer (a root the SDK did not expect: the object is still what was asked for)."""
        payload = response.body
        if type(payload) is dict:
            for root in roots:
                if root in payload:
                    return payload[root]
            if len(payload) == 1:
                (only,) = payload.values()
                if type(only) is dict:
                    return only
        raise self._decode_error(request, f"the answer has no {roots[0]!r} key", payload)

    def _decode_error(self, request: Request, why: str, payload: Any) -> DecodeError:
        requester = self._core.requester
        url = requester.display_url(request)
        return DecodeError(f"unexpected answer to {request.method} {url}:"
                           f" {requester.scrub.text(truncated(why))}",
                           method=request.method, url=url, body=requester.scrub.data(payload))

    def _build(self, model: Any, data: Any, request: Request, what: str) -> Any:
        try:
            return _structure(model)(data)
        except _MALFORMED as exc:
            raise self._decode_error(request, f"{what} is malformed ({exc})", data) from None

    def _paginate(self, operation: Operation[Any], model: type[T], *, page: int, per_page: int,
                  query: Query | None = None, body: Any = None,
                  **parts: object) -> AsyncPaginator[T]:
        """A paginator over ``operation``'s list; ``query`` is sent with every page."""
        requester = self._core.requester
        base = list(query or ())

        async def fetch(number: int) -> RawPage:
            request = operation.request(
                query=[*base, ("page", str(number)), ("per_page", str(per_page))],
                body=body, **parts)
            response = await requester.send(request)
            items = self._unwrap(response, operation.roots, request)
            if type(items) is not list:
                raise self._decode_error(request, f"{operation.roots[0]!r} is not a list",
                                         items)
            raw_pagination = response.body.get("pagination")
            pagination = None if raw_pagination is None else self._build(
                Pagination, raw_pagination, request, "pagination")
            return items, pagination

        structure = structure_hook(model)

        def parse(entries: list[Any]) -> list[T]:
            try:
                return [structure(entry) for entry in entries]
            except _MALFORMED:
                pass
            built = []  # one entry fails: again one by one, to name it
            for entry in entries:
                try:
                    built.append(structure(entry))
                except _MALFORMED as exc:
                    raise DecodeError(f"a {operation.roots[0]!r} entry is malformed ({exc})",
                                      body=entry) from None
            return built

        return AsyncPaginator(fetch, parse, start_page=page, per_page=per_page,
                              prefetch=self._core.prefetch)

