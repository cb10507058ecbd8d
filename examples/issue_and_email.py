"""Issue an invoice, finalize it, email it, download its PDF and record a payment.

Runs against the embedded sandbox (which records the email instead of sending it).
"""

from __future__ import annotations

import asyncio
import datetime
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox


async def main(out_dir: Path) -> None:
    today = datetime.date.today()
    async with Sandbox() as sandbox, ix.AsyncInvoiceXpress(**sandbox.client_kwargs()) as api:
        draft = await api.invoices.create(ix.DocumentCreate(
            date=today, due_date=today + datetime.timedelta(days=30),
            client=ix.DocumentClient(name="Padaria Central Lda", code="PAD-1"),
            items=[ix.ItemLine(name="Pão", description="Caixa de 12",
                               unit_price=Decimal("12.50"), quantity=Decimal(4),
                               tax="IVA23")],
            reference="PO-2026-1"), reconcile=True)  # safe to retry: never a duplicate
        invoice = await api.invoices.change_state(draft.id, "finalized")
        await api.invoices.email(invoice.id, ix.EmailMessage(email="contas@padaria.pt",
                                                             subject="A sua fatura"))
        pdf = await api.download_to(await api.invoices.pdf_url(invoice.id),
                                    out_dir / f"invoice-{invoice.id}.pdf")
        receipt = await api.invoices.add_payment(invoice.id, ix.Payment(amount=invoice.total))
        print(f"invoice {invoice.id} ({invoice.status}): {invoice.total} EUR,"
              f" PDF {pdf.stat().st_size} bytes at {pdf}, receipt {receipt.id}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    asyncio.run(main(target))
