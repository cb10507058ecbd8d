"""Documents as the API returns them: invoices (and receipts, credit and debit notes...),
estimates and guides share one shape; guides add their transport details."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .._checks import optional_text, validator
from ._extra import extra_field


@attrs.frozen(kw_only=True, slots=True)
class Tax:
    """A tax: embedded in a document line (id, name, value) or from ``/taxes`` (with region,
    code and whether it is the account's default; ``default_tax`` on the wire)."""

    id: int | None = None  # an item's tax in the catalogue may carry its name alone
    name: str | None = None
    value: Decimal | None = None
    region: str | None = None
    code: str | None = None
    default: bool | None = attrs.field(default=None, metadata={"wire": {"key": ("default_tax",)}})
    comment: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, slots=True)
class Item:
    """A document line. ``unit_price``/``quantity`` arrive as strings, the rest as numbers."""

    id: int | None = None
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
    tax_exemption: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, slots=True)
class ClientRef:
    """The client as embedded in a document (an int id here, unlike /clients); list
    answers carry its address, postal code, phone and fiscal id too."""

    id: int | None = None
    name: str | None = None
    country: str | None = None
    code: str | None = None
    email: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    phone: str | None = None
    fiscal_id: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, slots=True)
class MbReference:
    """The Multibanco payment reference of a document (``mb_reference`` on the wire, an
    object in answers): the entity, the reference and the amount to pay."""

    entity: str | None = None
    reference: str | None = None
    value: Decimal | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, slots=True)
class GlobalDiscount:
    """A discount over the whole document: ``value_type`` ``"percentage"`` or
    ``"absolute"``, and its ``value``."""

    value_type: str | None = None
    value: Decimal | None = None


_text = validator(optional_text, optional=True)


@attrs.frozen(kw_only=True, slots=True)
class Address:
    """A guide's loading or delivery address (in guides the API returns, and in the
    ``GuideCreate`` you send)."""

    detail: str | None = attrs.field(default=None, validator=_text)
    city: str | None = attrs.field(default=None, validator=_text)
    postal_code: str | None = attrs.field(default=None, validator=_text)
    country: str | None = attrs.field(default=None, validator=_text)
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, slots=True)
class _Document:
    """The fields every document kind shares. ``id``, ``status``, ``type``, ``date`` and
    ``total`` are in every document the API sends (an answer without them is not a
    document: DecodeError); the others may be absent (None)."""

    id: int
    status: str
    archived: bool | None = None
    type: str
    sequence_number: str | None = None
    inverted_sequence_number: str | None = None
    atcud: str | None = None
    date: datetime.date
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
    total: Decimal
    currency: str | None = attrs.field(default=None, metadata={"wire": {"read": "currency"}})
    client: ClientRef | None = None
    items: list[Item] = attrs.field(factory=list)
    sequence_id: int | None = None
    tax_exemption: str | None = None
    owner_invoice_id: int | None = None
    global_discount: GlobalDiscount | None = None
    mb_reference: MbReference | None = attrs.field(default=None,
                                                   metadata={"wire": {"read": "object_or_flag"}})
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, slots=True)
class Invoice(_Document):
    """Any invoice-family document; ``type`` says which (``Invoice``, ``CreditNote``...)."""


@attrs.frozen(kw_only=True, slots=True)
class Receipt(Invoice):
    """A receipt: what recording a payment issues (``add_payment``), or one of
    ``api.receipts``; an invoice-family document of type ``Receipt``."""


@attrs.frozen(kw_only=True, slots=True)
class Estimate(_Document):
    """A quote, proforma or fees note; ``type`` says which (``Quote``...)."""


@attrs.frozen(kw_only=True, slots=True)
class Guide(_Document):
    """A shipping, transport or devolution guide, with its transport details."""

    loaded_at: datetime.datetime | None = None
    license_plate: str | None = None
    address_from: Address | None = None
    address_to: Address | None = None
    at_doc_code_id: str | None = None


@attrs.frozen(kw_only=True, slots=True)
class PdfOutput:
    """The ``output`` of a ready PDF (the API spells it camelCase)."""

    pdfUrl: str


@attrs.frozen(kw_only=True, slots=True)
class QrCode:
    """The ``qr_code`` of a ready QR image."""

    url: str
