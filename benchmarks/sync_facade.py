"""Figure 8: the sync facade's cost per call, and one portal per client vs per call."""

from __future__ import annotations

import asyncio
import time

import invoicexpress_async as ix

from ._common import Figure, Server, interleaved, sandbox_process

CALLS = 400


def async_calls(server: Server) -> float:
    async def main() -> float:
        async with ix.AsyncInvoiceXpress(**server.client_kwargs(), rate_limit=None) as api:
            await api.sequences.list()  # connect first, like the sync side
            started = time.perf_counter()
            for _ in range(CALLS):
                await api.sequences.list()
            return time.perf_counter() - started
    return asyncio.run(main())


def sync_calls(server: Server) -> float:
    with ix.InvoiceXpress(**server.client_kwargs(), rate_limit=None) as api:
        api.sequences.list()
        started = time.perf_counter()
        for _ in range(CALLS):
            api.sequences.list()
        return time.perf_counter() - started


def portal_per_call(server: Server, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        with ix.InvoiceXpress(**server.client_kwargs(), rate_limit=None) as api:
            api.sequences.list()
    return time.perf_counter() - started


def portal_per_client(server: Server, calls: int) -> float:
    started = time.perf_counter()
    with ix.InvoiceXpress(**server.client_kwargs(), rate_limit=None) as api:
        for _ in range(calls):
            api.sequences.list()
    return time.perf_counter() - started


def run() -> list[Figure]:
    with sandbox_process("--invoices", "100") as server:
        a, s = interleaved(5, lambda: async_calls(server), lambda: sync_calls(server))
        per_call = portal_per_call(server, 100)
        per_client = portal_per_client(server, 100)
    ratio = s / a
    return [
        Figure("8a", "Sync facade per call vs async (sequences.list)",
               f"{ratio:.2f}x ({s / CALLS * 1e6:.0f} µs vs {a / CALLS * 1e6:.0f} µs)",
               "<= 1.5x", ratio <= 1.5),
        Figure("8b", "One portal per client vs one per call (100 calls)",
               f"per client {per_client:.2f} s, per call {per_call:.2f} s"
               f" ({per_call / per_client:.1f}x slower)", "per client faster",
               per_client < per_call),
    ]
