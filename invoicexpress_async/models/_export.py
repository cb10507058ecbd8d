"""The export converter: models as JSON-ready data for files people and loaders read.

Money becomes decimal text (``"1.07"``, never a float) and dates ISO 8601,
whatever the API's wire format is; the wire converter (``_convert.py``) is the
one that speaks dd/mm/yyyy.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import cattrs

export_converter = cattrs.Converter()
export_converter.register_unstructure_hook(Decimal, str)
export_converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
export_converter.register_unstructure_hook(datetime.datetime, datetime.datetime.isoformat)


def as_data(model: Any) -> Any:
    """``model`` (an attrs instance) as dicts, lists, str, int and bool."""
    return export_converter.unstructure(model)
