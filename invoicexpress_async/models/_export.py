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


def _keeps_extra(cls: Any) -> bool:
    return attrs.has(cls) and any(field.name == "extra" for field in attrs.fields(cls))


def _converter(*, json: bool) -> cattrs.Converter:
    """Models as plain data: with ``json``, money as decimal text and dates ISO 8601 (what
    files hold); otherwise ``Decimal`` and ``date`` as they are. Either way a model's
    ``extra`` members are written back beside its typed fields, as the API sent them, so
    the data never holds less than the answer did."""
    converter = cattrs.Converter()
    if json:
        converter.register_unstructure_hook(Decimal, str)
        converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
        converter.register_unstructure_hook(datetime.datetime, datetime.datetime.isoformat)
    else:
        for kind in (Decimal, datetime.date, datetime.datetime):
            converter.register_unstructure_hook(kind, lambda value: value)

    def with_extra(cls: Any) -> Callable[[Any], dict[str, Any]]:
        typed = make_dict_unstructure_fn(cls, converter, extra=override(omit=True))

        def unstructure(model: Any) -> dict[str, Any]:
            data = typed(model)
            if model.extra:
                data.update(model.extra)
            return data

        return unstructure

    converter.register_unstructure_hook_factory(_keeps_extra, with_extra)
    return converter


export_converter = _converter(json=True)
python_converter = _converter(json=False)


def as_data(model: Any) -> Any:
    """``model`` (an attrs instance) as dicts, lists, str, int and bool."""
    return export_converter.unstructure(model)
