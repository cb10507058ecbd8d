"""Every seed endpoint against the sandbox, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import datetime
from decimal import Decimal
from typing import Any

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .sockets import connections_to


def stream_tasks() -> set[asyncio.Task[object]]:
    """Tasks the SDK's paginator started (the in-loop sandbox has its own; ignore those)."""
    return {t for t in asyncio.all_tasks()
            if "_PageStream" in t.get_coro().__qualname__  # type: ignore[union-attr]
            or "athrow" in repr(t.get_coro())}


async def settled() -> set[asyncio.Task[object]]:
    """Give cancelled fetches a bounded moment to finish, then report what is left."""
    for _ in range(100):
        if not stream_tasks():
            break
        await asyncio.sleep(0.01)
    return stream_tasks()


def expected(sandbox: Sandbox, predicate: object = None) -> list[int]:
    store = sandbox.account.invoices
    return [store.facts(i).id for i in store.listed()
            if predicate is None or predicate(store.facts(i))]  # type: ignore[operator]


async def test_invoices_list_streams_every_invoice_in_order(
        sandbox: Sandbox, sandbox_api: ix.AsyncInvoiceXpress) -> None:
    ids = [inv.id async for inv in sandbox_api.invoices.list(per_page=7)]
    assert ids == expected(sandbox)  # 500 invoices over 72 pages, in page order, once each


async def test_typed_fields_match_the_wire(sandbox: Sandbox,
                                           sandbox_api: ix.AsyncInvoiceXpress) -> None:
    wire = sandbox.account.invoices.wire(0)
    first = await anext(aiter(sandbox_api.invoices.list(per_page=1)))
    assert first.id == wire["id"]
    assert isinstance(first.total, Decimal) and first.total == Decimal(str(wire["total"]))
    assert isinstance(first.date, datetime.date)
    assert first.date.strftime("%d/%m/%Y") == wire["date"]
    assert first.sequence_id == int(wire["sequence_id"])  # a string on the wire
    assert first.client is not None and first.client.id == wire["client"]["id"]
    item, wire_item = first.items[0], wire["items"][0]
    assert item.unit_price == Decimal(wire_item["unit_price"])  # a string on the wire
    assert item.tax is not None and item.tax.value == Decimal(str(wire_item["tax"]["value"]))
    assert sum((i.subtotal or 0) for i in first.items) == first.sum


async def test_prefetch_keeps_several_pages_in_flight_and_order(sandbox: Sandbox) -> None:
    sandbox.settings.latency = (0.02, 0.06)  # pages complete out of order
    in_flight = peak = 0
    async with ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), prefetch=6) as api:
        original = api._requester.send

        async def counting(request: object) -> object:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await original(request)  # type: ignore[arg-type]
            finally:
                in_flight -= 1

        api._requester.send = counting  # type: ignore[method-assign]
        pages = [p.number async for p in api.invoices.list(per_page=20).pages()]
    assert pages == list(range(1, 26))
    assert peak == 6


async def test_pages_expose_pagination(sandbox_api: ix.AsyncInvoiceXpress) -> None:
    pages = [p async for p in sandbox_api.invoices.list(per_page=100).pages()]
    assert [len(p.items) for p in pages] == [100] * 5
    assert pages[0].pagination == ix.Pagination(total_entries=500, current_page=1,
                                                total_pages=5, per_page=100)


async def test_resume_from_a_page(sandbox: Sandbox, sandbox_api: ix.AsyncInvoiceXpress) -> None:
    ids = [inv.id async for inv in sandbox_api.invoices.list(per_page=50, page=8)]
    assert ids == expected(sandbox)[350:]


async def test_early_break_leaves_nothing_running(sandbox: Sandbox) -> None:
    sandbox.settings.latency = (0.05, 0.05)
    async with ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), prefetch=8) as api:
        seen = 0
        async for _ in api.invoices.list(per_page=10):
            seen += 1
            if seen == 15:
                break
        assert await settled() == set()
        sent = sandbox.state.counts["requests"]
        await asyncio.sleep(0.2)
        assert sandbox.state.counts["requests"] == sent  # nothing goes out after the break
        # an explicitly closed page stream cancels its window at once
        stream = api.invoices.list(per_page=10).pages()
        await anext(stream)
        await anext(stream)
        assert stream_tasks()
        await stream.aclose()
        assert stream_tasks() == set()


async def test_cancelling_the_consumer_cancels_the_window(sandbox: Sandbox) -> None:
    sandbox.settings.latency = (0.05, 0.05)
    async with ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), prefetch=8) as api:
        async def consume() -> None:
            async for _ in api.invoices.list(per_page=10):
                pass

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.15)
        assert stream_tasks()  # the positive control: the window is seen while it runs
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert stream_tasks() == set()


