"""The API's closed vocabularies, as str enums (plain strings are accepted too)."""

from __future__ import annotations

import enum


class DocumentType(enum.StrEnum):
    """Values of a document's ``type`` and of the lists' ``type[]`` filters."""

    INVOICE = "Invoice"
    INVOICE_RECEIPT = "InvoiceReceipt"
    SIMPLIFIED_INVOICE = "SimplifiedInvoice"
    CREDIT_NOTE = "CreditNote"
    DEBIT_NOTE = "DebitNote"
    RECEIPT = "Receipt"
    CASH_INVOICE = "CashInvoice"
    VAT_MOSS_INVOICE = "VatMossInvoice"
    VAT_MOSS_CREDIT_NOTE = "VatMossCreditNote"
    VAT_MOSS_RECEIPT = "VatMossReceipt"
    QUOTE = "Quote"
    PROFORMA = "Proforma"
    FEES_NOTE = "FeesNote"
    SHIPPING = "Shipping"
    TRANSPORT = "Transport"
    DEVOLUTION = "Devolution"


class DocumentStatus(enum.StrEnum):
    """Document states. Note the API's own split: list filters say ``sent`` for what
    responses (and the client-invoices filter) call ``final``."""

    DRAFT = "draft"
    SENT = "sent"
    FINAL = "final"
    SETTLED = "settled"
    CANCELED = "canceled"
    SECOND_COPY = "second_copy"
    DELETED = "deleted"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class ArchivedFilter(enum.StrEnum):
    """Values of the client-invoices ``archived`` filter."""

    ARCHIVED = "archived"
    NON_ARCHIVED = "non_archived"


def _codes(*spans: tuple[int, int]) -> tuple[str, ...]:
    return tuple(f"M{n:02d}" for low, high in spans for n in range(low, high + 1))


# VAT exemption reasons (reference §4.6): M01, M02, M04-M07, M09-M16, M19-M21, M25,
# M30-M33, M40-M46, M99; M00 is what answers say for "none"
TAX_EXEMPTION_CODES = _codes((0, 2), (4, 7), (9, 16), (19, 21), (25, 25), (30, 33), (40, 46),
                             (99, 99))
