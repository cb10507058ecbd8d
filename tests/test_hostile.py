"""Hostile servers and hostile input (each numbered story of the issue is a test here).

A hostile server is a small aiohttp.web app on loopback that does one bad thing;
the canary key must never come back out, memory must stay bounded, and every
failure must be one of our errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import gzip
import json
import os
import subprocess
import sys
import threading
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

# a key with a space and characters that percent- and form-encoding change
SPICY = "CaNaRy k3y+/é&=Zq"
FORMS = {SPICY, quote(SPICY, safe=""), quote(SPICY, safe="").lower(), quote_plus(SPICY),
         quote_plus(SPICY).lower()}
ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "invoicexpress_async"]


def assert_no_key(*texts: str) -> None:
    for text in texts:
        for form in FORMS:
            assert form.lower() not in text.lower(), (form, text[:300])


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@contextlib.asynccontextmanager
async def hostile(handler: Handler) -> AsyncIterator[str]:
    """Serve ``handler`` for every path on loopback; yield the base URL."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


def client(base_url: str, **kwargs: Any) -> ix.AsyncInvoiceXpress:
    options: dict[str, Any] = {"account_name": "acme", "api_key": SPICY, "base_url": base_url,
                               "retry": ix.RetryPolicy(max_attempts=1)}
    options.update(kwargs)
    return ix.AsyncInvoiceXpress(**options)


def rendered(error: BaseException) -> str:
    """What error trackers show: the whole chain, with every frame's locals."""
    return "".join(traceback.TracebackException.from_exception(
        error, capture_locals=True).format())


# ---- 1. the account name cannot redirect the key ---------------------------------------------

@pytest.mark.parametrize("name", ["127.0.0.1:18443/#", "evil.example/x?", "user@evil.example/",
                                  "a.b", "-acme", "acme-", "x" * 64, "ac me", "acme\n"])
def test_account_name_must_be_a_dns_label(name: str) -> None:
    with pytest.raises(ValueError, match="account_name"):
        ix.AsyncInvoiceXpress(account_name=name, api_key=SPICY)
    assert ix.AsyncInvoiceXpress(account_name="acme-2", api_key="k").base_url == \
        "https://acme-2.app.invoicexpress.com"


async def test_an_account_name_from_the_environment_cannot_redirect_the_cli() -> None:
    async with Sandbox(invoices=3) as trap:
        port = trap.base_url.rsplit(":", 1)[1]
        env = {**os.environ, "INVOICEXPRESS_ACCOUNT_NAME": f"127.0.0.1:{port}/#",
               "INVOICEXPRESS_API_KEY": SPICY}
        done = await asyncio.to_thread(subprocess.run, [*CLI, "export", "invoices", "--out", "-",
                                                        "--quiet"],
                                       env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert "account_name" in done.stderr or "account-name" in done.stderr
        assert trap.state.counts["requests"] == 0  # nothing, let alone the key, went there


# ---- 2. a server that echoes the key -----------------------------------------------------------

async def echo_key(request: web.Request) -> web.StreamResponse:
    key = request.query.get("api_key", "")
    if request.path == "/sequences.json":
        return web.json_response({"errors": {"error": f"Invalid API key {key}"
                                                      f" ({request.path_qs})"}}, status=401)
    if request.path == "/clients.json":
        return web.json_response({"errors": [f"Code {quote(key)} is taken",
                                             f"Name {quote(key).lower()} {quote_plus(key)}"]},
                                 status=422, reason=f"Bad {quote_plus(key)}")
    return web.Response(status=502, content_type="text/html",
                        text=f"<html><p>upstream said api_key={key} / {quote_plus(key)}</p></html>")


async def test_a_server_echoing_the_key_never_gets_it_shown() -> None:
    async with hostile(echo_key) as base, client(base) as api:
        errors: list[ix.InvoiceXpressError] = []
        for call in (api.sequences.list(), api.clients.create(ix.ClientCreate(name="A", code="A")),
                     api.request("GET", "/other.json")):
            try:
                await call
            except ix.InvoiceXpressError as error:
                errors.append(error)
    assert [type(e) for e in errors] == [ix.AuthenticationError, ix.ValidationError,
                                         ix.ServerError]
    assert errors[0].messages[0].startswith("Invalid API key ***")  # the message survives
    for error in errors:
        assert isinstance(error, ix.APIError)
        assert_no_key(str(error), repr(error), repr(error.messages), repr(error.body),
                      str(error.url), rendered(error))


async def test_the_cli_never_prints_an_echoed_key(tmp_path: Path) -> None:
    async with hostile(echo_key) as base:
        env = {**os.environ, "INVOICEXPRESS_ACCOUNT_NAME": "acme", "INVOICEXPRESS_API_KEY": SPICY}
        for number, extra in enumerate(([], ["--verbose"])):
            done = await asyncio.to_thread(
                subprocess.run, [*CLI, "export", "invoices", "--out",
                                 str(tmp_path / f"x{number}.jsonl"),
                                 "--base-url", base, "--max-attempts", "1", "--quiet", *extra],
                env=env, capture_output=True, text=True, timeout=60)
            assert done.returncode == 1
            assert "502" in done.stderr
            assert_no_key(done.stderr, done.stdout)


# ---- 3. and 4. bodies that are too deep or too large --------------------------------------------

async def test_a_deeply_nested_error_body_is_an_api_error() -> None:
    deep = b'{"errors":' * 1000 + b'"x"' + b"}" * 1000

    async def nested(request: web.Request) -> web.StreamResponse:
        return web.Response(body=deep, status=500, content_type="application/json")

    async with hostile(nested) as base, client(base) as api:
        with pytest.raises(ix.ServerError) as info:
            await api.clients.create(ix.ClientCreate(name="A", code="A"), reconcile=True)
    assert info.value.outcome_unknown  # still known to be unknown: reconcile looked
    assert len(repr(info.value.body)) < 10_000 and len(str(info.value)) < 3_000


async def test_an_endless_body_stops_at_max_response_bytes() -> None:
    sent: list[int] = []

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            for _ in range(4_000):  # bounded: 256 MB at the most
                await response.write(b"[" * 65_536)
                sent.append(1)
        return response

    async with hostile(endless) as base, client(base, max_response_bytes=1 << 20) as api:
        with pytest.raises(ix.DecodeError, match="max_response_bytes"):
            await api.sequences.list()
    assert len(sent) < 200  # the client hung up after about a megabyte


async def test_a_gzip_bomb_is_counted_after_decompression() -> None:
    bomb = gzip.compress(b" " * (64 << 20), compresslevel=9)  # 64 MiB of spaces, ~64 KB

    async def inflating(request: web.Request) -> web.StreamResponse:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip",
                                                "Content-Type": "application/json"})

    async with hostile(inflating) as base, client(base, max_response_bytes=1 << 20) as api:
        with pytest.raises(ix.DecodeError, match="max_response_bytes"):
            await api.sequences.list()


