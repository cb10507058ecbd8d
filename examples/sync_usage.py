"""The blocking client: the same API without await, for scripts and sync frameworks."""

from __future__ import annotations

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox


def main() -> None:
    with Sandbox(invoices=300).running() as sandbox, \
            ix.InvoiceXpress(**sandbox.client_kwargs()) as api:
        client = api.clients.create(ix.ClientCreate(name="Padaria Lda", code="PAD-9"))
        print("created client", client.id, client.name)
        first = next(iter(api.invoices.list(per_page=10)))
        print("first invoice", first.id, first.date, first.total)
        for page in api.invoices.list(per_page=100).pages():
            print(f"page {page.number}: {len(page.items)} invoices")
        for sequence in api.sequences.list():
            print("series", sequence.serie)


if __name__ == "__main__":
    main()
