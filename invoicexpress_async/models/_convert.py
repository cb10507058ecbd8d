"""The wire converter: the API's JSON <-> models, built once for the hot path.

Every list page goes through here, so the structure functions are generated
once (at import) and looked up once per model; the scalar hooks are plain
functions with the common case first. The wire's quirks are absorbed here and
nowhere else: money as numbers *or* strings, ids as strings, dd/mm/yyyy dates,
0/1 booleans, ``null`` for any list, unknown fields ignored.

Requests go the other way through hooks generated from each request model's
attrs fields: None fields left out, dates as dd/mm/yyyy, datetimes as
``dd/mm/yyyy HH:MM:SS``, flags as ``"0"``/``"1"``, amounts as exact JSON
numbers, and what a field's ``metadata["wire"]`` says (a nested key, a tax by
name, a number sent as a string). Exports use another converter (``_export``).
"""

from __future__ import annotations

import base64
import datetime
import enum
import logging
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
import orjson

from ._hints import bare, is_optional
from ._straight import ONE_ARGUMENT, WRONG_SHAPE, straight_line
from ._time import lisbon
from .clients import Client, ClientCreate, PreferredContact
from .documents import GlobalDiscount, Invoice
from .pagination import Pagination
from .requests import REQUEST_MODELS
from .sequences import Sequence

T = TypeVar("T")
logger = logging.getLogger("invoicexpress_async")

wire_converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)


def _decimal(value: Any, _: Any = None) -> Decimal:
    kind = type(value)
    if kind is float:
        # repr is the shortest string that round-trips: 1.07 -> Decimal("1.07")
        result = Decimal(repr(value))
    elif kind is int:
        result = Decimal(value)
    elif kind is str:
        try:
            result = Decimal(value.strip())
        except ArithmeticError:  # decimal's InvalidOperation says only its class
            raise ValueError(f"expected a number, got {value[:40]!r}") from None
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
        if type(value) is datetime.date:  # a model's own data, read back (from_dict)
            return value
        raise TypeError(f"expected a dd/mm/yyyy date string, got {type(value).__name__}")
    if len(value) == 10 and value[2] == "/" and value[5] == "/":
        return datetime.date(int(value[6:]), int(value[3:5]), int(value[:2]))
    text = value.strip()
    if "/" in text:
        day, month, year = text.split("/")
        return datetime.date(int(year), int(month), int(day))
    return datetime.date.fromisoformat(text[:10])


def parse_datetime(value: Any, _: Any = None) -> datetime.datetime:
    """``dd/mm/yyyy HH:MM:SS`` (guides' ``loaded_at``), or ISO 8601."""
    if type(value) is not str:
        if type(value) is datetime.datetime:
            return value
        raise TypeError(f"expected a date-time string, got {type(value).__name__}")
    text = value.strip()
    if "/" in text[:10]:
        day = parse_date(text[:10])
        hour, minute, second = (int(part) for part in (text[10:].strip() or "0:0:0").split(":"))
        return datetime.datetime(day.year, day.month, day.day, hour, minute, second)
    return datetime.datetime.fromisoformat(text)


def _int(value: Any, _: Any = None) -> int:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is str:
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"expected an integer, got {value[:40]!r}") from None
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


