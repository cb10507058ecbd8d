"""Endpoint groups: arguments in, an operation out, models back. No HTTP here."""

from .clients import AsyncClients
from .documents import (
    AsyncDocumentReader,
    AsyncDocuments,
    AsyncInvoiceFamily,
    AsyncInvoices,
    AsyncPayableDocuments,
    AsyncReceipts,
)
from .families import DocumentFamily
from .sequences import AsyncSequences

__all__ = ["AsyncClients", "AsyncDocumentReader", "AsyncDocuments", "AsyncInvoiceFamily",
           "AsyncInvoices", "AsyncPayableDocuments", "AsyncReceipts", "AsyncSequences",
           "DocumentFamily"]
