"""attrs models of the API's objects, and the converter that builds them."""

from .clients import Client, ClientCreate, PreferredContact
from .documents import ClientRef, Invoice, Item, Tax
from .enums import ArchivedFilter, DocumentStatus, DocumentType
from .pagination import Pagination
from .sequences import Sequence

__all__ = ["ArchivedFilter", "Client", "ClientCreate", "ClientRef", "DocumentStatus",
           "DocumentType", "Invoice", "Item", "Pagination", "PreferredContact", "Sequence",
           "Tax"]