async def test_a_huge_error_message_is_truncated() -> None:
    async def shouting(request: web.Request) -> web.StreamResponse:
        return web.json_response({"errors": {"error": "x" * 5_000_000}}, status=422)

    async with hostile(shouting) as base, client(base) as api:
        with pytest.raises(ix.ValidationError) as info:
            await api.sequences.list()
    assert len(str(info.value)) < 5_000 and len(repr(info.value)) < 5_000


# ---- 5. tracebacks with locals --------------------------------------------------------------

async def test_cancellation_and_timeouts_leave_no_key_in_traceback_locals() -> None:
    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.json_response({"sequences": []})

    async with hostile(slow) as base:
        async with client(base) as api:
            task = asyncio.ensure_future(api.sequences.list())
            await asyncio.sleep(0.1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError) as cancelled:
                await task
            assert_no_key(rendered(cancelled.value))
            with pytest.raises(TimeoutError) as waited:
                await asyncio.wait_for(api.sequences.list(), 0.1)
            assert_no_key(rendered(waited.value))
        async with client(base, timeout=ix.Timeout(total=0.1)) as api:
            with pytest.raises(ix.RequestTimeout) as timed_out:
                await api.sequences.list()
            assert_no_key(rendered(timed_out.value))
    # the positive control: the same rendering does show a key held in a local
    try:
        key_in_a_local = SPICY
        raise RuntimeError("control")
    except RuntimeError as control:
        assert key_in_a_local in rendered(control)


# ---- 6. a shared pool never shares cookies ------------------------------------------------------

async def test_a_shared_pool_keeps_no_cookies_between_accounts() -> None:
    async with Sandbox(invoices=3) as served, ix.SessionPool() as pool:
        other = served.add_account("other", invoices=3)
        # a host name, not an IP: cookie jars keep no cookies for IP addresses
        base = "http://localhost:" + served.base_url.rsplit(":", 1)[1]
        async with ix.AsyncInvoiceXpress(**{**served.client_kwargs(), "base_url": base},
                                         pool=pool) as a, \
                ix.AsyncInvoiceXpress(**{**served.client_kwargs(other), "base_url": base},
                                      pool=pool) as b:
            await a.sequences.list()
            await b.sequences.list()
            await a.sequences.list()
        assert served.state.cookies_seen  # the sandbox did set cookies ...
        assert all(cookie == "" for _, cookie in served.state.cookies_seen)  # ... none came back


# ---- 7. numbers bounded before sending ----------------------------------------------------------

async def test_numbers_are_bounded_before_sending() -> None:
    api = ix.AsyncInvoiceXpress(account_name="acme", api_key="k")
    with pytest.raises(ValueError, match="per_page"):
        api.invoices.list(per_page=10**9)
    with pytest.raises(ValueError, match="client_id"):
        api.clients.invoices(10**40)
    with pytest.raises(ValueError, match="document_id"):
        await api.invoices.get(2**63)
    with pytest.raises(ValueError, match="total_before_taxes_from"):
        api.invoices.list(total_before_taxes_from=Decimal("1e300000000"))
    with pytest.raises(ValueError, match="amount"):
        ix.Payment(amount=Decimal("1e300000000"))
    with pytest.raises(TypeError, match="keepalive_timeout"):
        ix.SessionPool(keepalive_timeout="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_response_bytes"):
        ix.AsyncInvoiceXpress(account_name="acme", api_key="k",
                              max_response_bytes="big")  # type: ignore[arg-type]


