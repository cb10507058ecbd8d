"""attrs models of the API's objects; the wire and export converters live beside them."""

from .clients import Client, ClientCreate, PreferredContact
from .documents import ClientRef, Invoice, Item, Tax
from .enums import ArchivedFilter, DocumentStatus, DocumentType
from .pagination import Pagination
from .requests import DocumentClient, DocumentCreate, EmailMessage, ItemLine, Payment
from .sequences import Sequence
from .states import DocumentEvent

__all__ = ["ArchivedFilter", "Client", "ClientCreate", "ClientRef", "DocumentClient",
           "DocumentCreate", "DocumentEvent", "DocumentStatus", "DocumentType", "EmailMessage",
           "Invoice", "Item", "ItemLine", "Pagination", "Payment", "PreferredContact",
           "Sequence", "Tax"]
