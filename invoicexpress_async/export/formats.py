"""How exported documents are written: JSON lines or CSV (with an optional items CSV).

Typed rows come from the export converter (money as decimal strings, dates ISO);
raw rows are the API's own dicts, written as they came. CSV columns are fixed
and documented here, so spreadsheets and loaders can rely on them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

import orjson

from ..models._export import as_data

if TYPE_CHECKING:
    from .kinds import Kind

INVOICE_COLUMNS = (
    "id", "type", "status", "archived", "sequence_number", "inverted_sequence_number",
    "atcud", "date", "due_date", "reference", "client_id", "client_name", "client_country",
    "currency", "sum", "discount", "before_taxes", "taxes", "total", "retention",
    "sequence_id", "tax_exemption", "permalink",
)
ITEM_COLUMNS = (
    "invoice_id", "line", "name", "description", "unit", "quantity", "unit_price", "discount",
    "subtotal", "discount_amount", "tax_name", "tax_value", "tax_amount", "total",
)
GUIDE_COLUMNS = (*INVOICE_COLUMNS, "loaded_at", "license_plate", "address_from", "address_to",
                 "at_doc_code_id")
CATALOG_ITEM_COLUMNS = ("id", "name", "description", "unit", "unit_price", "tax_name",
                        "tax_value")
TAX_COLUMNS = ("id", "name", "value", "region", "code", "default")
SEQUENCE_COLUMNS = ("id", "serie", "default_sequence", "current_invoice_number",
                    "current_invoice_receipt_number", "current_simplified_invoice_number",
                    "current_credit_note_number", "current_debit_note_number",
                    "current_receipt_number", "current_invoice_validation_code")
CLIENT_COLUMNS = (
    "id", "code", "name", "email", "fiscal_id", "language", "address", "city", "postal_code",
    "country", "phone", "fax", "website", "observations", "send_options", "payment_days",
    "tax_exemption_code",
)


def as_dict(item: Any) -> dict[str, Any]:
    """A model (or a raw dict) as JSON-ready data: Decimal -> "1.07", date -> ISO."""
    if isinstance(item, dict):
        return item
    return as_data(item)  # type: ignore[no-any-return]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def invoice_row(doc: dict[str, Any]) -> list[str]:
    client = doc.get("client") or {}
    merged = {**doc, "client_id": client.get("id"), "client_name": client.get("name"),
              "client_country": client.get("country")}
    return [_text(merged.get(column)) for column in INVOICE_COLUMNS]


def item_rows(doc: dict[str, Any]) -> list[list[str]]:
    rows = []
    for line, item in enumerate(doc.get("items") or (), start=1):
        tax = item.get("tax") or {}
        merged = {**item, "invoice_id": doc.get("id"), "line": line,
                  "tax_name": tax.get("name"), "tax_value": tax.get("value")}
        rows.append([_text(merged.get(column)) for column in ITEM_COLUMNS])
    return rows


def _address(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    return ", ".join(str(value[k]) for k in ("detail", "postal_code", "city", "country")
                     if value.get(k))


def guide_row(doc: dict[str, Any]) -> list[str]:
    extra = {"address_from": _address(doc.get("address_from")),
             "address_to": _address(doc.get("address_to"))}
    return invoice_row(doc) + [_text(extra.get(c, doc.get(c))) for c in GUIDE_COLUMNS[
        len(INVOICE_COLUMNS):]]


def catalog_item_row(doc: dict[str, Any]) -> list[str]:
    tax = doc.get("tax") or {}
    merged = {**doc, "tax_name": tax.get("name"), "tax_value": tax.get("value")}
    return [_text(merged.get(column)) for column in CATALOG_ITEM_COLUMNS]


def plain_row(columns: tuple[str, ...]) -> Callable[[dict[str, Any]], list[str]]:
    def row(doc: dict[str, Any]) -> list[str]:
        return [_text(doc.get(column)) for column in columns]
    return row


client_row = plain_row(CLIENT_COLUMNS)

class JsonLinesWriter:
    """One JSON object per line; ``raw`` documents are the API's dicts, written as they are."""

    def __init__(self, out: IO[bytes], *, raw: bool = False) -> None:
        self._out = out
        self._raw = raw

    def header(self) -> None:
        pass

    def write(self, documents: list[Any]) -> None:
        dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE
        if not self._raw:
            documents = [as_dict(d) for d in documents]
        self._out.write(b"".join([dumps(d, option=newline) for d in documents]))


class _CsvText:
    """csv.writer wants text; the output files are binary (to know their byte size)."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(text.encode("utf-8"))


class CsvWriter:
    """One row per document; line items to a second CSV when ``items_out`` is given."""

    def __init__(self, out: IO[bytes], items_out: IO[bytes] | None, *,
                 columns: tuple[str, ...], row: Callable[[dict[str, Any]], list[str]]) -> None:
        self._rows = csv.writer(_CsvText(out), lineterminator="\n")
        self._items = csv.writer(_CsvText(items_out), lineterminator="\n") \
            if items_out is not None else None
        self._columns = columns
        self._row = row

    def header(self) -> None:
        self._rows.writerow(self._columns)
        if self._items is not None:
            self._items.writerow(ITEM_COLUMNS)

    def write(self, documents: list[Any]) -> None:
        for document in documents:
            data = as_dict(document)
            self._rows.writerow(self._row(data))
            if self._items is not None:
                self._items.writerows(item_rows(data))


Writer = JsonLinesWriter | CsvWriter


def make_writer(kind: Kind, fmt: str, out: IO[bytes], items_out: IO[bytes] | None, *,
                raw: bool = False) -> Writer:
    if fmt in ("jsonl", "parquet"):  # Parquet is made from the typed JSON lines' spool
        return JsonLinesWriter(out, raw=raw)
    return CsvWriter(out, items_out if kind.items else None, columns=kind.columns, row=kind.row)
