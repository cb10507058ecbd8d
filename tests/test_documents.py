"""The invoice-family lifecycle over real HTTP against the sandbox, async and sync."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .conftest import FakeTime

FAST_POLL = ix.PollPolicy(interval=0.01, max_interval=0.02, timeout=5.0)
QUICK_RETRY = ix.RetryPolicy(backoff_base=0.001, backoff_max=0.01)


def new_document(reference: str | None = "PO-2026-1", **extra: Any) -> ix.DocumentCreate:
    return ix.DocumentCreate(
        date=datetime.date(2026, 11, 2), due_date=datetime.date(2026, 12, 2),
        client=ix.DocumentClient(name="Padaria Central Lda", code="PAD-1",
                                 email="contas@padaria.pt"),
        items=[ix.ItemLine(name="Pão de forma", description="Caixa de 12",
                           unit_price=Decimal("12.50"), quantity=Decimal(4), tax="IVA23")],
        reference=reference, **extra)


@pytest.fixture
async def served() -> AsyncIterator[Sandbox]:
    async with Sandbox(invoices=20, pending_polls=2) as sandbox:
        yield sandbox


@pytest.fixture
async def api(served: Sandbox) -> AsyncIterator[ix.AsyncInvoiceXpress]:
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST_POLL,
                                     retry=QUICK_RETRY) as client:
        yield client


async def test_invoice_lifecycle(served: Sandbox, api: ix.AsyncInvoiceXpress) -> None:
    book = served.account.invoices
    draft = await api.invoices.create(new_document())
    assert (draft.status, draft.type, draft.total) == ("draft", "Invoice", Decimal("61.50"))
    assert draft.items[0].tax == ix.Tax(id=31597, name="IVA23", value=Decimal(23))

    final = await api.invoices.change_state(draft.id, "finalized")
    assert final.status == "final" and final.sequence_number not in (None, "rascunho")

    await api.invoices.email(draft.id, ix.EmailMessage(email="cliente@padaria.pt",
                                                       subject="Fatura"))
    assert [(e["document_id"], e["to"]) for e in book.emails] == \
        [(draft.id, "cliente@padaria.pt")]  # exactly one email

    url = await api.invoices.pdf_url(draft.id)
    assert book.polls[("pdf", draft.id)] == 2  # two 202 answers were waited out
    assert (await api.download(url)).startswith(b"%PDF")

    receipt = await api.invoices.add_payment(draft.id, ix.Payment(amount=final.total,
                                                                  payment_mechanism="TB"))
    assert (receipt.type, receipt.total) == ("Receipt", Decimal("61.50"))
    assert (await api.invoices.get(draft.id)).status == "settled"
    assert [d.id for d in await api.invoices.related(draft.id)] == [receipt.id]
    assert [r.id async for r in api.receipts.list()] == [receipt.id]

    canceled = await api.receipts.cancel(receipt.id, "paid twice by mistake")
    assert canceled.status == "canceled"
    assert (await api.invoices.get(draft.id)).status == "final"
    assert (await api.receipts.get(receipt.id)).status == "canceled"


async def test_credit_note_for_an_invoice(served: Sandbox, api: ix.AsyncInvoiceXpress) -> None:
    invoice = await api.invoices.create(new_document("PO-CN"))
    await api.invoices.change_state(invoice.id, ix.DocumentEvent.FINALIZED)
    note = await api.credit_notes.create(new_document("CN-1", owner_invoice_id=invoice.id))
    assert note.type == "CreditNote" and note.status == "draft"
    final = await api.credit_notes.change_state(note.id, "finalized")
    assert final.status == "final"
    await api.credit_notes.email(note.id, ix.EmailMessage(email="cliente@padaria.pt"))
    assert [e["document_id"] for e in served.account.invoices.emails] == [note.id]
    assert (await api.download(await api.credit_notes.pdf_url(note.id))).startswith(b"%PDF")
    settled = await api.credit_notes.change_state(note.id, "settled")
    assert settled.status == "settled"
    assert (await api.credit_notes.change_state(note.id, "unsettled")).status == "final"
    assert [d.id for d in await api.invoices.related(invoice.id)] == [note.id]
    assert (await api.credit_notes.qr_code_url(note.id)).endswith(".png")
    assert [n.id async for n in api.credit_notes.list(reference="CN-1")] == [note.id]
    assert {n.type async for n in api.credit_notes.list()} == {"CreditNote"}


async def test_invoice_receipt_is_settled_when_finalized(api: ix.AsyncInvoiceXpress) -> None:
    draft = await api.invoice_receipts.create(new_document())
    assert (await api.invoice_receipts.change_state(draft.id, "finalized")).status == "settled"


def test_sync_lifecycle() -> None:
    with Sandbox(invoices=5, pending_polls=1).running() as served, \
            ix.InvoiceXpress(**served.client_kwargs(), poll=FAST_POLL) as api:
        draft = api.invoices.create(new_document())
        final = api.invoices.change_state(draft.id, "finalized")
        api.invoices.email(draft.id, ix.EmailMessage(email="cliente@padaria.pt"))
        assert len(served.account.invoices.emails) == 1
        assert api.download(api.invoices.pdf_url(draft.id)).startswith(b"%PDF")
        receipt = api.invoices.add_payment(draft.id, ix.Payment(amount=final.total))
        assert api.invoices.get(draft.id).status == "settled"
        assert [d.id for d in api.invoices.related(draft.id)] == [receipt.id]
        api.receipts.cancel(receipt.id, "wrong amount")
        assert api.invoices.get(draft.id).status == "final"
        note = api.credit_notes.create(new_document("CN", owner_invoice_id=draft.id))
        api.credit_notes.change_state(note.id, "finalized")
        assert [d.id for d in api.invoices.related(draft.id)] == [receipt.id, note.id]


async def test_request_bodies_use_the_wire_formats(served: Sandbox,
                                                   api: ix.AsyncInvoiceXpress) -> None:
    draft = await api.invoices.create(new_document(mb_reference=True), proprietary_uid="uid-1")
    (raw,) = served.state.sent_to("POST", "/invoices.json")
    assert b'"unit_price":12.50' in raw and b'"quantity":4' in raw  # exact JSON numbers
    sent = orjson.loads(raw)
    assert sent["proprietary_uid"] == "uid-1"  # top level, beside the document key
    invoice = sent["invoice"]
    assert (invoice["date"], invoice["due_date"]) == ("02/11/2026", "02/12/2026")
    assert invoice["items"][0]["tax"] == {"name": "IVA23"}
    assert invoice["mb_reference"] == "1"
    assert "retention" not in invoice  # None fields are left out

    await api.invoices.change_state(draft.id, "finalized")
    await api.invoices.email(draft.id, ix.EmailMessage(email="a@b.pt", save=True))
    (email,) = served.state.sent_to("PUT", f"/invoices/{draft.id}/email-document.json")
    assert orjson.loads(email) == {"message": {"client": {"email": "a@b.pt", "save": "1"},
                                               "logo": "0"}}
    await api.invoices.add_payment(draft.id, ix.Payment(
        amount=Decimal("10.00"), payment_date=datetime.date(2026, 11, 5)))
    (payment,) = served.state.sent_to("POST", f"/documents/{draft.id}/partial_payments.json")
    assert b'"amount":10.00' in payment
    assert orjson.loads(payment)["partial_payment"]["payment_date"] == "05/11/2026"


async def test_a_busy_uid_is_waited_out_and_asked_again() -> None:
    async with Sandbox(invoices=1, create_seconds=0.3) as served, \
            ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST_POLL) as api:
        first, second = await asyncio.gather(
            api.invoices.create(new_document(), proprietary_uid="same-uid"),
            api.invoices.create(new_document(), proprietary_uid="same-uid"))
        assert first.id == second.id
        assert served.state.counts["documents_created"] == 1
        assert len(served.state.sent_to("POST", "/invoices.json")) > 2  # 409s, asked again


async def test_reconcile_finds_a_create_whose_answer_was_lost(served: Sandbox,
                                                              api: ix.AsyncInvoiceXpress) -> None:
    served.fail_next("drop")  # processed, then the connection drops
    with pytest.raises(ix.TransportError) as lost:
        await api.invoices.create(new_document("PO-LOST-1"))
    assert lost.value.outcome_unknown
    served.fail_next("drop")
    found = await api.invoices.create(new_document("PO-LOST-2"), reconcile=True)
    assert found.reference == "PO-LOST-2" and found.status == "draft"
    assert served.state.counts["documents_created"] == 2  # each sent once, never twice
    with pytest.raises(ValueError, match="reference"):
        await api.invoices.create(new_document(None), reconcile=True)


async def test_states_are_checked_before_sending(served: Sandbox,
                                                 api: ix.AsyncInvoiceXpress) -> None:
    draft = await api.invoices.create(new_document())
    sent = served.state.counts["requests"]
    with pytest.raises(ValueError, match="allowed: finalized"):
        await api.invoices.change_state(draft.id, "finalize")
    with pytest.raises(ValueError, match="unsettled"):
        await api.invoices.change_state(draft.id, "unsettled")  # credit/debit notes only
    with pytest.raises(ValueError, match="message"):
        await api.invoices.change_state(draft.id, "canceled")
    with pytest.raises(TypeError, match="state"):
        await api.invoices.change_state(draft.id, ix.DocumentStatus.FINAL)  # type: ignore
    assert served.state.counts["requests"] == sent
    with pytest.raises(ix.ValidationError, match="CantHandle"):  # the API's own refusal
        await api.invoices.change_state(draft.id, "settled")


async def test_polling_waits_out_202s(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    served.settings.pending_polls = 3
    draft = await api.invoices.create(new_document())
    await api.invoices.change_state(draft.id, "finalized")
    url = await api.invoices.qr_code_url(draft.id)
    assert len(served.state.sent_to("GET", f"/api/qr_codes/{draft.id}.json")) == 4
    assert (await api.download(url)).startswith(b"\x89PNG")


async def test_a_file_that_never_gets_ready_is_a_poll_timeout(served: Sandbox) -> None:
    served.settings.pending_polls = 10**9
    fake = FakeTime()
    policy = ix.PollPolicy(interval=1.0, max_interval=4.0, timeout=30.0)
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), clock=fake.clock,
                                     sleep=fake.sleep) as api:
        draft = await api.invoices.create(new_document())
        await api.invoices.change_state(draft.id, "finalized")
        started = fake.now
        with pytest.raises(ix.PollTimeout, match="still not ready") as info:
            await api.invoices.pdf_url(draft.id, poll=policy)
    assert fake.now - started == pytest.approx(30.0)  # gave up at the deadline, not after
    assert info.value.polls == len(served.state.sent_to("GET", f"/api/pdf/{draft.id}.json"))
    assert 8 <= info.value.polls <= 12  # growing pauses: 1, 1.5, 2.25, 3.4, 4, 4...


async def test_a_server_capping_per_page_still_delivers_every_item() -> None:
    async with Sandbox(invoices=95, max_per_page=30) as served, \
            ix.AsyncInvoiceXpress(**served.client_kwargs()) as api:
        ids = [i.id async for i in api.invoices.list(per_page=100)]
        assert ids == [served.account.invoices.facts(i).id for i in range(95)]
        clients = [c.id async for c in api.clients.list(per_page=100)]
        assert len(clients) == len(served.account.clients) > 0


async def test_download_rules(api: ix.AsyncInvoiceXpress, served: Sandbox,
                             tmp_path: Any) -> None:
    for bad in ("http://example.com/x.pdf", "ftp://x/y", "/relative.pdf",
                "https://user:pw@example.com/x.pdf"):
        with pytest.raises(ValueError, match="url"):
            await api.download(bad)
    draft = await api.invoices.create(new_document())
    await api.invoices.change_state(draft.id, "finalized")
    url = await api.invoices.pdf_url(draft.id)
    with pytest.raises(ix.DecodeError, match="max_bytes"):
        await api.download(url, max_bytes=100)
    target = await api.download_to(url, tmp_path / "invoice.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["invoice.pdf"]  # no temporary left
    assert served.state.file_queries and not any("api_key" in q
                                                 for q in served.state.file_queries)


async def test_clients_get_update_and_find(api: ix.AsyncInvoiceXpress) -> None:
    created = await api.clients.create(ix.ClientCreate(name="Loja Azul", code="AZ-1"))
    assert created.id is not None
    await api.clients.update(created.id, ix.ClientCreate(name="Loja Azul", code="AZ-1",
                                                         city="Porto"))
    assert (await api.clients.get(created.id)).city == "Porto"
    assert (await api.clients.find_by_name("Loja Azul")) == await api.clients.get(created.id)
    assert await api.clients.find_by_name("Loja") is None  # whole names only
    assert await api.clients.find_by_code("nope") is None


async def test_the_escape_hatch(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    answer = await api.request("GET", "/sequences.json")
    assert [s["serie"] for s in answer["sequences"]] == ["A", "B"]
    found = await api.request("get", "/clients/find-by-code.json",
                              params={"client_code": "C00001"})
    assert found["client"]["code"] == "C00001"
    for path in ("https://evil.example/x", "clients.json", "/a/../b", "/x.json?y=1"):
        with pytest.raises(ValueError, match="path"):
            await api.request("GET", path)
    with pytest.raises(ValueError, match="api_key"):
        await api.request("GET", "/x.json", params={"api_key": "other"})
    served.fail_next("503")
    with pytest.raises(ix.ServerError) as info:
        await api.request("POST", "/clients.json", json={"client": {"name": "A", "code": "A"}})
    assert info.value.outcome_unknown


@pytest.fixture
def sync_served() -> Iterator[Sandbox]:
    with Sandbox(invoices=5).running() as served:
        yield served


def _loop_threads() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name == "invoicexpress-portal"]


def test_two_sync_clients_share_one_pool(sync_served: Sandbox) -> None:
    pool = ix.SessionPool(limit=10)
    kwargs = sync_served.client_kwargs()
    with ix.InvoiceXpress(**kwargs, pool=pool) as a, ix.InvoiceXpress(**kwargs, pool=pool) as b:
        assert len(a.sequences.list()) == len(b.sequences.list()) == 2
        assert len(list(a.invoices.list())) == len(list(b.invoices.list())) == 5
        assert len(_loop_threads()) == 1  # one loop thread serves the pool's clients
        a.close()
        assert len(b.sequences.list()) == 2  # closing one leaves the pool to the other
    assert _loop_threads() == []  # the last one out stopped it
    with ix.InvoiceXpress(**kwargs, pool=pool) as again:  # the pool is still usable
        assert len(again.sequences.list()) == 2
    assert not pool.closed


# ---- retry safety is the operation's, not the verb's ----------------------------------------

async def _document_in(api: ix.AsyncInvoiceXpress, status: str) -> ix.Invoice:
    doc = await api.invoices.create(new_document())
    if status != "draft":
        doc = await api.invoices.change_state(doc.id, "finalized")
    return doc


async def _consume(paginator: ix.AsyncPaginator[Any]) -> list[Any]:
    return [item async for item in paginator]


# (name, HTTP method, path, call): every operation, and whether it may be sent twice
READS = ["invoices.list", "invoices.get", "invoices.pdf_url", "invoices.qr_code_url",
         "invoices.related", "invoices.update", "receipts.get", "receipts.list", "clients.list",
         "clients.get", "clients.update", "clients.find_by_name", "clients.find_by_code",
         "clients.invoices", "sequences.list", "request.GET"]
SIDE_EFFECTS = ["invoices.create", "invoices.change_state", "invoices.email",
                "invoices.add_payment", "receipts.cancel", "clients.create", "request.POST"]


async def _operation(api: ix.AsyncInvoiceXpress, name: str) -> tuple[str, str, Any]:
    """(method, path, a coroutine function performing the operation once)."""
    draft = await _document_in(api, "draft")
    final = await _document_in(api, "final")
    receipt = await api.invoices.add_payment(final.id, ix.Payment(amount=Decimal(1)))
    client = await api.clients.create(ix.ClientCreate(name=f"T {name}", code=f"T-{name}"))
    assert client.id is not None
    table: dict[str, tuple[str, str, Any]] = {
        "invoices.list": ("GET", "/invoices.json", lambda: _consume(api.invoices.list())),
        "invoices.get": ("GET", f"/invoices/{draft.id}.json", lambda: api.invoices.get(draft.id)),
        "invoices.pdf_url": ("GET", f"/api/pdf/{final.id}.json",
                             lambda: api.invoices.pdf_url(final.id)),
        "invoices.qr_code_url": ("GET", f"/api/qr_codes/{final.id}.json",
                                 lambda: api.invoices.qr_code_url(final.id)),
        "invoices.related": ("GET", f"/document/{final.id}/related_documents.json",
                             lambda: api.invoices.related(final.id)),
        "invoices.update": ("PUT", f"/invoices/{draft.id}.json",
                            lambda: api.invoices.update(draft.id, new_document("PO-NEW"))),
        "receipts.get": ("GET", f"/receipts/{receipt.id}.json",
                         lambda: api.receipts.get(receipt.id)),
        "receipts.list": ("GET", "/invoices.json", lambda: _consume(api.receipts.list())),
        "clients.list": ("GET", "/clients.json", lambda: _consume(api.clients.list())),
        "clients.get": ("GET", f"/clients/{client.id}.json", lambda: api.clients.get(client.id)),
        "clients.update": ("PUT", f"/clients/{client.id}.json", lambda: api.clients.update(
            client.id, ix.ClientCreate(name=f"T {name}", code=f"T-{name}", city="Faro"))),
        "clients.find_by_name": ("GET", "/clients/find-by-name.json",
                                 lambda: api.clients.find_by_name(f"T {name}")),
        "clients.find_by_code": ("GET", "/clients/find-by-code.json",
                                 lambda: api.clients.find_by_code(f"T-{name}")),
        "clients.invoices": ("POST", f"/clients/{client.id}/invoices.json",
                             lambda: _consume(api.clients.invoices(client.id))),
        "sequences.list": ("GET", "/sequences.json", api.sequences.list),
        "request.GET": ("GET", "/sequences.json", lambda: api.request("GET", "/sequences.json")),
        "invoices.create": ("POST", "/invoices.json", lambda: api.invoices.create(new_document())),
        "invoices.change_state": ("PUT", f"/invoices/{draft.id}/change-state.json",
                                  lambda: api.invoices.change_state(draft.id, "finalized")),
        "invoices.email": ("PUT", f"/invoices/{final.id}/email-document.json",
                           lambda: api.invoices.email(final.id, ix.EmailMessage(email="a@b.pt"))),
        "invoices.add_payment": ("POST", f"/documents/{final.id}/partial_payments.json",
                                 lambda: api.invoices.add_payment(
                                     final.id, ix.Payment(amount=Decimal(2)))),
        "receipts.cancel": ("PUT", f"/receipts/{receipt.id}/change-state.json",
                            lambda: api.receipts.cancel(receipt.id, "undo")),
        "clients.create": ("POST", "/clients.json", lambda: api.clients.create(
            ix.ClientCreate(name="New", code=f"NEW-{name}"))),
        "request.POST": ("POST", "/clients.json", lambda: api.request(
            "POST", "/clients.json", json={"client": {"name": "R", "code": "R-1"}})),
    }
    return table[name]


@pytest.mark.parametrize("name", READS)
async def test_a_read_is_retried_after_a_503(served: Sandbox, api: ix.AsyncInvoiceXpress,
                                             name: str) -> None:
    served.settings.pending_polls = 0  # files ready at once: count only the retry
    method, path, perform = await _operation(api, name)
    before = len(served.state.sent_to(method, path))
    served.fail_next("503")
    await perform()
    assert len(served.state.sent_to(method, path)) - before == 2  # the 503, then the retry


@pytest.mark.parametrize("name", SIDE_EFFECTS)
async def test_a_side_effect_is_sent_once_and_reported_unknown(
        served: Sandbox, api: ix.AsyncInvoiceXpress, name: str) -> None:
    method, path, perform = await _operation(api, name)
    before = len(served.state.sent_to(method, path))
    emails = len(served.account.invoices.emails)
    served.fail_next("503")
    with pytest.raises(ix.ServerError) as info:
        await perform()
    assert info.value.outcome_unknown
    assert len(served.state.sent_to(method, path)) - before == 1
    assert len(served.account.invoices.emails) == emails
