"""Export the invoices of many accounts at once, on one connection pool.

Each account keeps its own rate limit; the pool shares the connections. (The
command line does the same with resumable files: ``invoicexpress-async export
invoices --accounts accounts.toml --out-dir exports/``.)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import orjson

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox


async def export_one(api: ix.AsyncInvoiceXpress, out: Path) -> int:
    count = 0
    with out.open("wb") as file:
        async for invoice in api.invoices.list(per_page=100).raw():
            file.write(orjson.dumps(invoice) + b"\n")
            count += 1
    return count


async def main(out_dir: Path) -> None:
    async with Sandbox(invoices=150) as sandbox, ix.SessionPool(limit=20) as pool:
        accounts = [sandbox.account] + [sandbox.add_account(f"shop{n}", invoices=40 + n)
                                        for n in range(5)]
        clients = [ix.AsyncInvoiceXpress(**sandbox.client_kwargs(account), pool=pool)
                   for account in accounts]
        counts = await asyncio.gather(*(export_one(api, out_dir / f"{api.account_name}.jsonl")
                                        for api in clients))
        for api, count in zip(clients, counts, strict=True):
            print(f"{api.account_name}: {count} invoices")
        print(f"{pool.stats.requests} requests over one pool")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    asyncio.run(main(target))
