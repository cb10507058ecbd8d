"""The surface users of the best SDKs reach for: list helpers, per-call options, hooks,
logging switched on from the environment, the models as plain data."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox


@pytest.fixture
async def served() -> AsyncIterator[Sandbox]:
    async with Sandbox(invoices=95) as sandbox:
        yield sandbox


@pytest.fixture
async def api(served: Sandbox) -> AsyncIterator[ix.AsyncInvoiceXpress]:
    async with ix.AsyncInvoiceXpress(**served.client_kwargs()) as client:
        yield client


# ---- list helpers ----------------------------------------------------------------------------

async def test_first_is_one_request(served: Sandbox, api: ix.AsyncInvoiceXpress) -> None:
    before = served.state.counts["requests"]
    first = await api.invoices.list(per_page=10).first()
    assert first is not None and first.id == 500_001
    assert served.state.counts["requests"] - before == 1
    assert await api.invoices.list(reference="no such reference").first() is None


async def test_to_list_stops_at_its_limit(served: Sandbox, api: ix.AsyncInvoiceXpress) -> None:
    before = served.state.counts["requests"]
    some = await api.invoices.list(per_page=10).to_list(limit=15)
    assert [i.id for i in some] == list(range(500_001, 500_016))
    assert served.state.counts["requests"] - before == 2  # pages 1 and 2, no more
    everything = await api.invoices.list(per_page=10).to_list()
    assert len(everything) == 95 and await api.invoices.list().to_list(limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        await api.invoices.list().to_list(limit=-1)


async def test_count_is_the_servers_total(served: Sandbox, api: ix.AsyncInvoiceXpress) -> None:
    before = served.state.counts["requests"]
    assert await api.invoices.list(per_page=10).count() == 95
    assert served.state.counts["requests"] - before == 1
    assert await api.invoices.list(status="draft").count() == len(
        [i async for i in api.invoices.list(status="draft", per_page=100)])


def test_the_blocking_paginator_has_the_same_helpers() -> None:
    with Sandbox(invoices=12).running() as served, \
            ix.InvoiceXpress(**served.client_kwargs()) as api:
        listing = api.invoices.list(per_page=5)
        first = listing.first()
        assert first is not None and first.id == 500_001
        assert len(listing.to_list(limit=7)) == 7 and listing.count() == 12
    for name in ("first", "to_list", "count"):
        a = inspect.signature(getattr(ix.AsyncPaginator, name))
        s = inspect.signature(getattr(ix.Paginator, name))
        assert list(a.parameters) == list(s.parameters), name
        assert inspect.getdoc(getattr(ix.AsyncPaginator, name)).split("\n")[0] == \
            inspect.getdoc(getattr(ix.Paginator, name)).split("\n")[0]  # type: ignore[union-attr]




# ---- models as plain data ------------------------------------------------------------------

async def test_to_dict_is_what_the_export_writes_and_from_dict_its_inverse(
        api: ix.AsyncInvoiceXpress) -> None:
    from invoicexpress_async.export.formats import as_dict

    invoice = await api.invoices.get(500_003)
    data = ix.to_dict(invoice)
    assert data == as_dict(invoice)  # the typed export's row, exactly
    assert isinstance(data["total"], str) and data["date"].count("-") == 2
    assert orjson.loads(ix.to_json(invoice)) == data
    assert ix.from_dict(ix.Invoice, data) == invoice  # and back
    native = ix.to_dict(invoice, mode="python")
    assert native["total"] == invoice.total and native["date"] == invoice.date
    assert ix.from_dict(ix.Invoice, native) == invoice
    kept = ix.from_dict(ix.Invoice, {**data, "brand_new": [1, 2]})
    assert kept.extra == {"brand_new": [1, 2]} and ix.to_dict(kept)["brand_new"] == [1, 2]
    with pytest.raises(TypeError, match="model"):
        ix.to_dict({"not": "a model"})
    with pytest.raises(ValueError, match="mode"):
        ix.to_dict(invoice, mode="yaml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^id: "):
        ix.from_dict(ix.Invoice, {**data, "id": "seven"})
