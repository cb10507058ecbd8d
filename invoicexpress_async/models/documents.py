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
    """The tax's id (absent when an item's tax names it alone)."""
    name: str | None = None
    """The tax's name, which documents refer to it by (``IVA23``)."""
    value: Decimal | None = None
    """The rate in percent (``23``), a number on the wire."""
    region: str | None = None
    """Where it applies: ``PT``, ``PT-AC`` (Azores), ``PT-MA`` (Madeira), ``Desconhecido``
    or an ISO country code."""
    code: str | None = None
    """Its SAF-T class: ``NOR`` normal, ``INT`` intermediate, ``RED`` reduced, ``OUT``
    other, ``ISE`` exempt."""
    default: bool | None = attrs.field(default=None, metadata={"wire": {"key": ("default_tax",)}})
    """Whether lines without a tax get this one (``default_tax``, ``0``/``1`` on the wire)."""
    comment: str | None = None
    """The API's own description, e.g. ``tax value:23.0%`` (catalogue items)."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as the API sent them."""


@attrs.frozen(kw_only=True, slots=True)
class Item:
    """A document line. ``unit_price``/``quantity`` arrive as strings, the rest as numbers."""

    id: int | None = None
    """The line's id (live answers carry one; the spec's examples do not)."""
    name: str | None = None
    """The product or service; the account's catalogue item of that name."""
    description: str | None = None
    """Text printed under the name."""
    unit_price: Decimal | None = None
    """Price of one unit before tax (a string in list and create answers, a number in
    the spec's get; up to 4 decimals)."""
    unit: str | None = None
    """``unit``, ``hour``, ``day``, ``month``, ``service``, ``other``..."""
    quantity: Decimal | None = None
    """How many units (a string or a number on the wire)."""
    tax: Tax | None = None
    """The line's tax: name and rate (a name the account does not know was replaced by
    its default tax when the document was created)."""
    discount: Decimal | None = None
    """Discount in percent."""
    subtotal: Decimal | None = None
    """Quantity times unit price."""
    tax_amount: Decimal | None = None
    """The tax on the line."""
    discount_amount: Decimal | None = None
    """The discount's amount."""
    total: Decimal | None = None
    """The line's total."""
    tax_exemption: str | None = None
    """The exemption code (``M07``...) of a line at 0% VAT."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the line the SDK does not model, as sent."""


@attrs.frozen(kw_only=True, slots=True)
class ClientRef:
    """The client as embedded in a document (an int id here, unlike /clients); list
    answers carry its address, postal code, phone and fiscal id too."""

    id: int | None = None
    """The client's id (a number here, a string in ``/clients`` answers)."""
    name: str | None = None
    """The client's name as printed on the document."""
    country: str | None = None
    """The country's English name (``Portugal``)."""
    code: str | None = None
    """The account's own code for the client (on get and create answers)."""
    email: str | None = None
    """The client's email (on get and create answers)."""
    address: str | None = None
    """The street address printed on the document, when sent."""
    city: str | None = None
    """The city printed on the document, when sent."""
    postal_code: str | None = None
    """The postal code (``DDDD-DDD`` in Portugal), when sent."""
    phone: str | None = None
    """The client's phone, when sent."""
    fiscal_id: str | None = None
    """The client's tax number (NIF), when sent; lists often leave it out: read the client
    for it."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as the API sent them."""


@attrs.frozen(kw_only=True, slots=True)
class MbReference:
    """The Multibanco payment reference of a document (``mb_reference`` on the wire, an
    object in answers): the entity, the reference and the amount to pay."""

    entity: str | None = None
    """The Multibanco entity number the client pays to."""
    reference: str | None = None
    """The payment reference (nine digits)."""
    value: Decimal | None = None
    """The amount to pay with it."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as the API sent them."""


@attrs.frozen(kw_only=True, slots=True)
class GlobalDiscount:
    """A discount over the whole document: ``value_type`` ``"percentage"`` or
    ``"absolute"``, and its ``value``."""

    value_type: str | None = None
    """``percentage`` or ``absolute``."""
    value: Decimal | None = None
    """The percentage, or the amount in the document's currency."""


_text = validator(optional_text, optional=True)


@attrs.frozen(kw_only=True, slots=True)
class Address:
    """A guide's loading or delivery address (in guides the API returns, and in the
    ``GuideCreate`` you send)."""

    detail: str | None = attrs.field(default=None, validator=_text)
    """Street and number."""
    city: str | None = attrs.field(default=None, validator=_text)
    """The city."""
    postal_code: str | None = attrs.field(default=None, validator=_text)
    """The postal code (``DDDD-DDD`` in Portugal)."""
    country: str | None = attrs.field(default=None, validator=_text)
    """The country's English name (``Portugal``)."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as the API sent them."""