async def test_error_mid_stream_names_the_page(sandbox: Sandbox) -> None:
    async with ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), prefetch=3,
                                     retry=ix.RetryPolicy(max_attempts=1)) as api:
        seen = []
        with pytest.raises(ix.ServerError) as info:
            async for page in api.invoices.list(per_page=50).pages():
                seen.append(page.number)
                if page.number == 3:
                    sandbox.settings.faults = {"500": 1.0}
    assert info.value.page is not None and info.value.page > 3
    assert f"page {info.value.page}" in str(info.value)


def _day(text: str) -> datetime.date:
    day, month, year = (int(part) for part in text.split("/"))
    return datetime.date(year, month, day)


def _money(value: object) -> Decimal:
    return Decimal(str(value))


# the oracles read the documents as the API renders them (not the sandbox's filter facts)
@pytest.mark.parametrize(("kwargs", "predicate"), [
    ({"status": "sent"}, lambda d: d["status"] == "final"),
    ({"status": [ix.DocumentStatus.SETTLED, "draft"]},
     lambda d: d["status"] in ("settled", "draft")),
    ({"type": ix.DocumentType.CREDIT_NOTE}, lambda d: d["type"] == "CreditNote"),
    ({"type": ["Invoice", "DebitNote"], "status": "sent"},
     lambda d: d["type"] in ("Invoice", "DebitNote") and d["status"] == "final"),
    ({"date_from": datetime.date(2024, 1, 1), "date_to": datetime.date(2024, 6, 30)},
     lambda d: datetime.date(2024, 1, 1) <= _day(d["date"]) <= datetime.date(2024, 6, 30)),
    ({"due_date_from": datetime.date(2025, 1, 1)},
     lambda d: _day(d["due_date"]) >= datetime.date(2025, 1, 1)),
    ({"total_before_taxes_from": Decimal("1000.50"), "total_before_taxes_to": 5000},
     lambda d: Decimal("1000.50") <= _money(d["before_taxes"]) <= 5000),
    ({"archived": True}, lambda d: d["archived"] is True),
    ({"non_archived": True}, lambda d: d["archived"] is False),
    ({"reference": "PO-0"}, lambda d: "po-0" in d["reference"].lower()),
])
async def test_invoice_filters(sandbox: Sandbox, sandbox_api: ix.AsyncInvoiceXpress,
                               kwargs: dict[str, object], predicate: Any) -> None:
    ids = [inv.id async for inv in sandbox_api.invoices.list(per_page=30, **kwargs)]  # type: ignore[arg-type]
    store = sandbox.account.invoices
    want = [doc["id"] for doc in (store.wire(i) for i in store.listed()) if predicate(doc)]
    assert ids == want
    assert 0 < len(want) < 500  # the filter really narrowed the set


async def test_text_filter_searches_client_and_document(sandbox: Sandbox,
                                                        sandbox_api: ix.AsyncInvoiceXpress) -> None:
    found = {inv.id: inv async for inv in sandbox_api.invoices.list(text="silva")}
    store = sandbox.account.invoices
    documents = [store.wire(i) for i in store.listed()]
    by_client = {d["id"] for d in documents if "silva" in d["client"]["name"].lower()}
    assert by_client and by_client <= set(found)  # every Silva client's document ...
    for invoice in found.values():  # ... and nothing that does not mention Silva
        assert "silva" in orjson.dumps(store.wire(invoice.id - 500_001)).decode().lower()


async def test_filters_are_sent_in_rails_bracket_form(sandbox: Sandbox) -> None:
    async with ix.AsyncInvoiceXpress(**sandbox.client_kwargs()) as api:
        sent: list[str] = []
        original = api._requester.send

        async def capture(request: Any) -> Any:
            sent.append(api._requester.display_url(request))
            return await original(request)

        api._requester.send = capture  # type: ignore[method-assign]
        async for _ in api.invoices.list(type=["Invoice", "CreditNote"], status="sent",
                                         date_from=datetime.date(2017, 9, 30),
                                         total_before_taxes_to=Decimal("500.00"),
                                         non_archived=True, archived=False, per_page=30):
            break
    query = sent[0].split("?", 1)[1]
    assert "type[]=Invoice&type[]=CreditNote&status[]=sent" in query
    assert "date[from]=30/09/2017" in query
    assert "total_before_taxes[to]=500.00" in query
    assert "non_archived=true&archived=false&page=1&per_page=30&api_key=***" in query


async def test_clients_list(sandbox: Sandbox, sandbox_api: ix.AsyncInvoiceXpress) -> None:
    clients = [c async for c in sandbox_api.clients.list(per_page=9)]
    assert [c.code for c in clients] == [c["code"] for c in sandbox.account.clients]
    assert all(isinstance(c.id, int) and isinstance(c.send_options, int) for c in clients)


