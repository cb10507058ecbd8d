"""Under faults it loses nothing and duplicates nothing (bounded runs; the long load run
is `nox -s reliability`)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .conftest import CANARY_KEY
from .sockets import connections_to

# 15% of requests fail, spread over every kind of fault a GET can meet
STREAM_FAULTS = {"429": 0.02, "429_retry_after": 0.02, "500": 0.02, "502": 0.02,
                 "503": 0.015, "504": 0.015, "reset": 0.02, "truncated": 0.02, "hang": 0.01}
PATIENT = ix.RetryPolicy(max_attempts=12, backoff_base=0.005, backoff_max=0.05)
QUICK_TIMEOUT = ix.Timeout(total=5, connect=1, read=0.25)


def faulty(invoices: int, **extra: Any) -> Sandbox:
    sandbox = Sandbox(invoices=invoices, faults=STREAM_FAULTS, hang_seconds=1.0,
                      api_key=CANARY_KEY, **extra)
    sandbox.settings.fault_retry_after = "0.05"
    return sandbox


def report(sandbox: Sandbox) -> dict[str, int]:
    met = {k.removeprefix("fault_"): v for k, v in sandbox.state.counts.items()
           if k.startswith("fault_")}
    print(f"\nfaults met: {dict(sorted(met.items()))}; requests: "
          f"{sandbox.state.counts['requests']}")
    return met


async def test_streaming_20000_invoices_under_15_percent_faults() -> None:
    async with faulty(20_000) as sandbox, ix.AsyncInvoiceXpress(
            **sandbox.client_kwargs(), prefetch=8, retry=PATIENT, timeout=QUICK_TIMEOUT,
            rate_limit=None) as api:
        ids = [inv.id async for inv in api.invoices.list(per_page=50)]
        met = report(sandbox)
    assert ids == list(range(500_001, 520_001))  # every invoice, exactly once, in order
    assert set(met) == set(STREAM_FAULTS)  # and every kind of fault was met on the way
    # every fault cost us a retry, but for resets on a reused keep-alive connection, which
    # aiohttp itself retries once for idempotent methods before we ever see them
    assert api.stats.retries >= sum(v for kind, v in met.items() if kind != "reset")


def test_streaming_under_faults_through_the_sync_facade() -> None:
    with faulty(5_000).running() as sandbox, ix.InvoiceXpress(
            **sandbox.client_kwargs(), prefetch=8, retry=PATIENT, timeout=QUICK_TIMEOUT,
            rate_limit=None) as api:
        ids = [inv.id for inv in api.invoices.list(per_page=25)]
        report(sandbox)
    assert ids == list(range(500_001, 505_001))


def test_export_killed_under_faults_resumes_exactly(tmp_path: Path) -> None:
    faults = {k: v for k, v in STREAM_FAULTS.items() if k != "hang"}
    with Sandbox(invoices=2_000, faults=faults, latency=0.01).running() as sandbox:
        sandbox.settings.fault_retry_after = "0.05"
        out = tmp_path / "invoices.jsonl"
        state = tmp_path / "invoices.jsonl.state.json"
        args = [sys.executable, "-m", "invoicexpress_async", "export", "invoices", "--out",
                str(out), "--per-page", "20", "--max-attempts", "20", "--checkpoint-every",
                "0", "--account-name", "sandbox", "--api-key", sandbox.api_key,
                "--base-url", sandbox.base_url]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if state.exists() and orjson.loads(state.read_bytes())["last_page"] >= 20:
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        done = subprocess.run([*args, "--resume"], capture_output=True, text=True, timeout=120)
        report(sandbox)
    assert done.returncode == 0, done.stderr
    ids = [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()]
    assert ids == list(range(500_001, 502_001))


@pytest.mark.parametrize("reconcile", [False, True])
async def test_500_creates_under_drops_and_5xx(reconcile: bool) -> None:
    faults = {"drop": 0.2, "500": 0.05, "503": 0.05}
    async with Sandbox(invoices=10, clients=5, faults=faults, seed=3) as sandbox, \
            ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), retry=PATIENT,
                                  rate_limit=None) as api:
        gate = asyncio.Semaphore(25)

        async def create(n: int) -> ix.Client | ix.InvoiceXpressError:
            async with gate:
                try:
                    return await api.clients.create(
                        ix.ClientCreate(name=f"Cliente {n}", code=f"R{n:04d}"),
                        reconcile=reconcile)
                except ix.InvoiceXpressError as error:
                    return error

        outcomes = await asyncio.gather(*(create(n) for n in range(500)))
        stored = {c["code"]: c for c in sandbox.account.clients[5:]}
    kinds = Counter(type(o).__name__ + ("?" if getattr(o, "outcome_unknown", False) else "")
                    for o in outcomes)
    print(f"\nreconcile={reconcile}: {dict(kinds)}; stored {len(stored)}")
    names = [c["name"] for c in stored.values()]
    assert len(names) == len(set(names))  # no client was created twice
    for n, outcome in enumerate(outcomes):
        code = f"R{n:04d}"
        if isinstance(outcome, ix.Client):
            assert outcome.code == code and stored[code]["id"] == str(outcome.id)
        else:
            # a definite error means "not created"; only an unknown outcome may hide one
            assert outcome.outcome_unknown or code not in stored, outcome
            assert not isinstance(outcome, ix.ValidationError)  # never a retried create
    unknown_but_created = [n for n, o in enumerate(outcomes)
                           if not isinstance(o, ix.Client) and f"R{n:04d}" in stored]
    if reconcile:
        assert unknown_but_created == []  # every dropped create was found and returned
    else:
        assert unknown_but_created  # drops happened, and were reported as unknown


async def test_reconcile_never_returns_someone_elses_client() -> None:
    async with Sandbox(invoices=10, clients=5, faults={"drop": 1.0}) as sandbox, \
            ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), rate_limit=None) as api:
        taken = sandbox.account.clients[0]
        with pytest.raises(ix.TransportError) as info:
            # the POST is refused (code taken) but its answer is dropped: outcome unknown;
            # the code exists, but under another name, so it is not "ours"
            await api.clients.create(ix.ClientCreate(name="Not them", code=taken["code"]),
                                     reconcile=True)
    assert info.value.outcome_unknown


async def test_cancelling_mid_stream_and_closing_mid_request_leave_nothing() -> None:
    async with Sandbox(invoices=2_000, latency=0.05) as sandbox:
        api = ix.AsyncInvoiceXpress(**sandbox.client_kwargs(), prefetch=8)

        async def consume() -> None:
            async for _ in api.invoices.list(per_page=10):
                pass

        task = asyncio.ensure_future(consume())
        await asyncio.sleep(0.2)
        assert [t for t in asyncio.all_tasks() if "_PageStream" in repr(t.get_coro())]
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        in_flight = asyncio.ensure_future(api.sequences.list())
        await asyncio.sleep(0.02)
        await api.aclose()  # closing the client while a request is in flight
        with pytest.raises(ix.TransportError, match="closed"):
            await in_flight
        assert api.pool.open_connections() == 0
        assert connections_to(int(sandbox.base_url.rsplit(":", 1)[1])) == 0
        mine = [t for t in asyncio.all_tasks() if "_PageStream" in repr(t.get_coro())
                or "sequences" in repr(t.get_coro())]
        assert mine == []


def test_canary_never_leaks_on_fault_paths(tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    errors: list[ix.InvoiceXpressError] = []
    with faulty(300).running() as sandbox:
        settings = sandbox.settings
        with ix.InvoiceXpress(**sandbox.client_kwargs(), retry=ix.RetryPolicy(
                max_attempts=2, backoff_base=0.001), timeout=QUICK_TIMEOUT) as api:
            for faults, call in [
                (STREAM_FAULTS, lambda: list(api.invoices.list(per_page=30))),  # retries
                ({"503": 1.0}, lambda: list(api.invoices.list(per_page=30))),  # gives up
                ({"hang": 1.0}, api.sequences.list),  # timeouts
                ({"drop": 1.0}, lambda: api.clients.create(  # unknown outcome, then
                    ix.ClientCreate(name="X", code="C00001"), reconcile=True)),  # reconcile
                ({"reset": 1.0}, lambda: api.clients.create(ix.ClientCreate(name="Y",
                                                                            code="Y1"))),
            ]:
                settings.faults = dict(faults)
                try:
                    call()
                except ix.InvoiceXpressError as error:
                    errors.append(error)
            settings.faults = {}
            texts = [repr(api)]
        cli = subprocess.run(
            [sys.executable, "-m", "invoicexpress_async", "export", "invoices", "--verbose",
             "--max-attempts", "1", "--out", str(tmp_path / "x.jsonl"), "--account-name",
             "sandbox", "--api-key", CANARY_KEY + "-wrong", "--base-url", sandbox.base_url],
            capture_output=True, text=True, timeout=60)
    assert {type(e) for e in errors} >= {ix.ServerError, ix.RequestTimeout, ix.TransportError}
    assert any(e.outcome_unknown for e in errors)
    assert cli.returncode == 1 and "401" in cli.stderr
    texts += [str(e) for e in errors] + [repr(e) for e in errors] + [cli.stdout, cli.stderr]
    assert "api_key=***" in caplog.text
    for text in [*texts, caplog.text]:
        assert CANARY_KEY not in text
