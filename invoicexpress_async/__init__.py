"""invoicexpress_async: an asyncio-first SDK for the InvoiceXpress REST API v2.

``AsyncInvoiceXpress`` for asyncio code, ``InvoiceXpress`` (generated from it)
for blocking code, and ``invoicexpress_async.sandbox`` to test against.
"""

from importlib import metadata as _metadata

from ._blocking import BlockingCallInEventLoopWarning, Paginator
from ._sync import InvoiceXpress
from ._transport import RateLimit, RetryPolicy, SessionPool, Timeout
from ._transport.requester import TransportStats
from .client import AsyncInvoiceXpress
from .errors import (
    APIError,
    AuthenticationError,
    ClientClosedError,
    ConflictError,
    DecodeError,
    InvalidStateError,
    InvoiceXpressError,
    NotFoundError,
    PollTimeout,
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
    DocumentClient,
    DocumentCreate,
    DocumentEvent,
    DocumentStatus,
    DocumentType,
    EmailMessage,
    Invoice,
    Item,
    ItemLine,
    Pagination,
    Payment,
    PreferredContact,
    Sequence,
    Tax,
)
from .pagination import AsyncPaginator, Page
from .polling import PollPolicy

try:
    __version__ = _metadata.version("invoicexpress-async")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "APIError",
    "ArchivedFilter",
    "AsyncInvoiceXpress",
    "AsyncPaginator",
    "AuthenticationError",
    "ClientClosedError",
    "BlockingCallInEventLoopWarning",
    "Client",
    "ClientCreate",
    "ClientRef",
    "ConflictError",
    "DecodeError",
    "DocumentClient",
    "DocumentCreate",
    "DocumentEvent",
    "DocumentStatus",
    "DocumentType",
    "EmailMessage",
    "InvalidStateError",
    "Invoice",
    "InvoiceXpress",
    "InvoiceXpressError",
    "Item",
    "ItemLine",
    "NotFoundError",
    "Page",
    "Pagination",
    "Paginator",
    "Payment",
    "PollPolicy",
    "PollTimeout",
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
