"""attrs models of the API's objects; the wire and export converters live beside them."""

from .catalog import (
    Account,
    BalanceAmounts,
    CatalogItem,
    ClientBalance,
    Currency,
    InitialBalance,
    Movement,
    Regularization,
    RemainingBalance,
)
from .clients import Client, ClientCreate, PreferredContact
from .documents import Address, ClientRef, Estimate, Guide, Invoice, Item, Tax
from .enums import ArchivedFilter, DocumentStatus, DocumentType
from .pagination import Pagination
from .requests import (
    AccountCreate,
    ATCredentials,
    CatalogItemCreate,
    DocumentClient,
    DocumentCreate,
    EmailMessage,
    GuideCreate,
    ItemLine,
    Payment,
    SequenceCreate,
    TaxCreate,
    TreasuryMovement,
)
from .sequences import Sequence
from .states import DocumentEvent

__all__ = [
    "ATCredentials",
    "Account",
    "AccountCreate",
    "Address",
    "ArchivedFilter",
    "BalanceAmounts",
    "CatalogItem",
    "CatalogItemCreate",
    "Client",
    "ClientBalance",
    "ClientCreate",
    "ClientRef",
    "Currency",
    "DocumentClient",
    "DocumentCreate",
    "DocumentEvent",
    "DocumentStatus",
    "DocumentType",
    "EmailMessage",
    "Estimate",
    "Guide",
    "GuideCreate",
    "InitialBalance",
    "Invoice",
    "Item",
    "ItemLine",
    "Movement",
    "Pagination",
    "Payment",
    "PreferredContact",
    "Regularization",
    "RemainingBalance",
    "Sequence",
    "SequenceCreate",
    "Tax",
    "TaxCreate",
    "TreasuryMovement",
]
