"""Correct to the live wire: what the live recordings and other clients' live-verified notes
show (reference §5 items 1 and 19), not only what the vendor's description says."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

FAST_POLL = ix.PollPolicy(interval=0.01, max_interval=0.02, timeout=5.0)
DAY = datetime.date(2026, 11, 2)


def document(**extra: Any) -> ix.DocumentCreate:
    return ix.DocumentCreate(
        date=DAY, due_date=DAY + datetime.timedelta(days=30),
        client=ix.DocumentClient(name="Padaria Central Lda", code="PAD-1"),
        items=[ix.ItemLine(name="Pão", description="Caixa", unit_price=Decimal("12.50"),
                           quantity=Decimal(4), tax="IVA23")], **extra)


def guide() -> ix.GuideCreate:
    return ix.GuideCreate(
        date=DAY, due_date=DAY, loaded_at=datetime.datetime(2026, 11, 2, 19),
        address_from=ix.Address(detail="Rua A", city="Porto", postal_code="4000-001",
                                country="Portugal"),
        address_to=ix.Address(detail="Rua B", city="Lisboa", postal_code="1000-001",
                              country="Portugal"),
        client=ix.DocumentClient(name="Oficina", code="ON-1"),
        items=[ix.ItemLine(name="Pneus", description="4", unit_price=Decimal("50"),
                           quantity=Decimal(4))])


@pytest.fixture
async def served() -> AsyncIterator[Sandbox]:
    async with Sandbox(invoices=20, pending_polls=0) as sandbox:
        yield sandbox


@pytest.fixture
async def api(served: Sandbox) -> AsyncIterator[ix.AsyncInvoiceXpress]:
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST_POLL) as client:
        yield client


# ---- story 1: the request roots the API accepts ----------------------------------------------

# path -> (the generic root every request carries, the type-specific root of the answer)
ROOTS = {
    "invoices": ("invoice", "invoice"),
    "invoice_receipts": ("invoice", "invoice_receipt"),
    "simplified_invoices": ("invoice", "simplified_invoice"),
    "credit_notes": ("invoice", "credit_note"),
    "debit_notes": ("invoice", "debit_note"),
    "quotes": ("quote", "quote"),
    "proformas": ("quote", "proforma"),
    "fees_notes": ("quote", "fees_note"),
    "shippings": ("shipping", "shipping"),
    "transports": ("shipping", "transport"),
    "devolutions": ("shipping", "devolution"),
}


@pytest.mark.parametrize("path", sorted(ROOTS))
async def test_creates_updates_and_state_changes_send_the_generic_root(
        served: Sandbox, api: ix.AsyncInvoiceXpress, path: str) -> None:
    generic, _ = ROOTS[path]
    family = getattr(api, path)
    new = guide() if generic == "shipping" else document()
    draft = await family.create(new)
    await family.update(draft.id, new)
    await family.change_state(draft.id, "finalized")
    sent = [orjson.loads(served.state.sent_to(method, f"/{path}{tail}")[-1])
            for method, tail in (("POST", ".json"), ("PUT", f"/{draft.id}.json"),
                                 ("PUT", f"/{draft.id}/change-state.json"))]
    assert [next(iter(body)) for body in sent] == [generic] * 3
    assert "proprietary_uid" in sent[0]  # top level, beside the root


async def test_the_sandbox_refuses_a_type_specific_request_root(
        api: ix.AsyncInvoiceXpress) -> None:
    with pytest.raises(ix.ValidationError, match="invoice"):
        await api.request("POST", "/credit_notes.json",
                          json={"credit_note": {"date": "02/11/2026"}})


async def test_an_answer_under_an_unexpected_root_is_read_from_its_only_key(
        make_api: Any, scripted: Any) -> None:
    scripted.get("/credit_notes/7.json", payload={"invoice_v2": {"id": 7, "type": "CreditNote",
                                                                  "status": "draft"}})
    found = await make_api().credit_notes.get(7)
    assert (found.id, found.type) == (7, "CreditNote")
