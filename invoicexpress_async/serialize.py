"""Models as plain data and back: the public form of what the typed export writes.

``to_dict(invoice)`` is the JSON-ready dict a JSON-lines export holds (money as
decimal text, dates ISO 8601, every field, and the members the model does not know
written back as the API sent them); ``mode="python"`` keeps ``Decimal`` and ``date``.
``from_dict(ix.Invoice, data)`` reads either form (and the API's own) into a model,
with the tolerant reader of answers.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

import attrs
import orjson

from .models._convert import wire_converter
from .models._export import export_converter, python_converter

M = TypeVar("M")


def to_dict(model: Any, *, mode: Literal["json", "python"] = "json") -> dict[str, Any]:
    """``model`` as a dict: ``"json"`` gives str/int/bool/None/lists/dicts only (money as
    ``"1.07"``, dates ``"2026-11-02"``); ``"python"`` keeps ``Decimal`` and ``date``."""
    if not attrs.has(type(model)):
        raise TypeError(f"model must be an SDK model, got {type(model).__name__}")
    if mode not in ("json", "python"):
        raise ValueError(f"mode must be 'json' or 'python', got {mode!r:.20}")
    converter = export_converter if mode == "json" else python_converter
    return converter.unstructure(model)  # type: ignore[no-any-return]


def to_json(model: Any) -> str:
    """``model`` as JSON text (the ``"json"`` form of :func:`to_dict`)."""
    return orjson.dumps(to_dict(model)).decode()


def from_dict(model: type[M], data: Any) -> M:
    """A ``model`` (``ix.Invoice``, ``ix.Client``...) from a dict of :func:`to_dict`'s
    forms, or from an object of the API's answers; a ValueError naming the path of what
    cannot be read."""
    target = model  # the check below narrows ``model`` to attrs classes
    if not attrs.has(model):
        raise TypeError(f"model must be an SDK model class, got {model!r:.40}")
    return wire_converter.structure(data, target)


__all__ = ["from_dict", "to_dict", "to_json"]
