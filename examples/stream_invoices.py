"""Stream every sent invoice of 2026 and add up what is still due.

Runs against the embedded sandbox; for your own account, replace the sandbox with
``ix.AsyncInvoiceXpress(account_name="...", api_key="...")`` (or the
INVOICEXPRESS_ACCOUNT_NAME / INVOICEXPRESS_API_KEY environment variables).
"""

from __future__ import annotations

import asyncio
import datetime
from decimal import Decimal

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox


async def main() -> None:
    async with Sandbox(invoices=2_000) as sandbox, \
            ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), prefetch=8) as api:
        due, count = Decimal(0), 0
        async for invoice in api.invoices.list(status=["sent"],
                                               date_from=datetime.date(2020, 1, 1)):
            count += 1
            due += invoice.total or Decimal(0)
        print(f"{count} sent invoices, {due} EUR in total")
        print(f"{api.stats.requests} requests, {api.stats.retries} retries")


if __name__ == "__main__":
    asyncio.run(main())