async def test_clients_create_and_errors(sandbox: Sandbox,
                                         sandbox_api: ix.AsyncInvoiceXpress) -> None:
    created = await sandbox_api.clients.create(ix.ClientCreate(
        name="Padaria Lda", code="PAD-1", email="geral@padaria.pt", language="pt",
        send_options=3, preferred_contact=ix.PreferredContact(name="Ana", phone="912345678")))
    assert isinstance(created.id, int)
    assert created.send_options == 3 and created.payment_days == 0
    assert created.preferred_contact == ix.PreferredContact(name="Ana", email="",
                                                            phone="912345678", mobile="")
    assert sandbox.account.client_by_code("PAD-1") is not None
    with pytest.raises(ix.ValidationError) as info:
        await sandbox_api.clients.create(ix.ClientCreate(name="Other", code="PAD-1"))
    assert info.value.messages == ["Code has already been taken"]
    assert not info.value.outcome_unknown
    listed = [c.code async for c in sandbox_api.clients.list(per_page=30)]
    assert listed.count("PAD-1") == 1


async def test_client_invoices_with_filters(sandbox: Sandbox,
                                            sandbox_api: ix.AsyncInvoiceXpress) -> None:
    facts = [sandbox.account.invoices.facts(i) for i in range(500)]
    client_id = 100_000 + 1 + facts[0].client_index
    mine = [f for f in facts if 100_001 + f.client_index == client_id]
    ids = [i.id async for i in sandbox_api.clients.invoices(client_id, per_page=3)]
    assert ids == [f.id for f in mine]
    finals = [i async for i in sandbox_api.clients.invoices(
        client_id, status="final", archived=False, per_page=3)]
    assert [i.id for i in finals] == [f.id for f in mine
                                      if f.status == "final" and not f.archived]
    assert all(i.client and i.client.id == client_id for i in finals)


async def test_client_invoices_unknown_client_is_not_found(
        sandbox_api: ix.AsyncInvoiceXpress) -> None:
    with pytest.raises(ix.NotFoundError) as info:
        [i async for i in sandbox_api.clients.invoices(99)]
    assert info.value.page == 1


async def test_sequences_list(sandbox_api: ix.AsyncInvoiceXpress) -> None:
    sequences = await sandbox_api.sequences.list()
    assert [s.serie for s in sequences] == ["A", "B"]
    assert sequences[0].default_sequence is True and sequences[1].default_sequence is False
    assert sequences[0].current_invoice_number == 250
    assert isinstance(sequences[0].current_credit_note_sequence_id, int)


async def test_wrong_api_key_is_authentication_error(sandbox: Sandbox) -> None:
    async with ix.AsyncInvoiceXpress(account_name="sandbox", api_key="nope",
                                     base_url=sandbox.base_url) as api:
        with pytest.raises(ix.AuthenticationError) as info:
            await api.sequences.list()
    assert info.value.messages == ["Invalid API key"]


async def test_many_accounts_share_one_pool(sandbox: Sandbox) -> None:
    accounts = [sandbox.add_account(f"acct{i}", invoices=15) for i in range(20)]
    async with ix.SessionPool(limit=8) as pool:
        clients = [ix.AsyncInvoiceXpress(**sandbox.client_kwargs(a), pool=pool)
                   for a in accounts]

        async def drain(api: ix.AsyncInvoiceXpress) -> int:
            return len([i async for i in api.invoices.list(per_page=5)])

        port = int(sandbox.base_url.rsplit(":", 1)[1])
        peak = 0

        async def watch() -> None:
            nonlocal peak
            while True:
                peak = max(peak, connections_to(port))
                await asyncio.sleep(0.005)

        watcher = asyncio.ensure_future(watch())
        counts = await asyncio.gather(*(drain(c) for c in clients))
        watcher.cancel()
        assert 0 < peak <= 8  # counted by the kernel, not by aiohttp's internals
        assert pool.open_connections() == connections_to(port) <= 8
        for client in clients:
            await client.aclose()  # a client never closes a pool it was given
        assert not pool.closed
        with pytest.raises(ix.ClientClosedError, match="not sent"):
            await clients[0].sequences.list()  # a closed client sends nothing more
        again = ix.AsyncInvoiceXpress(**sandbox.client_kwargs(accounts[0]), pool=pool)
        assert await again.sequences.list()  # the pool itself still serves
    assert counts == [15] * 20
    assert pool.closed


async def test_a_server_that_ignores_page_cannot_loop_forever(api: ix.AsyncInvoiceXpress,
                                                              scripted: Any) -> None:
    doc = {"status": "final", "type": "Invoice", "date": "02/11/2026", "total": 1}
    same = {"invoices": [{**doc, "id": 1}, {**doc, "id": 2}]}
    scripted.get("/invoices.json", payload=same, repeat=True)
    with pytest.raises(ix.DecodeError, match="repeats page 1") as info:
        [i async for i in api.invoices.list(per_page=2)]
    assert info.value.page == 2
    scripted.get("/clients.json", payload={"clients": [{"id": "1", "name": "A"}], "pagination": {
        "current_page": 1, "total_pages": 9, "per_page": 1}}, repeat=True)
    with pytest.raises(ix.DecodeError, match="asked for page 2"):
        [c async for c in api.clients.list(per_page=1)]