class Malformed(ValueError):
    """A value that cannot be what its field holds; ``path`` says where, in JSON terms
    (``client.id``, ``items[2].tax``), relative to the object being built."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def inside(self, outer: str) -> Malformed:
        """The same failure, seen from the object that holds this one at ``outer``."""
        joined = f"{outer}{self.path}" if self.path.startswith("[") else f"{outer}.{self.path}"
        return Malformed(joined, self.reason)


_warned: set[str] = set()
_EMPTY: typing.Mapping[str, Any] = types.MappingProxyType({})


def _warn_kept(where: str, reason: str) -> None:
    """One warning per field path and process: a nightly export of 100,000 invoices with
    the same drift says so once."""
    if where not in _warned:
        _warned.add(where)
        logger.warning("%s has an unexpected shape (%s); the value is kept as sent in the"
                       " model's .extra", where, reason[:200])


def _structure_fn(model: type[Any]) -> Callable[[Any, Any], Any]:
    """The structure function of ``model``: every field from its wire key through its
    hook; a field of an unexpected shape keeps its raw value in the model's ``extra``
    (with one warning) instead of failing the answer, unless the field is required; the
    members no field knows are kept in ``extra`` too, when the model has one."""
    attrs.resolve_types(model)
    plan = []
    for field in attrs.fields(model):
        if field.name == "extra":
            continue
        options = field.metadata.get("wire", {})
        key = options.get("key", (field.name,))[0]
        read = options.get("read")
        hook = _READERS[read](field.type) if read is not None \
            else wire_converter.get_structure_hook(field.type)
        plan.append((key, field.name, hook, field.type, field.default is attrs.NOTHING))
    known = frozenset(key for key, *_ in plan)
    keeps = any(field.name == "extra" for field in attrs.fields(model))
    name = model.__name__

    def careful(data: Any) -> Any:
        """Field by field: what failed is kept (or named, when it cannot be)."""
        values: dict[str, Any] = {}
        extra: dict[str, Any] | None = None
        for key, attribute, hook, tp, required in plan:
            if key in data:
                raw = data[key]
                try:
                    values[attribute] = hook(raw, tp)
                except WRONG_SHAPE as exc:
                    failure = exc.inside(key) if isinstance(exc, Malformed) \
                        else Malformed(key, str(exc))
                    if required or attribute == "id" or not keeps:  # its identity: not
                        raise failure from None  # an object the caller could use
                    extra = extra or {}
                    extra[key] = raw
                    _warn_kept(f"{name}.{failure.path}", failure.reason)
            elif required:
                raise Malformed(key, "missing")
        if keeps and not known.issuperset(data):
            extra = extra or {}
            extra.update((k, v) for k, v in data.items() if k not in known)
        if extra:
            values["extra"] = types.MappingProxyType(extra)
        return model(**values)

    return straight_line(model, plan, known, keeps, careful, structure_hook)


def _currency(_: Any) -> Callable[[Any, Any], Any]:
    """``currency``: the string ``"Euro"`` most accounts send, or the object ``{name, code,
    symbol}`` some live accounts send, read as its name."""
    def read(value: Any, _: Any = None) -> str | None:
        if value is None or type(value) is str:
            return value
        if type(value) is dict:
            for key in ("name", "code", "symbol"):
                if type(value.get(key)) is str:
                    return value[key]  # type: ignore[no-any-return]
        raise TypeError(f"expected a currency name or object, got {type(value).__name__}")
    return read


def _object_or_flag(tp: Any) -> Callable[[Any, Any], Any]:
    """An object in answers where requests send a ``"0"``/``"1"`` flag (``mb_reference``):
    the flag's "none" (``"0"``, ``0``, ``false``, empty) reads as None."""
    model = bare(tp)
    structure = _structure_fn(model)

    def read(value: Any, _: Any = None) -> Any:
        if type(value) is dict:
            return structure(value, model)
        if value in (None, "", "0", 0, False):
            return None
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return read


# fields whose answers need more than their type's hook, named by metadata["wire"]["read"]
# (as requests name their encoders in ``_ENCODERS``); each builds the field's hook once
_READERS: dict[str, Callable[[Any], Callable[[Any, Any], Any]]] = {
    "currency": _currency,
    "object_or_flag": _object_or_flag,
}


def _optional_hook_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """``X | None`` with X's hook looked up once, not on every value (cattrs' generic
    optional handler dispatches per call: it was 70% of building an invoice)."""
    inner_type = bare(tp)
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
        generated = _structure_fn(inner_type)

        def structure_object(value: Any, _: Any = None) -> Any:
            if type(value) is dict:
                return generated(value, inner_type)
            if value is None:
                return None
            raise TypeError(f"expected an object for {inner_type.__name__},"
                            f" got {type(value).__name__}")
        return structure_object
    inner = wire_converter.get_structure_hook(inner_type)

    def structure(value: Any, _: Any = None) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure


wire_converter.register_structure_hook_factory(attrs.has, _structure_fn)
wire_converter.register_structure_hook_factory(is_optional, _optional_hook_factory)
wire_converter.register_structure_hook(Decimal, _decimal)
wire_converter.register_structure_hook(datetime.date, parse_date)
wire_converter.register_structure_hook(datetime.datetime, parse_datetime)
wire_converter.register_structure_hook(int, _int)
wire_converter.register_structure_hook(bool, _bool)
wire_converter.register_structure_hook(str, _str)

def _builds(hook: Callable[[Any, Any], Any], entry: Any, model: type[Any]) -> bool:
    try:
        hook(entry, model)
    except WRONG_SHAPE:
        return False
    return True


