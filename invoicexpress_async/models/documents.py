"""Invoice-family documents (invoices, receipts, credit and debit notes, ...)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs


@attrs.frozen(kw_only=True, slots=True)
class Tax:
    id: int | None = None
    name: str | None = None
    value: Decimal | None = None


@attrs.frozen(kw_only=True, slots=True)
class Item:
    """A document line. ``unit_price``/``quantity`` arrive as strings, the rest as numbers."""

    name: str | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    unit: str | None = None
    quantity: Decimal | None = None
    tax: Tax | None = None
    discount: Decimal | None = None
    subtotal: Decimal | None = None
    tax_amount: Decimal | None = None
    discount_amount: Decimal | None = None
    total: Decimal | None = None


@attrs.frozen(kw_only=True, slots=True)
class ClientRef:
    """The client as embedded in a document (an int id here, unlike /clients)."""

    id: int | None = None
    name: str | None = None
    country: str | None = None
    code: str | None = None
    email: str | None = None


@attrs.frozen(kw_only=True, slots=True)
class Invoice:
    """Any invoice-family document; ``type`` says which (``Invoice``, ``CreditNote``...)."""

    id: int | None = None
    status: str | None = None
    archived: bool | None = None
    type: str | None = None
    sequence_number: str | None = None
    inverted_sequence_number: str | None = None
    atcud: str | None = None
    date: datetime.date | None = None
    due_date: datetime.date | None = None
    reference: str | None = None
    observations: str | None = None
    retention: str | None = None
    permalink: str | None = None
    saft_hash: str | None = None
    sum: Decimal | None = None
    discount: Decimal | None = None
    before_taxes: Decimal | None = None
    taxes: Decimal | None = None
    total: Decimal | None = None
    currency: str | None = None
    client: ClientRef | None = None
    items: list[Item] = attrs.field(factory=list)
    sequence_id: int | None = None
    tax_exemption: str | None = None


@attrs.frozen(kw_only=True, slots=True)
class PdfOutput:
    """The ``output`` of a ready PDF (the API spells it camelCase)."""

    pdfUrl: str


@attrs.frozen(kw_only=True, slots=True)
class QrCode:
    """The ``qr_code`` of a ready QR image."""

    url: str
