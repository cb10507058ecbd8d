"""dlt column hints made from the models, so that a warehouse table has every modelled
column with its type from the first load, even those no row filled yet (dlt would
otherwise leave a column that only ever held nulls out of the table)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs

from ..models._hints import field_types

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
    for name, kind in field_types(model):
        if attrs.has(kind):
            _walk(kind, f"{prefix}{name}__", hints)
        elif kind in _TYPES:
            hints[prefix + name] = {"data_type": _TYPES[kind], "nullable": True}


__all__ = ["column_hints"]
