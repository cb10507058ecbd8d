"""Raw responses: the status, headers and URL of a call, beside the model it returns.

``await api.with_raw_response.invoices.get(1)`` performs the same call as
``api.invoices.get(1)`` (same limiter, retries, polling and errors) and returns an
:class:`RawResponse` of its last answer; ``.parse()`` is what the plain call returns.
Lists are streams of many answers and have no raw form.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from ._transport.answers import ANSWERS, Answer

T = TypeVar("T")

@attrs.frozen(kw_only=True)
class RawResponse(Generic[T]):
    """One call's last answer: ``status``, ``headers`` (scrubbed of the key), the
    ``url`` (``api_key=***``), and :meth:`parse` for what the plain call returns."""

    status: int
    headers: Mapping[str, str]
    url: str
    _parsed: T = attrs.field(alias="parsed", repr=False)

    def parse(self) -> T:
        """The model (or value) the plain call returns."""
        return self._parsed


class AsyncRawResources:
    """``api.with_raw_response``: each resource of the client, its methods returning
    :class:`RawResponse`."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._client, name)
        if name == "request":  # the escape hatch has a raw form too
            return RawMethods(self._client).__getattr__(name)
        if name.startswith("_") or not hasattr(found, "_core"):
            raise AttributeError(f"with_raw_response has no resource {name!r}")
        return RawMethods(found)


class RawMethods:
    def __init__(self, resource: Any) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Callable[..., Awaitable[RawResponse[Any]]]:
        method = getattr(self._resource, name)
        if name.startswith("_") or not inspect.iscoroutinefunction(method):
            raise AttributeError(f"{name!r} has no raw form (lists stream many answers)")

        async def raw(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            return await call_raw(method, *args, **kwargs)

        raw.__name__ = raw.__qualname__ = name
        raw.__doc__ = method.__doc__
        return raw


async def call_raw(method: Callable[..., Awaitable[T]], /, *args: Any,
                   **kwargs: Any) -> RawResponse[T]:
    """Run ``method`` and return its last answer with what it returned."""
    sink: list[Answer] = []
    token = ANSWERS.set(sink)
    try:
        result = await method(*args, **kwargs)
    finally:
        ANSWERS.reset(token)
    status, headers, url = sink[-1]
    return RawResponse(status=status, headers=headers, url=url, parsed=result)


__all__ = ["AsyncRawResources", "RawResponse", "call_raw"]