def _is_model_list(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is list and len(args) == 1 and attrs.has(args[0])


def _model_list_hook_factory(tp: Any) -> Callable[[Any, Any], Any]:
    """``list[Model]``: the API sends ``null`` for an empty list as often as ``[]``."""
    (model,) = typing.get_args(tp)
    hook = wire_converter.get_structure_hook(model)

    def structure(value: Any, _: Any = None) -> list[Any]:
        if value is None:
            return []
        if type(value) is not list:
            raise TypeError(f"expected a list of {model.__name__}, got {type(value).__name__}")
        try:
            return [hook(entry, model) for entry in value]
        except WRONG_SHAPE as exc:  # name the entry: items[2].tax
            index = next(i for i, entry in enumerate(value) if not _builds(hook, entry, model))
            raise (exc.inside(f"[{index}]") if isinstance(exc, Malformed)
                   else Malformed(f"[{index}]", str(exc))) from None

    return structure


wire_converter.register_structure_hook_factory(_is_model_list, _model_list_hook_factory)


# --- requests ------------------------------------------------------------------------------

def dmy(value: datetime.date) -> str:
    """The API's dd/mm/yyyy."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def dmy_hms(value: datetime.datetime) -> str:
    """The API's ``dd/mm/yyyy HH:MM:SS`` (guides' ``loaded_at``), in Lisbon's time."""
    value = lisbon(value)
    return f"{dmy(value)} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def wire_number(value: Decimal | int) -> orjson.Fragment:
    """An exact JSON number (``12.30``, never the float 12.3 or a string)."""
    return orjson.Fragment(format(Decimal(value), "f").encode())


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _decimal_text(value: Decimal | int) -> str:
    """``23.0``, ``13.5``: a number as text with at least one decimal (tax values)."""
    text = format(Decimal(value), "f")
    return text if "." in text else text + ".0"


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "tax_name": lambda value: {"name": value},
    "string": str,
    "decimal_text": _decimal_text,
    "int_flag": lambda value: 1 if value else 0,
    "base64": lambda value: base64.b64encode(value.encode("utf-8")).decode("ascii"),
}


def _field_encoder(tp: Any, options: dict[str, Any]) -> Callable[[Any], Any]:
    encode = options.get("encode")
    if encode in _ENCODERS:
        return _ENCODERS[encode]
    tp = bare(tp)
    if typing.get_origin(tp) is list:
        (inner_type,) = typing.get_args(tp)
        inner = _field_encoder(inner_type, {})
        return lambda values: [inner(value) for value in values]
    if tp is bool:
        return _flag
    if tp is Decimal:
        return wire_number
    if tp is datetime.datetime:
        return dmy_hms
    if tp is datetime.date:
        return datetime.date.isoformat if encode == "iso" else dmy
    if attrs.has(tp):
        return wire_converter.get_unstructure_hook(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda value: value.value
    return lambda value: value


def _request_hook_factory(model: type[Any]) -> Callable[[Any], dict[str, Any]]:
    """The wire form of a request model, generated from its fields once."""
    attrs.resolve_types(model)
    plan = []
    for field in attrs.fields(model):
        if field.name == "extra":  # what an answer held beyond the model: never sent back
            continue
        options = field.metadata.get("wire", {})
        key = options.get("key", (field.name,))
        plan.append((field.name, tuple(key), _field_encoder(field.type, options)))

    def unstructure(value: Any) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for name, key, encode in plan:
            item = getattr(value, name)
            if item is None:
                continue
            target = body
            for part in key[:-1]:
                target = target.setdefault(part, {})
            target[key[-1]] = encode(item)
        return body

    return unstructure


_REQUEST_CLASSES = frozenset({*REQUEST_MODELS, ClientCreate, PreferredContact, GlobalDiscount})
wire_converter.register_unstructure_hook_factory(lambda cls: cls in _REQUEST_CLASSES,
                                            _request_hook_factory)


def wire_body(model: Any) -> dict[str, Any]:
    """A request model as the JSON object the API expects (without its root key)."""
    return wire_converter.unstructure(model)  # type: ignore[no-any-return]


def structure_hook(model: type[T]) -> Callable[[Any], T]:
    """A one-argument structure function for ``model``, fetched once per call site."""
    hook = wire_converter.get_structure_hook(model)
    if hook in ONE_ARGUMENT:  # no frame between a list page and the generated code
        return hook  # type: ignore[return-value]

    def structure(data: Any) -> T:
        return hook(data, model)  # type: ignore[no-any-return]

    structure.__name__ = f"structure_{model.__name__}"
    return structure


# warm the generated functions at import, never on the first request
for _model in (Invoice, Client, Sequence, Pagination):
    wire_converter.get_structure_hook(_model)
