"""The sandbox as users meet it: the pytest fixtures, the command, the wire format."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from typing import Any

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox


def test_ix_sandbox_fixture_serves_sync_code(ix_sandbox: Sandbox) -> None:
    with ix.InvoiceXpress(**ix_sandbox.client_kwargs()) as api:
        assert len(list(api.invoices.list(per_page=50))) == 200


async def test_ix_sandbox_factory_with_knobs(ix_sandbox_factory: Any) -> None:
    sandbox = ix_sandbox_factory(invoices=40, rate_limit=(5, 60), retry_after=True)
    async with ix.AsyncInvoiceXpress(**sandbox.client_kwargs(),
                                     retry=ix.RetryPolicy(max_attempts=1)) as api:
        for _ in range(5):
            await api.sequences.list()
        with pytest.raises(ix.RateLimitError) as info:
            await api.sequences.list()
    assert info.value.retry_after is not None and 0 < info.value.retry_after <= 60


def test_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="faults"):
        Sandbox(faults={"meteor": 0.1})


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return orjson.loads(response.read())


@pytest.mark.parametrize("command", [
    ["-m", "invoicexpress_async", "sandbox"],
    ["-m", "invoicexpress_async.sandbox"],
])
def test_sandbox_command_serves_the_wire_format(command: list[str]) -> None:
    process = subprocess.Popen([sys.executable, *command, "--port", "0", "--invoices", "12"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        values = dict(process.stdout.readline().strip().split("=", 1) for _ in range(3))
        base, key = values["base_url"], values["api_key"]
        page = get(f"{base}/invoices.json?per_page=5&page=3&api_key={key}")
        clients = get(f"{base}/clients.json?api_key={key}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert page["pagination"] == {"total_entries": 12, "current_page": 3, "total_pages": 3,
                                  "per_page": 5}
    assert len(page["invoices"]) == 2
    invoice = page["invoices"][0]
    assert isinstance(invoice["client"]["id"], int)  # ints inside documents...
    assert isinstance(clients["clients"][0]["id"], str)  # ...strings in /clients
    assert isinstance(invoice["items"][0]["unit_price"], str)
    assert invoice["date"][2] == "/" and isinstance(invoice["total"], float)


def test_the_sandbox_command_prints_every_accounts_credentials() -> None:
    process = subprocess.Popen([sys.executable, "-m", "invoicexpress_async", "sandbox",
                                "--port", "0", "--invoices", "300", "--accounts", "3"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(5)]
        base = lines[0].split("=", 1)[1]
        extra = [dict(part.split("=", 1) for part in line.split()) for line in lines[3:]]
        assert [e["account_name"] for e in extra] == ["sandbox1", "sandbox2"]
        for entry in extra:  # each printed key works for its account
            found = get(f"{base}/invoices.json?per_page=1&api_key={entry['api_key']}")
            assert found["pagination"]["total_entries"] == 3
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
