"""Endpoint groups: arguments in, an operation out, models back. No HTTP here."""

from .admin import AsyncAccounts, AsyncSaft, AsyncTreasury
from .catalog import AsyncItems, AsyncTaxes
from .clients import AsyncClients
from .documents import (
    AsyncDocumentBase,
    AsyncDocumentWriter,
    AsyncEstimateFamily,
    AsyncEstimates,
    AsyncGuideFamily,
    AsyncGuides,
    AsyncInvoiceFamily,
    AsyncInvoiceReader,
    AsyncInvoices,
    AsyncPayableDocuments,
    AsyncQrCodes,
    AsyncReceipts,
)
from .families import DocumentFamily
from .sequences import AsyncSequences

__all__ = ["AsyncAccounts", "AsyncClients", "AsyncItems", "AsyncSaft", "AsyncTaxes",
           "AsyncTreasury", "AsyncDocumentBase", "AsyncDocumentWriter", "AsyncEstimateFamily",
           "AsyncEstimates", "AsyncGuideFamily", "AsyncGuides", "AsyncInvoiceFamily",
           "AsyncInvoiceReader", "AsyncInvoices", "AsyncPayableDocuments", "AsyncQrCodes",
           "AsyncReceipts", "AsyncSequences", "DocumentFamily"]
