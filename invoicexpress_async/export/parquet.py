"""Parquet output: the typed export's rows with real decimal, date and timestamp columns.

An export to Parquet is written like a JSON lines one (the same part file, checkpoint,
resume and integrity rules: the typed rows are spooled to the ``.part`` file), and
only a finished spool becomes the Parquet file: converted beside the target, synced,
then renamed over it. A reader never sees half a Parquet file, and an interrupted
export resumes from its spool.

The schema comes from the model: money is ``decimal128(38, 9)``, days ``date32``,
times ``timestamp[s]``, nested objects are structs, and line items stay *nested*
(an ``items`` list of structs in the document's row). Members the SDK does not model
are kept, as JSON text in each object's ``extra`` column. Needs pyarrow
(``pip install 'invoicexpress-async[parquet]'``).
"""

from __future__ import annotations

import collections.abc
import contextlib
import datetime
import os
import stat
import tempfile
import typing
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson

from .._checks import installed
from ..models._hints import bare, field_types, has_extra
from ..serialize import from_dict, to_dict

_BATCH = 10_000


def parquet_installed() -> bool:
    return installed("pyarrow.parquet")


def arrow_schema(model: type) -> Any:
    """The Arrow schema of ``model``'s rows (a pyarrow ``Schema``)."""
    import pyarrow as pa

    return pa.schema(_fields(model))


def _fields(model: type) -> list[Any]:
    import pyarrow as pa

    out = [pa.field(name, _arrow(kind)) for name, kind in field_types(model)]
    if has_extra(model):
        out.append(pa.field("extra", pa.string()))  # unmodelled members, as JSON text
    return out


def _arrow(kind: Any) -> Any:
    import pyarrow as pa

    scalars = {str: pa.string(), int: pa.int64(), bool: pa.bool_(),
               Decimal: pa.decimal128(38, 9), datetime.date: pa.date32(),
               datetime.datetime: pa.timestamp("s"), float: pa.float64()}
    if kind in scalars:
        return scalars[kind]
    if attrs.has(kind):
        return pa.struct(_fields(kind))
    if typing.get_origin(kind) in (list, tuple, collections.abc.Sequence):
        return pa.list_(_arrow(bare(typing.get_args(kind)[0])))
    return pa.string()  # anything else, as JSON text


def _fit(value: Any, arrow_type: Any) -> Any:
    """``value`` (a python-mode dict of the model) shaped to ``arrow_type``: members the
    schema lacks gathered in ``extra``, other shapes as JSON text."""
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_struct(arrow_type):
        names = {arrow_type.field(i).name: arrow_type.field(i).type
                 for i in range(arrow_type.num_fields)}
        fitted = {name: _fit(value.get(name), kind) for name, kind in names.items()
                  if name != "extra"}
        if "extra" in names:
            unknown = {k: v for k, v in value.items() if k not in names}
            fitted["extra"] = orjson.dumps(unknown, default=str).decode() if unknown else None
        return fitted
    if pa.types.is_list(arrow_type):
        return [_fit(item, arrow_type.value_type) for item in value]
    if pa.types.is_string(arrow_type) and not isinstance(value, str):
        return orjson.dumps(value, default=str).decode()
    return value


def spool_to_parquet(spool: Path, target: Path, model: type) -> None:
    """Write the typed JSON lines of ``spool`` as the Parquet file ``target``, whole or not
    at all."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(model)
    row_type = pa.struct(list(schema))
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.",
                                     suffix=".parquet-part", delete=False) as handle:
        try:
            with pq.ParquetWriter(handle, schema, compression="zstd") as writer:
                batch: list[Mapping[str, Any]] = []
                with spool.open("rb") as lines:
                    for line in lines:
                        row = to_dict(from_dict(model, orjson.loads(line)), mode="python")
                        batch.append(_fit(row, row_type))
                        if len(batch) >= _BATCH:
                            writer.write_table(pa.Table.from_pylist(batch, schema))
                            batch.clear()
                if batch:
                    writer.write_table(pa.Table.from_pylist(batch, schema))
            handle.flush()
            os.fsync(handle.fileno())
            os.chmod(handle.name, stat.S_IMODE(spool.stat().st_mode))  # as the other formats
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(handle.name)
            raise
    os.replace(handle.name, target)


__all__ = ["arrow_schema", "parquet_installed", "spool_to_parquet"]
