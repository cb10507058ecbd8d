"""A model's fields with their types resolved, ``X | None`` read as ``X``: what the
warehouse column hints and the Parquet schema are made from."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

import attrs


def field_types(model: type) -> Iterator[tuple[str, Any]]:
    """``(name, type)`` of each field of ``model`` but ``extra`` (unmodelled members)."""
    resolved = typing.get_type_hints(model)
    for field in attrs.fields(model):
        if field.name != "extra":
            yield field.name, bare(resolved[field.name])


def bare(annotation: Any) -> Any:
    """``X | None`` -> ``X``; anything else as it is."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        kept = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else annotation
    return annotation


def is_optional(tp: Any) -> bool:
    """Whether ``tp`` is ``X | None`` (one X)."""
    args = typing.get_args(tp)
    return (typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 2
            and type(None) in args)


def has_extra(model: type) -> bool:
    return any(field.name == "extra" for field in attrs.fields(model))


__all__ = ["bare", "field_types", "has_extra", "is_optional"]
