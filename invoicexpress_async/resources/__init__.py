"""Endpoint groups: arguments in, :class:`Request` out, models back. No HTTP here."""

from .clients import AsyncClients
from .documents import AsyncInvoiceDocuments, DocumentFamily
from .sequences import AsyncSequences

__all__ = ["AsyncClients", "AsyncInvoiceDocuments", "AsyncSequences", "DocumentFamily"]
