"""A document's lines and embedded objects, built when first used.

Streaming 100,000 invoices to read their totals and states should not pay for building
300,000 line items nobody looks at: they are most of the work of decoding a document.
A :class:`LazyList` is a real ``list`` (``isinstance``, equality, ``len``, iteration,
indexing, ``repr``, pickling as a plain list) that keeps the API's objects and builds
its models the first time anything reads or changes it. Only code that reads a list's
memory directly from C without going through its methods (``json``/``orjson`` handed
the list itself) would see it empty before that: go through the models
(``ix.to_dict``) instead.

An embedded object (a document's ``client``) is kept the same way: its slot holds
the API's object in a :class:`Pending` until the attribute is first read, when a
:class:`LazyField` (the class attribute in front of the slot) builds and stores the
model. Every reader goes through the attribute (equality, ``repr``, pickling,
``attrs.asdict``, exports), so none sees the difference.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..errors import DecodeError

_FILLING = threading.RLock()  # first uses from two threads build the list once


class LazyList(list):  # type: ignore[type-arg]  # a list of models of any type
    """A list whose models are built from ``raw`` (the API's objects) on first use."""

    __slots__ = ("_build", "_raw")

    def __init__(self, raw: list[dict[str, Any]], build: Callable[[Any], Any]) -> None:
        # no list.__init__: a new list is empty already, and this runs for every document
        self._raw: list[dict[str, Any]] | None = raw
        self._build = build

    def _fill(self) -> None:
        with _FILLING:
            raw, self._raw = self._raw, None
            if raw is None:
                return
            built = []
            for index, entry in enumerate(raw):
                try:
                    built.append(self._build(entry))
                except (TypeError, ValueError, ArithmeticError, KeyError) as exc:
                    self._raw = raw
                    raise DecodeError(f"line [{index}] of the document cannot be read:"
                                      f" {exc}") from None
            list.extend(self, built)

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy as the plain list it is
        if self._raw is not None:
            self._fill()
        return (list, (list(list.__iter__(self)),))


def _filled(name: str) -> Callable[..., Any]:
    method = getattr(list, name)

    def call(self: LazyList, *args: Any, **kwargs: Any) -> Any:
        if self._raw is not None:
            self._fill()
        for other in args:  # list's C code reads another list's memory directly
            if type(other) is LazyList and other._raw is not None:
                other._fill()
        return method(self, *args, **kwargs)

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


for _name in ("__len__", "__iter__", "__getitem__", "__contains__", "__eq__", "__ne__",
              "__lt__", "__le__", "__gt__", "__ge__", "__repr__", "__reversed__", "__add__",
              "__mul__", "__rmul__", "__iadd__", "__imul__", "__setitem__", "__delitem__",
              "__sizeof__", "index", "count", "copy", "append", "extend", "insert", "pop",
              "remove", "sort", "reverse", "clear"):
    setattr(LazyList, _name, _filled(_name))


class Pending:
    """An embedded object as the API sent it, until its model is first read."""

    __slots__ = ("raw",)

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw


class LazyField:
    """The attribute in front of a slot that may hold a :class:`Pending`: the first read
    builds the model and stores it in the slot."""

    def __init__(self, slot: Any, build: Callable[[dict[str, Any]], Any]) -> None:
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
                    value = self._build(value.raw)
                    self._store(instance, value)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        self._store(instance, value)

    def __delete__(self, instance: Any) -> None:
        self.slot.__delete__(instance)


__all__ = ["LazyField", "LazyList", "Pending"]
