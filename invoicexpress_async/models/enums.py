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
