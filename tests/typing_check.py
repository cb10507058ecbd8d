"""Checked by mypy --strict (not run): both APIs type-check as users write them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import invoicexpress_async as ix


async def async_usage() -> Decimal:
    async with ix.AsyncInvoiceXpress(account_name="a", api_key="k") as api:
        total = Decimal(0)
        since = datetime.date(2024, 1, 1)
        async for invoice in api.invoices.list(status=["sent"], date_from=since):
            total += invoice.total or Decimal(0)
        async for page in api.clients.list().pages():
            pagination: ix.Pagination | None = page.pagination
            clients: list[ix.Client] = page.items
            del pagination, clients
        created: ix.Client = await api.clients.create(ix.ClientCreate(name="A", code="A1"))
        sequences: list[ix.Sequence] = await api.sequences.list()
        del created, sequences
        return total


def sync_usage() -> Decimal:
    with ix.InvoiceXpress(account_name="a", api_key="k") as api:
        total = Decimal(0)
        for invoice in api.invoices.list(status=ix.DocumentStatus.SENT):
            total += invoice.total or Decimal(0)
        for page in api.clients.invoices(1, archived=False).pages():
            invoices: list[ix.Invoice] = page.items
            del invoices
        created: ix.Client = api.clients.create(ix.ClientCreate(name="A", code="A1"))
        sequences: list[ix.Sequence] = api.sequences.list()
        del created, sequences
        return total