@attrs.frozen(kw_only=True, slots=True)
class _Document:
    """The fields every document kind shares. ``id``, ``status``, ``type``, ``date`` and
    ``total`` are in every document the API sends (an answer without them is not a
    document: DecodeError); the others may be absent (None)."""

    id: int
    """The document's id (the wire sends it as a number or a numeric string)."""
    status: str
    """``draft``, ``final``, ``settled``, ``canceled``, ``deleted`` (estimates also
    ``accepted``/``refused``). List filters call ``final`` ``sent``."""
    archived: bool | None = None
    """Whether the document was archived in the web app (lists include both by default)."""
    type: str
    """The document type in the API's CamelCase: ``Invoice``, ``InvoiceReceipt``,
    ``SimplifiedInvoice``, ``CreditNote``, ``DebitNote``, ``Receipt``, ``Quote``...
    (group lists mix types)."""
    sequence_number: str | None = None
    """The legal number, ``6/G`` (number/series); ``rascunho`` ("draft") before it is
    finalized."""
    inverted_sequence_number: str | None = None
    """The same number series first: ``G/6``."""
    atcud: str | None = None
    """The Tax Authority's unique code, ``<validation code>-<number>``; ``N/D`` when the
    series is not registered yet, ``N/A`` when not relevant (drafts)."""
    date: datetime.date
    """The document's day (dd/mm/yyyy on the wire)."""
    due_date: datetime.date | None = None
    """When payment is due (dd/mm/yyyy on the wire)."""
    reference: str | None = None
    """The customer's reference (a purchase order); ``reconcile=True`` finds creates by it."""
    observations: str | None = None
    """Free text printed on the document."""
    retention: str | None = None
    """Withholding tax percentage, as text (``"0"``, ``"25"``)."""
    permalink: str | None = None
    """The document's page on www.app.invoicexpress.com."""
    saft_hash: str | None = None
    """Four characters of the document's SAF-T signature (printed on it by law)."""
    sum: Decimal | None = None
    """Lines before discounts and taxes."""
    discount: Decimal | None = None
    """The discounts' amount."""
    before_taxes: Decimal | None = None
    """Net total: after discounts, before taxes."""
    taxes: Decimal | None = None
    """The taxes' amount."""
    total: Decimal
    """What the client pays: after discounts and taxes."""
    currency: str | None = attrs.field(default=None, metadata={"wire": {"read": "currency"}})
    """The currency's name (``Euro``); some accounts send an object, read as its name."""
    client: ClientRef | None = None
    """The client as the document embeds it (name, code, fiscal id, address...)."""
    items: list[Item] = attrs.field(factory=list)
    """The lines (empty for list entries without them; ``null`` on the wire reads as [])."""
    sequence_id: int | None = None
    """The series the document was numbered in (a string on the wire)."""
    tax_exemption: str | None = None
    """The document's VAT exemption code (``M00``: none; ``M07``...)."""
    owner_invoice_id: int | None = None
    """For a credit or debit note: the invoice it corrects."""
    global_discount: GlobalDiscount | None = None
    """A discount on the whole document, percentage or absolute."""
    mb_reference: MbReference | None = attrs.field(default=None,
                                                   metadata={"wire": {"read": "object_or_flag"}})
    """The Multibanco payment reference, when the document asked for one (answers carry
    an object; ``"0"``/``false`` reads as None)."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, or whose shape it did not expect,
    as the API sent them (written back by the export and ``ix.to_dict``)."""


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
    """When the goods are loaded (``dd/mm/yyyy HH:MM:SS`` on the wire, Lisbon time)."""
    license_plate: str | None = None
    """The vehicle's plate."""
    address_from: Address | None = None
    """Where the goods are loaded."""
    address_to: Address | None = None
    """Where they go."""
    at_doc_code_id: str | None = None
    """The Tax Authority's code for the transport, once the guide is communicated."""


@attrs.frozen(kw_only=True, slots=True)
class PdfOutput:
    """The ``output`` of a ready PDF (the API spells it camelCase)."""

    pdfUrl: str
    """Where the PDF can be fetched (a signed URL, valid for a while; no api key needed)."""


@attrs.frozen(kw_only=True, slots=True)
class QrCode:
    """The ``qr_code`` of a ready QR image."""

    url: str
    """Where the QR code image can be fetched (a signed URL)."""
