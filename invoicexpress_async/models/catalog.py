"""The account's catalogue (items), its accounts and its treasury, as the API returns them."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ._extra import extra_field
from .documents import Tax


@attrs.frozen(kw_only=True, slots=True)
class CatalogItem:
    """A product or service of the account's catalogue (``/items``)."""

    id: int
    """The item's id."""
    name: str
    """The item's name: documents' lines refer to it by name (a line with a known name
    overwrites the item)."""
    description: str | None = None
    """The text printed on a line that uses the item."""
    unit_price: Decimal | None = None
    """The price per unit before taxes (up to 4 decimals)."""
    unit: str | None = None
    """``service``, ``hour``, ``day``, ``month``, ``unit`` or ``other``."""
    tax: Tax | None = None
    """The tax lines of this item get (name, rate, the API's comment)."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as the API sent them."""


@attrs.frozen(kw_only=True, slots=True, repr=False)
class Account:
    """An InvoiceXpress account: what ``accounts.get`` tells, or what creating one returns
    (its ``api_key`` among it: never shown in the repr)."""

    id: int | None = None
    """The account's id."""
    name: str | None = None
    """The account name, the first part of its API host (``acme`` in
    ``acme.app.invoicexpress.com``)."""
    url: str | None = None
    """The account's address."""
    api_key: str | None = None
    """The account's api key (when creating one returns it); never shown in the repr."""
    state: str | None = None
    """The account's state, as the API reports it."""
    organization_name: str | None = None
    """The company's name."""
    fiscal_id: str | None = None
    """The company's tax number (NIF)."""
    email: str | None = None
    """The account owner's email."""
    at_configured: bool | None = None
    """Whether Tax Authority credentials are set (needed to register series)."""
    trial: bool | None = None
    """Whether the account is still in its trial period."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}"
                          for f in attrs.fields(Account) if f.name != "api_key")
        return f"Account({shown}, api_key=***)"


@attrs.frozen(kw_only=True, slots=True)
class Currency:
    symbol: str | None = None
    """The currency's symbol (``€``)."""
    code: str | None = None
    """Its ISO code (``EUR``)."""


@attrs.frozen(kw_only=True, slots=True)
class InitialBalance:
    """A client's opening balance (treasury dates are ISO on the wire)."""

    value: Decimal | None = None
    """The opening balance."""
    date: datetime.date | None = None
    """The day it applies from."""
    created_at: datetime.date | None = None
    """When it was recorded."""
    observation: str | None = None
    """Free text recorded with it."""


@attrs.frozen(kw_only=True, slots=True)
class BalanceAmounts:
    with_vat: Decimal | None = None
    """The amount, taxes included."""
    without_vat: Decimal | None = None
    """The amount before taxes."""


@attrs.frozen(kw_only=True, slots=True)
class RemainingBalance:
    total: Decimal | None = None
    """What remains after the initial balance and the movements."""
    value: Decimal | None = None
    """The remaining amount, as the API reports it."""


@attrs.frozen(kw_only=True, slots=True)
class ClientBalance:
    """What a client owes: its balance, what is overdue and what remains."""

    currency: Currency | None = None
    """The currency the amounts are in."""
    initial_balance: InitialBalance | None = None
    """The opening balance recorded for the client."""
    balance: BalanceAmounts | None = None
    """What the client owes now."""
    overdue_balance: BalanceAmounts | None = None
    """The part of it past due."""
    remaining_balance: RemainingBalance | None = None
    """What remains once the initial balance is counted."""


@attrs.frozen(kw_only=True, slots=True)
class Regularization:
    id: int | None = None
    """The regularization's id."""
    number: str | None = None
    """Its number in its series."""
    value: Decimal | None = None
    """Its amount."""
    date: datetime.date | None = None
    """Its day."""
    observation: str | None = None
    """Free text recorded with it."""


@attrs.frozen(kw_only=True, slots=True)
class Movement:
    """A treasury movement as the API records it."""

    id: int | None = None
    """The movement's id."""
    value: Decimal | None = None
    """Its amount."""
    movement_type: str | None = None
    """``Payment`` or ``Reimbursement``."""
    payment_method: str | None = None
    """How it was paid: a payment mechanism code (``TB``, ``MB``, ``NU``...; treasury also
    ``CI``)."""
    date: datetime.date | None = None
    """Its day (ISO on the wire, unlike documents)."""
    serie: str | None = None
    """The series it was numbered in."""
    observation: str | None = None
    """Free text recorded with it."""
