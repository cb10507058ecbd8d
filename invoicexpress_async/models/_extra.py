"""What an answer held beyond its model: kept, never dropped.

The API sends fields no documentation lists, and now and then a field in a shape
nobody expected (``currency`` as an object). A model keeps such JSON members, as
sent, in its ``extra`` mapping: the typed export writes them, ``repr`` leaves them
out, and equality ignores them.
"""

from __future__ import annotations

import copyreg
import types
from collections.abc import Mapping
from typing import Any

import attrs

EMPTY: Mapping[str, Any] = types.MappingProxyType({})


def read_only(members: dict[str, Any]) -> Mapping[str, Any]:
    """``members`` behind a read-only view (what unpickling a view calls)."""
    return types.MappingProxyType(members)


def _pickled(proxy: types.MappingProxyType[str, Any]) -> tuple[Any, ...]:
    return read_only, (dict(proxy),)


# a read-only view pickles as a view of a copy, so models can cross processes
# (multiprocessing, a job queue) with what the API sent beyond their fields
copyreg.pickle(types.MappingProxyType, _pickled)


def extra_field() -> Any:
    """The ``extra`` attribute of a response model."""
    return attrs.field(default=EMPTY, repr=False, eq=False, kw_only=True)
