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
    name: str
    description: str | None = None
    unit_price: Decimal | None = None
    unit: str | None = None
    tax: Tax | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True, slots=True, repr=False)
class Account:
    """An InvoiceXpress account: what ``accounts.get`` tells, or what creating one returns
    (its ``api_key`` among it: never shown in the repr)."""

    id: int | None = None
    name: str | None = None
    url: str | None = None
    api_key: str | None = None
    state: str | None = None
    organization_name: str | None = None
    fiscal_id: str | None = None
    email: str | None = None
    at_configured: bool | None = None
    trial: bool | None = None

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}"
                          for f in attrs.fields(Account) if f.name != "api_key")
        return f"Account({shown}, api_key=***)"


@attrs.frozen(kw_only=True, slots=True)
class Currency:
    symbol: str | None = None
    code: str | None = None


@attrs.frozen(kw_only=True, slots=True)
class InitialBalance:
    """A client's opening balance (treasury dates are ISO on the wire)."""

    value: Decimal | None = None
    date: datetime.date | None = None
    created_at: datetime.date | None = None
    observation: str | None = None


@attrs.frozen(kw_only=True, slots=True)
class BalanceAmounts:
    with_vat: Decimal | None = None
    without_vat: Decimal | None = None


@attrs.frozen(kw_only=True, slots=True)
class RemainingBalance:
    total: Decimal | None = None
    value: Decimal | None = None


@attrs.frozen(kw_only=True, slots=True)
class ClientBalance:
    """What a client owes: its balance, what is overdue and what remains."""

    currency: Currency | None = None
    initial_balance: InitialBalance | None = None
    balance: BalanceAmounts | None = None
    overdue_balance: BalanceAmounts | None = None
    remaining_balance: RemainingBalance | None = None


@attrs.frozen(kw_only=True, slots=True)
class Regularization:
    id: int | None = None
    number: str | None = None
    value: Decimal | None = None
    date: datetime.date | None = None
    observation: str | None = None


@attrs.frozen(kw_only=True, slots=True)
class Movement:
    """A treasury movement as the API records it."""

    id: int | None = None
    value: Decimal | None = None
    movement_type: str | None = None
    payment_method: str | None = None
    date: datetime.date | None = None
    serie: str | None = None
    observation: str | None = None
