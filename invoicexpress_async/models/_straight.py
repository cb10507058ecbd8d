"""The structure functions the hot path runs: straight-line code generated per model.

Every document of every list page goes through one of these, so each is written
once, as Python source, for its model: each field read with ``data.get`` and its
usual shape tested inline (a str that is a str, a float amount made a Decimal, a
dd/mm/yyyy day), its hook called only for the rest, and the model filled slot by
slot when its ``__init__`` would only store the values. Anything unexpected goes
to the converter's careful path (``_convert``), which keeps what it can.
"""

from __future__ import annotations

import datetime
import math
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import orjson

from ._hints import bare, is_optional
from ._lazy import LazyField, Pending

# what a field hook raises on a value of the wrong shape; anything else is a bug
WRONG_SHAPE = (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError)


Build = Callable[[type[Any]], Callable[[Any], Any]]  # a model's one-argument structure


def straight_line(model: type[Any], plan: list[tuple[str, str, Any, Any, bool]],
                  known: frozenset[str], keeps: bool, careful: Callable[[Any], Any],
                  build_of: Build) -> Callable[[Any, Any], Any]:
    """The structure function the hot path runs: straight-line code generated once per
    model, each field's usual case tested inline (a ``str`` that is a str, a ``float``
    amount, a ``dd/mm/yyyy`` day) and its hook called only for the rest; on any failure
    it hands the object to ``careful``, which keeps what it can and names what it
    cannot; ``build_of`` gives an embedded model's structure (for those built on first
    read). A model whose ``__init__`` only stores its arguments (no validator,
    converter or hook) is filled slot by slot: a 28-field keyword call was half the
    time of building an invoice's own fields."""
    defaults = {f.name: f.default for f in attrs.fields(model)}
    setters = _slot_setters(model)
    scope: dict[str, Any] = {"model": model, "careful": careful, "known": known,
                             "WRONG_SHAPE": WRONG_SHAPE, "dict_": dict, "list_": list,
                             "new": object.__new__,
                             "str_": str, "int_": int, "float_": float, "D": Decimal,
                             "day": datetime.date, "dumps_": orjson.dumps, "len_": len,
                             "floats": _FLOATS, "ints": _INTS, "days": _DAYS, "KEPT": _KEPT,
                             "copysign_": math.copysign, "ZERO": Decimal("0.0")}
    name = f"structure_{model.__name__}"  # what profiles and tracebacks show
    lines = [f"def {name}(data, _=None):",
             "    if type(data) is not dict_:",
             f"        raise TypeError('expected an object for {model.__name__}, got '"
             " + type(data).__name__)",
             "    get = data.get",
             "    try:"]
    passed = []
    rest = []
    for index, (key, attribute, hook, tp, required) in enumerate(plan):
        scope[f"h{index}"], scope[f"t{index}"] = hook, tp
        value = f"v{index}"
        default = defaults[attribute]
        later = None if setters is None else _later(model, attribute, tp, build_of)
        if later is not None:
            scope["pending"] = Pending
            call = f"h{index}({value}, t{index})"
            lines.append(f"        {value} = get({key!r})")
            lines += [f"        {line}" for line in (_pending(value, call) if later is dict
                                                     else _pending_list(value, call))]
        elif not required and default is not None:  # absent is not None here
            if setters is None:
                lines += [f"        if {key!r} in data:",
                          f"            rest[{attribute!r}] = h{index}(data[{key!r}], t{index})"]
                rest.append(attribute)
                continue
            made = type(default) is _FACTORY
            scope[f"d{index}"] = default.factory if made else default
            absent = f"d{index}()" if made else f"d{index}"
            lines += [f"        {value} = h{index}(data[{key!r}], t{index})"
                      f" if {key!r} in data else {absent}"]
        else:
            lines.append(f"        {value} = get({key!r})")
            lines += [f"        {line}" for line in _inline(value, index, tp, hook, required)]
        passed.append((attribute, value))
    lines.append("    except WRONG_SHAPE:")
    lines.append("        return careful(data)")
    if keeps:
        lines.append("    if not known.issuperset(data):")
        lines.append("        return careful(data)")
    if setters is None:
        if rest:
            lines.insert(lines.index("    try:"), "    rest = {}")
        arguments = [f"{attribute}={value}" for attribute, value in passed]
        lines.append(f"    return model({', '.join([*arguments, *(['**rest'] if rest else [])])})")
    else:
        lines.append("    built = new(model)")
        filled = dict(passed)
        for number, field in enumerate(attrs.fields(model)):
            scope[f"s{number}"] = setters[field.name]
            if field.name in filled:
                lines.append(f"    s{number}(built, {filled[field.name]})")
            else:  # only ``extra`` is not in the plan, and it is never a factory
                scope[f"e{number}"] = field.default
                lines.append(f"    s{number}(built, e{number})")
        lines.append("    return built")
    exec(compile("\n".join(lines), f"<structure {model.__name__}>", "exec"), scope)
    structure: Callable[[Any, Any], Any] = scope[name]
    ONE_ARGUMENT.add(structure)
    return structure