# ---- 8. a refused base URL is not repeated with its secrets ----------------------------------

@pytest.mark.parametrize("url", [f"http://user:{quote(SPICY)}@evil.example/",
                                 f"http://evil.example/?api_key={quote(SPICY)}",
                                 f"https://evil.example/#{quote(SPICY)}"])
def test_a_refused_base_url_is_not_echoed_with_its_secrets(url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as info:
        ix.AsyncInvoiceXpress(account_name="acme", api_key="k", base_url=url)
    assert_no_key(str(info.value))


# ---- 9. the sync facade's lifetime ------------------------------------------------------------

def _loop_threads() -> int:
    return sum(t.name == "invoicexpress-portal" for t in threading.enumerate())


def test_close_wakes_iterating_threads_with_one_clear_error() -> None:
    with Sandbox(invoices=2_000, latency=0.02).running() as served:
        api = ix.InvoiceXpress(**served.client_kwargs(), rate_limit=None)
        outcomes: list[BaseException | None] = []
        started = threading.Barrier(5)

        def iterate() -> None:
            started.wait()
            try:
                for _ in api.invoices.list(per_page=5):
                    pass
                outcomes.append(None)
            except BaseException as error:
                outcomes.append(error)

        threads = [threading.Thread(target=iterate) for _ in range(4)]
        for thread in threads:
            thread.start()
        started.wait()
        threading.Event().wait(0.3)
        api.close()
        for thread in threads:
            thread.join(10)
    assert len(outcomes) == 4
    assert all(isinstance(o, ix.ClientClosedError) for o in outcomes), outcomes
    assert _loop_threads() == 0


def test_an_unclosed_sync_client_stops_its_thread_when_dropped() -> None:
    with Sandbox(invoices=3).running() as served:
        api = ix.InvoiceXpress(**served.client_kwargs())
        assert len(api.sequences.list()) == 2
        assert _loop_threads() == 1
        del api
        gc.collect()
        assert _loop_threads() == 0


def test_a_half_read_list_at_exit_prints_nothing() -> None:
    script = (
        "import sys, invoicexpress_async as ix\n"
        "api = ix.InvoiceXpress(account_name='sandbox', api_key=sys.argv[1],"
        " base_url=sys.argv[2])\n"
        "rows = iter(api.invoices.list(per_page=10))\n"
        "print(next(rows).id)\n")  # and exits without close(), in the middle of the list
    with Sandbox(invoices=100, latency=0.01).running() as served:
        done = subprocess.run([sys.executable, "-c", script, served.api_key, served.base_url],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


# ---- 10. the sandbox answers bad input with 4xx, never 500 --------------------------------------

QUERY_KEYS = ["page", "per_page", "type[]", "status[]", "date[from]", "due_date[to]",
              "total_before_taxes[from]", "total_before_taxes[to]", "archived", "non_archived",
              "text", "reference", "second_copy"]
odd_text = st.one_of(st.sampled_from(["NaN", "-Infinity", "1e999999", "9" * 40, "", "[]",
                                      "31/02/2024", "-1", "0", "%00", "null"]),
                     st.text(max_size=12))


@pytest.fixture(scope="module")
def fuzzed() -> Any:
    with Sandbox(invoices=30).running() as served:
        yield served


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.tuples(st.sampled_from(QUERY_KEYS), odd_text), max_size=5),
       body=st.one_of(st.none(), st.binary(max_size=20), st.recursive(
           st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                     st.floats(allow_nan=False)),
           lambda inner: st.one_of(st.lists(inner, max_size=3),
                                   st.dictionaries(st.sampled_from(
                                       ["filter", "status", "by_type", "archived", "invoice",
                                        "client", "items", "date", "partial_payment", "amount",
                                        "message", "state", "proprietary_uid"]),
                                       inner, max_size=4)), max_leaves=10)),
       target=st.sampled_from([("GET", "/invoices.json"), ("GET", "/clients.json"),
                               ("POST", "/clients/100001/invoices.json"),
                               ("POST", "/invoices.json"), ("POST", "/clients.json"),
                               ("PUT", "/invoices/500001.json"),
                               ("PUT", "/invoices/500001/change-state.json"),
                               ("PUT", "/invoices/500001/email-document.json"),
                               ("POST", "/documents/500001/partial_payments.json"),
                               ("GET", "/api/pdf/500001.json"), ("PUT", "/clients/100001.json"),
                               ("GET", "/document/x/related_documents.json")]))
def test_the_sandbox_never_answers_500_to_bad_input(fuzzed: Sandbox, query: list[Any],
                                                    body: Any, target: tuple[str, str]) -> None:
    method, path = target
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()

    async def send() -> int:
        async with aiohttp.ClientSession() as session, session.request(
                method, fuzzed.base_url + path, params=[*query, ("api_key", fuzzed.api_key)],
                data=data) as response:
            await response.read()
            return response.status

    status = asyncio.run(send())
    assert status < 500, (method, path, query, body)
