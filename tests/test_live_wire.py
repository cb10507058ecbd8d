"""Correct to the live wire: what the live recordings and other clients' live-verified notes
show (reference §5 items 1 and 19), not only what the vendor's description says."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .new_documents import DAY, document, guide

FAST_POLL = ix.PollPolicy(interval=0.01, max_interval=0.02, timeout=5.0)
# what every document the API sends carries
DOC = {"status": "final", "type": "Invoice", "date": "02/11/2026", "total": "10.00"}


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
    scripted.get("/credit_notes/7.json", payload={"invoice_v2": {**DOC, "id": 7,
                                                                  "type": "CreditNote"}})
    found = await make_api().credit_notes.get(7)
    assert (found.id, found.type) == (7, "CreditNote")


# ---- story 2: an exempt line carries its own reason -------------------------------------------

async def test_an_exempt_invoice_can_be_issued(served: Sandbox,
                                               api: ix.AsyncInvoiceXpress) -> None:
    exempt = ix.ItemLine(name="Formação", description="Curso", unit_price=Decimal(100),
                         quantity=Decimal(1), tax="IVA0", tax_exemption="M07")
    draft = await api.invoices.create(document(items=[exempt], tax_exemption="M07"))
    assert draft.items[0].tax_exemption == "M07" and draft.total == Decimal(100)
    (sent,) = served.state.sent_to("POST", "/invoices.json")
    assert orjson.loads(sent)["invoice"]["items"][0]["tax_exemption"] == "M07"
    without = ix.ItemLine(name="Formação", description="Curso", unit_price=Decimal(100),
                          quantity=Decimal(1), tax="IVA0")
    with pytest.raises(ix.ValidationError, match="Razão de isenção"):  # what the live API says
        await api.invoices.create(document(items=[without], tax_exemption="M07"))
    with pytest.raises(ValueError, match="tax_exemption must be a VAT exemption code"):
        ix.ItemLine(name="x", description="", unit_price=Decimal(1), quantity=Decimal(1),
                    tax="IVA0", tax_exemption="M03")  # not a code of the reference's list


# ---- story 3: fields real answers carry are typed, not thrown away ----------------------------

async def test_fields_of_live_answers_are_typed(served: Sandbox,
                                                api: ix.AsyncInvoiceXpress) -> None:
    listed = [i async for i in api.invoices.list(per_page=20)]
    with_mb = [i for i in listed if i.mb_reference is not None]
    assert with_mb and all(i.mb_reference.entity and i.mb_reference.reference
                           and i.mb_reference.value == i.total for i in with_mb
                           if i.mb_reference is not None)
    first = listed[0]
    assert first.client is not None and first.client.fiscal_id and first.client.postal_code
    assert first.client.address and first.client.phone
    assert [line.id for line in first.items] == list(range(1, len(first.items) + 1))
    (client, *_) = [c async for c in api.clients.list(per_page=1)]
    assert client.preferred_contact is not None and client.preferred_contact.mobile

    invoice = await api.invoices.create(document())
    invoice = await api.invoices.change_state(invoice.id, "finalized")
    note = await api.credit_notes.create(document(owner_invoice_id=invoice.id))
    assert note.owner_invoice_id == invoice.id
    off = ix.GlobalDiscount(value_type="percentage", value=Decimal(10))
    discounted = await api.invoices.create(document(global_discount=off, plugin_id="erp-7"))
    assert discounted.global_discount == off


async def test_the_typed_export_writes_every_member_of_the_answer(
        make_api: Any, scripted: Any, tmp_path: Any) -> None:
    from invoicexpress_async.export.job import ExportSpec, run_export

    answer = {**DOC, "id": 1, "total": "1.00", "currency": "Euro", "brand_new": {"a": 1},
              "client": {"id": 5, "fiscal_id": "500100200", "segment": "B2B"},
              "items": [{"id": 1, "name": "x", "unit_price": "1.00", "quantity": "1.0",
                         "warehouse": "W1"}]}
    scripted.get("/invoices.json", payload={"invoices": [answer], "pagination": {
        "total_entries": 1, "current_page": 1, "total_pages": 1, "per_page": 30}})
    out = tmp_path / "x.jsonl"
    await run_export(make_api(), ExportSpec(kind="invoices", out=out, format="jsonl"))
    (row,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert row["brand_new"] == {"a": 1} and row["client"]["segment"] == "B2B"
    assert row["items"][0]["warehouse"] == "W1" and row["client"]["fiscal_id"] == "500100200"
    assert row["total"] == "1.00"  # typed where typed: money as decimal text


def test_repr_stays_short_and_equality_ignores_extra() -> None:
    from invoicexpress_async.models._convert import structure_hook

    build = structure_hook(ix.Invoice)
    one, two = build({**DOC, "id": 1, "x": "y" * 500}), build({**DOC, "id": 1})
    assert "yyy" not in repr(one) and one == two and one.extra == {"x": "y" * 500}


# ---- story 4: request fields other clients send ------------------------------------------------

async def test_request_fields_reach_the_wire_and_the_sandbox(served: Sandbox,
                                                             api: ix.AsyncInvoiceXpress) -> None:
    created = await api.clients.create(ix.ClientCreate(
        name="Oficina Sul", code="OS-1", payment_days=30, tax_exemption_code="M07",
        preferred_contact=ix.PreferredContact(name="Rui", mobile="912000111")))
    assert (created.payment_days, created.tax_exemption_code) == (30, "M07")
    assert created.preferred_contact and created.preferred_contact.mobile == "912000111"
    assert created.id is not None

    by_id = await api.invoices.create(ix.DocumentCreate(
        date=DAY, due_date=DAY, client=ix.DocumentClient(id=created.id),
        items=document().items))
    by_code = await api.invoices.create(ix.DocumentCreate(
        date=DAY, due_date=DAY, client=ix.DocumentClient(code="OS-1"), items=document().items))
    assert by_id.client and by_code.client and by_id.client.id == by_code.client.id == created.id
    with pytest.raises(ValueError, match="client needs an id or a code"):
        ix.DocumentClient(name="Only a name")

    quote = await api.quotes.create(document(auto_add_related_document=True))
    sent = orjson.loads(served.state.sent_to("POST", "/quotes.json")[-1])
    assert sent["quote"]["auto_add_related_document"] == "1" and quote.type == "Quote"
    before = served.state.counts["requests"]
    with pytest.raises(ValueError, match="for estimates"):
        await api.invoices.create(document(auto_add_related_document=True))
    assert served.state.counts["requests"] == before
    await api.invoices.create(document(global_discount=ix.GlobalDiscount(
        value_type="absolute", value=Decimal("5.00")), plugin_id="erp-7"))
    body = orjson.loads(served.state.sent_to("POST", "/invoices.json")[-1])["invoice"]
    assert body["global_discount"] == {"value_type": "absolute", "value": 5.00}
    assert b'"value":5.00' in served.state.sent_to("POST", "/invoices.json")[-1]
    assert body["plugin_id"] == "erp-7"


# ---- story 5: one field of an unexpected shape never fails the answer ----------------------

async def test_a_currency_object_does_not_stop_a_stream(make_api: Any, scripted: Any,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    from invoicexpress_async.models import _convert

    _convert._warned.clear()
    live = [{**DOC, "id": n, "currency": {"name": "Euro", "code": "EUR",
                                                     "symbol": "€"},
             "retention": {"unexpected": True}} for n in (1, 2, 3)]
    scripted.get("/invoices.json", payload={"invoices": live})
    with caplog.at_level("WARNING", logger="invoicexpress_async"):
        found = [i async for i in make_api().invoices.list()]
    assert [(i.id, i.currency, i.total) for i in found] == [
        (n, "Euro", Decimal("10.00")) for n in (1, 2, 3)]
    assert found[0].retention is None and found[0].extra == {"retention": {"unexpected": True}}
    assert [r.getMessage().split(" has ")[0] for r in caplog.records] == ["Invoice.retention"]


async def test_an_answer_that_cannot_be_a_document_names_the_json_path(
        make_api: Any, scripted: Any) -> None:
    scripted.get("/invoices/9.json", payload={"invoice": {**DOC, "id": {"not": "an id"}}})
    with pytest.raises(ix.DecodeError, match=r"\(id: expected an integer"):
        await make_api().invoices.get(9)
