"""The one cattrs converter: wire JSON <-> models, built once for the hot path.

Every list page goes through here, so the structure functions are generated
once (at import) and looked up once per model; the scalar hooks are plain
functions with the common case first. The wire's quirks are absorbed here and
nowhere else: money as numbers *or* strings, ids as strings, dd/mm/yyyy dates,
0/1 booleans, nulls for lists, unknown fields ignored.
"""

from __future__ import annotations

import datetime
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from .clients import Client, ClientCreate, PreferredContact
from .documents import Invoice, Item
from .pagination import Pagination
from .sequences import Sequence

T = TypeVar("T")

converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)


def _decimal(value: Any, _: Any = None) -> Decimal:
    kind = type(value)
    if kind is float:
        # repr is the shortest string that round-trips: 1.07 -> Decimal("1.07")
        result = Decimal(repr(value))
    elif kind is int or kind is str:
        result = Decimal(value.strip() if kind is str else value)
    elif kind is Decimal:
        result = value
    else:
        raise TypeError(f"expected a number or a numeric string, got {kind.__name__}")
    if not result.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return result


def parse_date(value: Any, _: Any = None) -> datetime.date:
    """dd/mm/yyyy (the API's format), leniently: unpadded parts and ISO dates too."""
    if type(value) is not str:
        raise TypeError(f"expected a dd/mm/yyyy date string, got {type(value).__name__}")
    if len(value) == 10 and value[2] == "/" and value[5] == "/":
        return datetime.date(int(value[6:]), int(value[3:5]), int(value[:2]))
    text = value.strip()
    if "/" in text:
        day, month, year = text.split("/")
        return datetime.date(int(year), int(month), int(day))
    return datetime.date.fromisoformat(text[:10])


def _int(value: Any, _: Any = None) -> int:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is str:
        return int(value)
    if kind is float and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {value!r}")


def _bool(value: Any, _: Any = None) -> bool:
    if value is True or value is False:
        return bool(value)
    if value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _BOOL_TEXT:
        return _BOOL_TEXT[value.strip().lower()]
    raise TypeError(f"expected a boolean, got {value!r}")


_BOOL_TEXT = {"true": True, "1": True, "false": False, "0": False}


def _str(value: Any, _: Any = None) -> str:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int or kind is float:
        return str(value)
    raise TypeError(f"expected a string, got {kind.__name__}")


def _object_hook_factory(model: type[Any]) -> Callable[[Any, Any], Any]:
    """cattrs' generated function for ``model``, refusing anything but a JSON object
    (its ``key in data`` checks would otherwise read a string as an empty object)."""
    generated = make_dict_structure_fn(model, converter)

    def structure(data: Any, _: Any = None) -> Any:
        if type(data) is not dict:
            raise TypeError(f"expected an object for {model.__name__},"
                            f" got {type(data).__name__}")
        return generated(data, model)

    return structure


def _is_optional(tp: Any) -> bool:
    args = typing.get_args(tp)
    return (typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 2
            and type(None) in args)


def _optional_hook_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """``X | None`` with X's hook looked up once, not on every value (cattrs' generic
    optional handler dispatches per call: it was 70% of building an invoice)."""
    (inner_type,) = [arg for arg in typing.get_args(tp) if arg is not type(None)]
    if inner_type is str:
        def structure_text(value: Any, _: Any = None) -> Any:
            return value if value is None or type(value) is str else _str(value)
        return structure_text
    if inner_type is Decimal:
        def structure_money(value: Any, _: Any = None) -> Any:
            if type(value) is float:  # the usual case; JSON has no inf/nan floats
                return Decimal(repr(value))
            return None if value is None else _decimal(value)
        return structure_money
    if inner_type is int:
        def structure_whole(value: Any, _: Any = None) -> Any:
            return value if value is None or type(value) is int else _int(value)
        return structure_whole
    if attrs.has(inner_type):  # a nested object: one function for the None and dict checks
        generated = make_dict_structure_fn(inner_type, converter)

        def structure_object(value: Any, _: Any = None) -> Any:
            if type(value) is dict:
                return generated(value, inner_type)
            if value is None:
                return None
            raise TypeError(f"expected an object for {inner_type.__name__},"
                            f" got {type(value).__name__}")
        return structure_object
    inner = converter.get_structure_hook(inner_type)

    def structure(value: Any, _: Any = None) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure


converter.register_structure_hook_factory(attrs.has, _object_hook_factory)
converter.register_structure_hook_factory(_is_optional, _optional_hook_factory)
converter.register_structure_hook(Decimal, _decimal)
converter.register_structure_hook(datetime.date, parse_date)
converter.register_structure_hook(int, _int)
converter.register_structure_hook(bool, _bool)
converter.register_structure_hook(str, _str)

_structure_item = converter.get_structure_hook(Item)


def _items(value: Any, _: Any = None) -> list[Item]:
    if value is None:
        return []
    if type(value) is not list:
        raise TypeError(f"expected a list of items, got {type(value).__name__}")
    return [_structure_item(entry, Item) for entry in value]


converter.register_structure_hook_func(lambda t: t == list[Item], _items)

# unstructuring, used for exports and request bodies: Decimal -> "1.07", date -> ISO
converter.register_unstructure_hook(Decimal, str)
converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)


def _client_create_body(value: ClientCreate) -> dict[str, Any]:
    """The wire form of a new client: None fields left out, send_options as "1".."3"."""
    body: dict[str, Any] = {}
    for field in ClientCreate.__attrs_attrs__:
        item = getattr(value, field.name)
        if item is None:
            continue
        if isinstance(item, PreferredContact):
            item = {k: v for k, v in (("name", item.name), ("email", item.email),
                                      ("phone", item.phone)) if v is not None}
        elif field.name == "send_options":
            item = str(item)
        body[field.name] = item
    return body


converter.register_unstructure_hook(ClientCreate, _client_create_body)


def structure_hook(model: type[T]) -> Callable[[Any], T]:
    """A one-argument structure function for ``model``, fetched once per call site."""
    hook = converter.get_structure_hook(model)

    def structure(data: Any) -> T:
        return hook(data, model)  # type: ignore[no-any-return]

    structure.__name__ = f"structure_{model.__name__}"
    return structure


# warm the generated functions at import, never on the first request
for _model in (Invoice, Client, Sequence, Pagination):
    converter.get_structure_hook(_model)
