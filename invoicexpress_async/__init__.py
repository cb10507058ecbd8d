"""invoicexpress_async: an asyncio-first SDK for the InvoiceXpress REST API v2.

``AsyncInvoiceXpress`` for asyncio code, ``InvoiceXpress`` (generated from it)
for blocking code, and ``invoicexpress_async.sandbox`` to test against.
"""

from ._blocking import BlockingCallInEventLoopWarning, Paginator
from ._sync import InvoiceXpress
from ._transport import RateLimit, RetryPolicy, SessionPool, Timeout
from ._transport.requester import TransportStats
from .client import AsyncInvoiceXpress
from .errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    DecodeError,
    InvalidStateError,
    InvoiceXpressError,
    NotFoundError,
    RateLimitError,
    RequestTimeout,
    ServerError,
    SyncInAsyncDeadlockError,
    TransportError,
    ValidationError,
)
from .models import (
    ArchivedFilter,
    Client,
    ClientCreate,
    ClientRef,
    DocumentStatus,
    DocumentType,
    Invoice,
    Item,
    Pagination,
    PreferredContact,
    Sequence,
    Tax,
)
from .pagination import AsyncPaginator, Page

__version__ = "0.1.0.dev0"

__all__ = [
    "APIError",
    "ArchivedFilter",
    "AsyncInvoiceXpress",
    "AsyncPaginator",
    "AuthenticationError",
    "BlockingCallInEventLoopWarning",
    "Client",
    "ClientCreate",
    "ClientRef",
    "ConflictError",
    "DecodeError",
    "DocumentStatus",
    "DocumentType",
    "InvalidStateError",
    "Invoice",
    "InvoiceXpress",
    "InvoiceXpressError",
    "Item",
    "NotFoundError",
    "Page",
    "Paginator",
    "Pagination",
    "PreferredContact",
    "RateLimit",
    "RateLimitError",
    "RequestTimeout",
    "RetryPolicy",
    "Sequence",
    "ServerError",
    "SessionPool",
    "SyncInAsyncDeadlockError",
    "Tax",
    "Timeout",
    "TransportError",
    "TransportStats",
    "ValidationError",
]
