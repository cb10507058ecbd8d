"""The export converter: models as JSON-ready data for files people and loaders read.

Money becomes decimal text (``"1.07"``, never a float) and dates ISO 8601,
whatever the API's wire format is; the wire converter (``_convert.py``) is the
one that speaks dd/mm/yyyy.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

export_converter = cattrs.Converter()
export_converter.register_unstructure_hook(Decimal, str)
export_converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
export_converter.register_unstructure_hook(datetime.datetime, datetime.datetime.isoformat)


def _keeps_extra(cls: Any) -> bool:
    return attrs.has(cls) and any(field.name == "extra" for field in attrs.fields(cls))


def _with_extra(cls: Any) -> Callable[[Any], dict[str, Any]]:
    """A model with what its answer held beyond it: those members written back beside the
    typed ones, as the API sent them, so an export never holds less than the answer."""
    typed = make_dict_unstructure_fn(cls, export_converter, extra=override(omit=True))

    def unstructure(model: Any) -> dict[str, Any]:
        data = typed(model)
        if model.extra:
            data.update(model.extra)
        return data

    return unstructure


export_converter.register_unstructure_hook_factory(_keeps_extra, _with_extra)


def as_data(model: Any) -> Any:
    """``model`` (an attrs instance) as dicts, lists, str, int and bool."""
    return export_converter.unstructure(model)
