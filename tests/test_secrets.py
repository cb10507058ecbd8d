"""A canary api key must never show up in logs, errors or reprs, whatever happens."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .conftest import CANARY_KEY
from .scripted import Scripted


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert CANARY_KEY not in text
        assert CANARY_KEY.lower() not in text.lower()


async def test_canary_never_leaks(make_api: Any, scripted: Scripted,
                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="invoicexpress_async")
    api = make_api(retry=ix.RetryPolicy(max_attempts=2),
                   timeout=ix.Timeout(total=None, connect=1.0, read=0.3))
    failures: list[Exception] = []
    scenarios: list[dict[str, Any]] = [
        {"status": 401, "payload": {"errors": {"error": "Invalid API key"}}},
        {"status": 404, "body": f"no such key {CANARY_KEY}".encode()},
        {"status": 500}, {"status": 500},
        {"fault": "reset"}, {"fault": "reset"},
        {"fault": "hang"}, {"fault": "hang"},
        {"status": 429, "headers": {"Retry-After": "9999"}},
        {"body": b"{not json"},
        {"payload": {"wrong": []}},
    ]
    for options in scenarios:
        scripted.get("/sequences.json", **options)
    for _ in range(9):
        try:
            await api.sequences.list()
        except ix.InvoiceXpressError as exc:
            failures.append(exc)
    scripted.post("/clients.json", fault="truncate")
    try:
        await api.clients.create(ix.ClientCreate(name="A", code="A"))
    except ix.InvoiceXpressError as exc:
        failures.append(exc)
    scripted.get("/invoices.json", status=503)
    scripted.get("/invoices.json", status=503)
    try:
        [i async for i in api.invoices.list()]
    except ix.InvoiceXpressError as exc:
        failures.append(exc)
    assert len(failures) == 11
    texts = [str(e) for e in failures] + [repr(e) for e in failures]
    texts += [str(getattr(e, "url", "")) for e in failures]
    texts += [str(getattr(e, "body", "")) for e in failures]
    assert_clean(*texts, repr(api), str(api), repr(api.pool), caplog.text)
    assert "api_key=***" in caplog.text  # the DEBUG lines are there, redacted
    assert caplog.text.count("attempt") >= 15  # one line per attempt


async def test_canary_never_leaks_against_the_sandbox(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, aiohttp's included
    faults = {"500": 0.3, "reset": 0.2}
    retry = ix.RetryPolicy(max_attempts=10, backoff_base=0.001)
    async with Sandbox(invoices=30, api_key=CANARY_KEY, faults=faults) as sb, \
            ix.AsyncInvoiceXpress(**sb.client_kwargs(), retry=retry) as api:
        ids = [i.id async for i in api.invoices.list(per_page=5)]
        assert len(ids) == 30
        assert_clean(repr(api), caplog.text)


def test_secret_repr() -> None:
    from invoicexpress_async._transport.redact import Secret, redact_url

    assert repr(Secret(CANARY_KEY)) == "***"
    assert redact_url(f"https://a/b.json?page=1&api_key={CANARY_KEY}&x=1") == \
        "https://a/b.json?page=1&api_key=***&x=1"
