"""dlt column hints made from the models, so that a warehouse table has every modelled
column with its type from the first load, even those no row filled yet (dlt would
otherwise leave a column that only ever held nulls out of the table)."""

from __future__ import annotations

import datetime
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

_TYPES: dict[Any, str] = {str: "text", int: "bigint", bool: "bool", Decimal: "decimal",
                          datetime.date: "date", datetime.datetime: "timestamp"}


def column_hints(model: type) -> dict[str, dict[str, Any]]:
    """``{"column": {"data_type": ..., "nullable": True}}`` for ``model``'s scalar fields,
    nested objects flattened dlt's way (``client__name``); lists become child tables and
    ``extra`` members columns of their own, both typed by dlt from the data."""
    hints: dict[str, dict[str, Any]] = {}
    _walk(model, "", hints)
    return hints


def _walk(model: type, prefix: str, hints: dict[str, dict[str, Any]]) -> None:
    resolved = typing.get_type_hints(model)
    for field in attrs.fields(model):
        if field.name == "extra":
            continue
        kind = _bare(resolved[field.name])
        if attrs.has(kind):
            _walk(kind, f"{prefix}{field.name}__", hints)
        elif kind in _TYPES:
            hints[prefix + field.name] = {"data_type": _TYPES[kind], "nullable": True}


def _bare(annotation: Any) -> Any:
    """``X | None`` -> ``X``; anything else as it is."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        kept = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else annotation
    return annotation


__all__ = ["column_hints"]
