"""A document's lines and embedded client, built when first read.

Streaming 100,000 invoices to read their totals and states should not pay for building
300,000 line items and 100,000 embedded clients nobody looks at: they are most of the
work of decoding a document. The document's slot holds the API's object in a
:class:`Pending` until the attribute is first read; a :class:`LazyField`, the class
attribute in front of the slot, then builds the model (or the plain ``list`` of
models), stores it in the slot and returns it. Every reader goes through the attribute
(equality, ``repr``, pickling, ``attrs.asdict``, ``ix.to_dict``, exports), so none sees
the difference, and what it gets is the model or the ``list`` it always was.

Only what cannot fail is left for later: an object whose every field is optional (a
member of another shape is kept in its ``extra``) and whose id was checked when the
document was read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..errors import DecodeError

_FILLING = threading.RLock()  # first reads from two threads build the value once


class Pending:
    """An object (or list of objects) as the API sent it, until its model is first read."""

    __slots__ = ("raw",)

    def __init__(self, raw: Any) -> None:
        self.raw = raw


class LazyField:
    """The attribute in front of a slot that may hold a :class:`Pending`: the first read
    builds the value and stores it in the slot."""

    def __init__(self, slot: Any, build: Callable[[Any], Any]) -> None:
        self.slot = slot  # the slot's own descriptor, which stores and reads the value
        self._read = slot.__get__
        self._store = slot.__set__
        self._build = build
        self.__doc__ = slot.__doc__

    def __repr__(self) -> str:
        return f"<lazy attribute {self.slot.__name__!r} of {self.slot.__objclass__.__name__!r}>"

    def __get__(self, instance: Any, owner: type[Any] | None = None) -> Any:
        if instance is None:
            return self
        value = self._read(instance, owner)
        if type(value) is Pending:
            with _FILLING:
                value = self._read(instance, owner)
                if type(value) is Pending:
                    value = self._built(value.raw)
                    self._store(instance, value)
        return value

    def _built(self, raw: Any) -> Any:
        try:
            return self._build(raw)
        except (TypeError, ValueError, ArithmeticError, KeyError) as exc:  # left Pending
            raise DecodeError(f"the document's {self.slot.__name__} cannot be read: {exc}",
                              body=raw) from None

    def __set__(self, instance: Any, value: Any) -> None:
        self._store(instance, value)

    def __delete__(self, instance: Any) -> None:
        self.slot.__delete__(instance)


__all__ = ["LazyField", "Pending"]
