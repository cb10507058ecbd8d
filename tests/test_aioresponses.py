"""aioresponses stays a first-class way to test code that uses the SDK: a user who mocks
the API with it gets our models and our typed errors.

aioresponses cannot build responses on aiohttp 3.14 (its ``ClientResponse`` needs a
``stream_writer``): there this file is skipped, and ``nox -s aioresponses`` runs it on
the aiohttp releases aioresponses supports. Use it for unit tests of one call; the
sandbox for flows and faults (the testing guide says when).
"""

from __future__ import annotations

import re
from decimal import Decimal

import aiohttp
import pytest

import invoicexpress_async as ix

aioresponses_module = pytest.importorskip("aioresponses")
if tuple(int(part) for part in aiohttp.__version__.split(".")[:2]) >= (3, 14):
    pytest.skip("aioresponses cannot build responses on aiohttp >= 3.14 (nox -s aioresponses"
                " runs this file on the versions it supports)", allow_module_level=True)

BASE = "https://acme.app.invoicexpress.com"
INVOICE = {"id": 7, "status": "final", "type": "Invoice", "date": "02/11/2026",
           "due_date": "02/12/2026", "total": 61.5, "currency": "Euro",
           "client": {"id": 3, "name": "Padaria"},
           "items": [{"name": "Pão", "unit_price": "12.50", "quantity": 4}]}


def _client() -> ix.AsyncInvoiceXpress:
    return ix.AsyncInvoiceXpress("acme", "secret-key-123456", retry=ix.RetryPolicy(
        max_attempts=2, backoff_base=0.001, backoff_max=0.002))


async def test_a_mocked_answer_becomes_our_model() -> None:
    with aioresponses_module.aioresponses() as mocked:
        mocked.get(re.compile(rf"{BASE}/invoices/7\.json.*"), payload={"invoice": INVOICE})
        async with _client() as api:
            invoice = await api.invoices.get(7)
    assert invoice.total == Decimal("61.5") and invoice.date.isoformat() == "2026-11-02"
    assert invoice.items[0].unit_price == Decimal("12.50")


async def test_a_mocked_error_becomes_our_error_without_the_key() -> None:
    with aioresponses_module.aioresponses() as mocked:
        mocked.get(re.compile(rf"{BASE}/invoices/8\.json.*"), status=404,
                   payload={"errors": [{"error": "Document not found"}]})
        async with _client() as api:
            with pytest.raises(ix.NotFoundError) as raised:
                await api.invoices.get(8)
    assert "Document not found" in str(raised.value)
    assert "secret-key-123456" not in str(raised.value)


async def test_a_mocked_dropped_connection_is_our_transport_error() -> None:
    with aioresponses_module.aioresponses() as mocked:
        mocked.get(re.compile(rf"{BASE}/sequences\.json.*"),
                   exception=aiohttp.ServerDisconnectedError(), repeat=True)
        async with _client() as api:
            with pytest.raises(ix.TransportError):
                await api.sequences.list()