# the generated structure functions: their second argument is optional
ONE_ARGUMENT: set[Callable[..., Any]] = set()


def _slot_setters(model: type[Any]) -> dict[str, Callable[[Any, Any], None]] | None:
    """Each field's slot setter, when building ``model`` is nothing but storing its
    fields (attrs' generated ``__init__``, no validator, converter, factory that reads
    ``self`` or init hook); None otherwise: those models are built by their ``__init__``."""
    if any(hasattr(model, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return None
    setters: dict[str, Callable[[Any, Any], None]] = {}
    for field in attrs.fields(model):
        if field.validator is not None or field.converter is not None or not field.init \
                or (type(field.default) is _FACTORY and field.default.takes_self):
            return None
        slot = _owner(model, field.name).__dict__[field.name]
        if type(slot) is LazyField:
            slot = slot.slot
        if type(slot) is not types.MemberDescriptorType:
            return None
        setters[field.name] = slot.__set__
    return setters


_FACTORY: type[Any] = type(attrs.Factory(list))  # attrs.Factory is typed as a function


def _owner(model: type[Any], name: str) -> type[Any]:
    """The class of ``model``'s MRO that defines ``name`` (its slot, or its LazyField)."""
    return next(klass for klass in model.__mro__ if name in klass.__dict__)


def _later(model: type[Any], attribute: str, tp: Any, build_of: Build) -> type | None:
    """Whether ``model``'s ``attribute`` is built on first read: ``dict`` for an object
    (``X | None``), ``list`` for a list of them (``list[X]``), None when it is built
    now. Only when X is a model whose every field is optional and that is filled slot
    by slot (no validator): building it keeps what does not fit in its ``extra`` and
    fails only on its id, which is checked when the document is read. The slot gets its
    LazyField here, once."""
    kind = dict if is_optional(tp) else list if typing.get_origin(tp) is list else None
    inner = bare(tp) if kind is dict else (typing.get_args(tp) or (None,))[0]
    if kind is None or not attrs.has(inner) \
            or any(field.default is attrs.NOTHING for field in attrs.fields(inner)) \
            or _slot_setters(inner) is None:  # a validator could refuse it when read
        return None
    owner = _owner(model, attribute)
    slot = owner.__dict__[attribute]
    if type(slot) is types.MemberDescriptorType:
        setattr(owner, attribute, LazyField(slot, build_of(inner if kind is dict else tp)))
        return kind
    return kind if type(slot) is LazyField else None


def _plain_id(entry: str) -> str:
    """A test that ``entry`` (a dict) has no id, or an int, or an int's digits."""
    ident = f"id_{entry}"
    return (f"(({ident} := {entry}.get('id')) is None or type({ident}) is int_"
            f" or (type({ident}) is str_ and {ident}.isdigit()))")


def _pending(value: str, call: str) -> list[str]:
    """An object kept as sent (a Pending) when only its id could fail it and the id is
    plain; None stays None; anything else through the hook now."""
    return [f"if type({value}) is dict_ and {_plain_id(value)}:",
            f"    {value} = pending({value})",
            f"elif {value} is not None:", f"    {value} = {call}"]


def _pending_list(value: str, call: str) -> list[str]:
    """A list of objects kept as sent when every entry is an object with a plain id;
    absent or ``null`` is an empty list; anything else through the hook now (which
    names the entry that fails)."""
    entry = f"entry_{value}"
    return [f"if {value} is None:",
            f"    {value} = []",
            f"elif type({value}) is list_:",
            f"    for {entry} in {value}:",
            f"        if not (type({entry}) is dict_ and {_plain_id(entry)}):",
            f"            {value} = {call}",
            "            break",
            "    else:",
            f"        {value} = pending({value})",
            "else:", f"    {value} = {call}"]


def _inline(value: str, index: int, tp: Any, hook: Any, required: bool) -> list[str]:
    """The lines that turn ``value`` (the raw member, None when absent) into the field's
    value: the usual shape tested inline, anything else through the hook ``h<index>``.
    A required field that is absent (None) goes through the hook, which refuses it."""
    inner = bare(tp)
    call = f"h{index}({value}, t{index})"
    usual = {str: f"type({value}) is str_", int: f"type({value}) is int_",
             bool: f"{value} is True or {value} is False"}.get(inner)
    if inner is int:  # ids the API sends as digits ("146190") read inline too
        call = f"int_({value}) if type({value}) is str_ and {value}.isdigit() else {call}"
    if inner is Decimal:
        # A JSON number means the shortest text that reads back as its float: repr's,
        # which orjson writes in a third of the time (the same digits: a property test
        # holds them equal; a float JSON cannot carry, inf or nan, comes out ``null``,
        # fails here and is refused by the careful path). +0.0 (a discount, an exempt
        # line's tax) is never kept but shared: -0.0 is an equal key, and keeps its sign.
        exact = f"D(dumps_({value}).decode())"
        return [f"if type({value}) is float_:",
                *_memo(value, "floats", f"{exact} if {value} or copysign_(1.0, {value}) < 0"
                       " else ZERO", keep=value),
                f"elif type({value}) is int_:", *_memo(value, "ints", f"D({value})"),
                f"elif type({value}) is str_:",  # amounts some answers send as text
                f"    {value} = D({value})",
                f"    if not {value}.is_finite():",
                "        raise ValueError('not a finite amount')",
                # the hook refuses what is left (None too, when the field is required)
                "else:" if required else f"elif {value} is not None:", f"    {value} = {call}"]
    if required:
        if usual is not None:
            return [f"if not ({usual}):", f"    {value} = {call}"]
        if inner is datetime.date:
            return _day(value, call)
        return [f"{value} = {call}"]
    if usual is not None:
        return [f"if {value} is not None and not ({usual}):", f"    {value} = {call}"]
    if inner is datetime.date:
        return [f"if {value} is not None:", *[f"    {line}" for line in _day(value, call)]]
    return [f"if {value} is not None:", f"    {value} = {call}"]


# Amounts and days repeat (0, 23, a quantity of 1, a price list's prices; every invoice of
# a day): each is made once, up to a bound (Decimals and dates are immutable, so they can
# be shared). Floats and ints apart: 1.0 and 1 are equal keys but Decimal("1.0") and
# Decimal("1") are not the same text; float zeros are never kept (-0.0 is a key equal to
# 0.0).
_FLOATS: dict[float, Decimal] = {}
_INTS: dict[int, Decimal] = {}
_DAYS: dict[str, datetime.date] = {}
_KEPT = 8192


def _memo(value: str, memo: str, make: str, keep: str | None = None) -> list[str]:
    """Lines (indented one level) that read ``value`` from ``memo``, or make it there
    (when ``keep`` holds)."""
    known = f"known_{value}"
    return [f"    {known} = {memo}.get({value})",
            f"    if {known} is None:",
            f"        {known} = {make}",
            f"        if {'' if keep is None else f'{keep} and '}len_({memo}) < KEPT:",
            f"            {memo}[{value}] = {known}",
            f"    {value} = {known}"]


def _day(value: str, call: str) -> list[str]:
    """A day read before is looked up; a new dd/mm/yyyy is read inline and kept; any
    other shape goes through the hook (an unhashable one fails the lookup first, and
    the careful path hands it to the hook too)."""
    known = f"known_{value}"
    return [f"{known} = days.get({value})",
            f"if {known} is not None:",
            f"    {value} = {known}",
            f"elif type({value}) is str_ and len({value}) == 10 and {value}[2] == '/'"
            f" and {value}[5] == '/':",
            f"    {known} = day(int_({value}[6:]), int_({value}[3:5]), int_({value}[:2]))",
            "    if len_(days) < KEPT:",
            f"        days[{value}] = {known}",
            f"    {value} = {known}",
            "else:", f"    {value} = {call}"]
