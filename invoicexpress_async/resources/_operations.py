"""Operations as data: one descriptor per API operation, one generic call path.

A resource method checks its arguments, then names the :class:`Operation` it
performs; the descriptor says everything else (verb, path, where the answer's
object sits, what to build from it, whether it may be sent twice, whether it
answers 202 until ready). Adding an operation is a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar, overload

import attrs

from .._transport import Request
from ..models._convert import wire_body

Query = list[tuple[str, str]]
T = TypeVar("T")
R = TypeVar("R", covariant=True)


@attrs.frozen
class Operation(Generic[R]):
    """One operation of the API.

    ``roots`` are the keys the answer's object may sit under, tried in order
    (a document's type-specific key, then the vendor's generic one: reference §5);
    empty when the whole body is the object (or, with no ``response``, when the
    answer has no body worth reading). ``response`` is the model
    (or ``list[Model]``) built from it.
    ``idempotent`` is whether sending it twice does no harm: reads are, even
    when sent as POST; creates, state changes, emails and payments are not, even
    when sent as PUT. ``R`` is what performing it returns (``None`` without a response).
    """

    method: str
    path: str
    idempotent: bool
    roots: tuple[str, ...] = ()
    response: Any = None
    request_root: str | None = None
    polled: bool = False

    def request(self, *, query: Query | None = None, body: Any = None,
                **parts: object) -> Request:
        return Request(self.method, self.path.format(**parts), tuple(query or ()), body,
                       idempotent=self.idempotent, template=self.path)

    def body(self, model: Any = None, *, fields: Mapping[str, Any] | None = None,
             **top_level: Any) -> dict[str, Any]:
        """``{request_root: <model on the wire, plus fields>, **top_level}``."""
        inner = wire_body(model) if model is not None else {}
        if fields:
            inner.update({k: v for k, v in fields.items() if v is not None})
        assert self.request_root is not None, f"{self.path} sends no body"
        return {self.request_root: inner, **top_level}


@overload
def read(path: str, roots: tuple[str, ...] = (), response: None = None, *,
         method: str = "GET", polled: bool = False) -> Operation[None]: ...


@overload
def read(path: str, roots: tuple[str, ...], response: type[T], *, method: str = "GET",
         polled: bool = False) -> Operation[T]: ...


def read(path: str, roots: tuple[str, ...] = (), response: Any = None, *,
         method: str = "GET", polled: bool = False) -> Operation[Any]:
    """A read: safe to send again, whatever its verb (lists are read page by page with
    ``Resource._paginate``)."""
    return Operation(method, path, True, roots, response, polled=polled)


@overload
def write(method: str, path: str, roots: tuple[str, ...] = (), response: None = None, *,
          request_root: str | None = None, idempotent: bool = False) -> Operation[None]: ...


@overload
def write(method: str, path: str, roots: tuple[str, ...], response: type[T], *,
          request_root: str | None = None, idempotent: bool = False) -> Operation[T]: ...


def write(method: str, path: str, roots: tuple[str, ...] = (), response: Any = None, *,
          request_root: str | None = None, idempotent: bool = False) -> Operation[Any]:
    """A write: sent at most once unless ``idempotent`` (the same update twice is harmless)."""
    return Operation(method, path, idempotent, roots, response, request_root)
