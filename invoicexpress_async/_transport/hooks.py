"""Event hooks: the application's own code told of every attempt, for correlation ids,
audit logs and metrics of its own.

A hook is any object with ``on_request(info)`` and/or ``on_response(info)`` (plain or
``async`` methods), given to the client as ``hooks=[...]``. Each is called once per
attempt (a retried request calls them again, with ``attempt`` counting up). What they
are told names the operation by its path *template* and never carries the api key or a
URL. An exception a hook raises is the caller's: it propagates.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import attrs


@attrs.frozen(kw_only=True, slots=True)
class RequestInfo:
    """An attempt about to be sent: ``method``, the path ``template``
    (``/invoices/{id}.json``), the ``account`` and the ``attempt`` number (1 first)."""

    method: str
    template: str
    account: str
    attempt: int


@attrs.frozen(kw_only=True, slots=True)
class ResponseInfo:
    """An attempt that ended: its ``status`` (None when no answer came: then ``error``
    names what happened), the answer's ``headers``, and ``elapsed`` seconds (the limiter's
    wait excluded)."""

    method: str
    template: str
    account: str
    attempt: int
    status: int | None
    headers: Mapping[str, str]
    elapsed: float
    error: str | None = None


def checked(hooks: object) -> tuple[Any, ...]:
    """``hooks`` as a tuple, each with an ``on_request`` or ``on_response``; else a
    TypeError naming the one that has neither."""
    if not isinstance(hooks, Sequence) or isinstance(hooks, (str, bytes)):
        raise TypeError(f"hooks must be a list of hook objects, got {type(hooks).__name__}")
    for index, hook in enumerate(hooks):
        if not (callable(getattr(hook, "on_request", None))
                or callable(getattr(hook, "on_response", None))):
            raise TypeError(f"hooks[{index}] has neither on_request nor on_response"
                            f" ({type(hook).__name__})")
    return tuple(hooks)


async def tell(hooks: tuple[Any, ...], event: str, info: RequestInfo | ResponseInfo) -> None:
    """Call ``event`` (``"on_request"``/``"on_response"``) of every hook that has it."""
    for hook in hooks:
        method = getattr(hook, event, None)
        if method is not None:
            result = method(info)
            if inspect.isawaitable(result):
                await result
