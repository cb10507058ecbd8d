"""The surface users of the best SDKs reach for: list helpers, per-call options, hooks,
logging switched on from the environment, the models as plain data."""

from __future__ import annotations

import gzip
import inspect
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest
from aiohttp import web

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .forward_proxy import ForwardProxy
from .new_documents import document


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


# ---- hooks, the User-Agent, logging from the environment, error headers ---------------------

class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, object]] = []

    def on_request(self, info: ix.RequestInfo) -> None:
        self.seen.append(("request", info))

    async def on_response(self, info: ix.ResponseInfo) -> None:  # async hooks are awaited
        self.seen.append(("response", info))


async def test_hooks_are_told_of_every_attempt_without_the_key(served: Sandbox) -> None:
    recorder = Recorder()
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), hooks=[recorder],
                                     retry=ix.RetryPolicy(backoff_base=0.001)) as api:
        served.fail_next("503")
        await api.invoices.get(500_002)
        with pytest.raises(ix.NotFoundError):
            await api.invoices.get(1)
    kinds = [(kind, info.attempt, getattr(info, "status", None))
             for kind, info in recorder.seen]
    assert kinds == [("request", 1, None), ("response", 1, 503), ("request", 2, None),
                     ("response", 2, 200), ("request", 1, None), ("response", 1, 404)]
    first = recorder.seen[1][1]
    assert isinstance(first, ix.ResponseInfo)
    assert (first.method, first.template, first.account) == ("GET", "/invoices/{id}.json",
                                                              served.account_name)
    assert first.elapsed >= 0 and first.headers["Content-Type"].startswith("application/json")
    assert served.api_key not in repr(recorder.seen)
    with pytest.raises(TypeError, match=r"hooks\[0\] has neither"):
        ix.AsyncInvoiceXpress(**served.client_kwargs(), hooks=[object()])


async def test_a_hook_that_fails_fails_the_call_and_frees_the_slot(served: Sandbox) -> None:
    class Broken:
        def on_request(self, info: ix.RequestInfo) -> None:
            raise RuntimeError("audit log is down")

    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), hooks=[Broken()],
                                     rate_limit=ix.RateLimit(requests=1, per=60)) as api:
        with pytest.raises(RuntimeError, match="audit log"):
            await api.sequences.list()
        assert served.state.counts["requests"] == 0 and api.stats.waiting == 0


async def test_the_user_agent_names_the_sdk_or_what_the_caller_says(served: Sandbox) -> None:
    async with ix.AsyncInvoiceXpress(**served.client_kwargs()) as api:
        await api.sequences.list()
    agents = served.state.user_agents
    assert agents[-1].startswith(f"invoicexpress-async/{ix.__version__} Python/")
    assert " aiohttp/" in agents[-1]
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), user_agent="shop/2.1") as api:
        await api.sequences.list()
    assert served.state.user_agents[-1] == "shop/2.1"
    with pytest.raises(ValueError, match="user_agent"):
        ix.AsyncInvoiceXpress(**served.client_kwargs(), user_agent="a\r\nX-Evil: 1")


def test_invoicexpress_log_turns_logging_on_without_code(tmp_path: object) -> None:
    script = ("import asyncio, invoicexpress_async as ix\n"
              "from invoicexpress_async.sandbox import Sandbox\n"
              "async def main():\n"
              "    async with Sandbox(invoices=3) as s, \\\n"
              "            ix.AsyncInvoiceXpress(**s.client_kwargs()) as a:\n"
              "        await a.sequences.list()\n"
              "        print(s.api_key)\n"
              "asyncio.run(main())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "INVOICEXPRESS_LOG": "debug"})
    key = done.stdout.strip()
    assert done.returncode == 0, done.stderr
    assert "invoicexpress_async DEBUG GET" in done.stderr and "api_key=***" in done.stderr
    assert key and key not in done.stderr
    quiet = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=60, env={k: v for k, v in os.environ.items()
                                            if k != "INVOICEXPRESS_LOG"})
    assert "DEBUG" not in quiet.stderr


async def test_api_errors_carry_the_answers_headers(served: Sandbox,
                                                    api: ix.AsyncInvoiceXpress) -> None:
    with pytest.raises(ix.NotFoundError) as missing:
        await api.invoices.get(1)
    assert missing.value.headers["Content-Type"].startswith("application/json")


# ---- proxies ----------------------------------------------------------------------------------

async def test_a_proxy_given_to_the_pool_carries_every_request(served: Sandbox) -> None:
    async with ForwardProxy() as proxy, ix.SessionPool(proxy=proxy.url) as pool, \
            ix.AsyncInvoiceXpress(**served.client_kwargs(), pool=pool) as api:
        assert len(await api.invoices.list(per_page=50).to_list()) == 95
        assert proxy.forwarded[0].startswith("GET 127.0.0.1:") and len(proxy.forwarded) == 2
    with pytest.raises(ValueError, match="proxy must be an http"):
        ix.SessionPool(proxy="socks5://127.0.0.1:1080")
    assert "s3cret" not in repr(ix.SessionPool(proxy="http://user:s3cret@proxy.local:3128"))


async def test_trust_env_takes_the_proxy_from_the_environment(
        served: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    async with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with ix.SessionPool(trust_env=True) as pool, \
                ix.AsyncInvoiceXpress(**served.client_kwargs(), pool=pool) as api:
            await api.sequences.list()
        assert len(proxy.forwarded) == 1
        async with ix.AsyncInvoiceXpress(**served.client_kwargs()) as api:
            await api.sequences.list()  # the default pool does not read the environment
        assert len(proxy.forwarded) == 1


def test_the_pool_refuses_to_turn_verification_off() -> None:
    import ssl

    relaxed = ssl.create_default_context()
    relaxed.check_hostname = False
    relaxed.verify_mode = ssl.CERT_NONE
    with pytest.raises(ValueError, match="verify"):
        ix.SessionPool(ssl=relaxed)
    with pytest.raises(TypeError, match="ssl"):
        ix.SessionPool(ssl=False)  # type: ignore[arg-type]
    ix.SessionPool(ssl=ssl.create_default_context())  # a private CA's context is fine


# ---- the application's own session ------------------------------------------------------------

def _traced() -> tuple[aiohttp.TraceConfig, list[str]]:
    """A trace config that notes every request started through it (as aiohttp's
    OpenTelemetry instrumentation would see them)."""
    seen: list[str] = []

    async def started(session: object, context: object,
                      params: aiohttp.TraceRequestStartParams) -> None:
        # aiohttp 3.10 shows the verb as the SDK hands it over: in lower case, the way to
        # keep that release from re-sending it (the request line is upper case)
        seen.append(f"{params.method.upper()} {params.url.path}")

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(started)
    return trace, seen


async def test_a_client_runs_on_the_applications_session_and_never_closes_it(
        served: Sandbox) -> None:
    trace, seen = _traced()
    async with aiohttp.ClientSession(trace_configs=[trace]) as application:
        async with ix.AsyncInvoiceXpress(**served.client_kwargs(), session=application) as api:
            assert (await api.invoices.list(per_page=50).count()) == 95
            assert api.pool.open_connections() == 1  # the application's connector's socket
        assert seen == ["GET /invoices.json"]  # its trace configs saw our request
        assert not application.closed  # ours to use still
        async with application.get(served.base_url + "/sequences.json",
                                   params={"api_key": served.api_key}) as answer:
            assert answer.status == 200
        with pytest.raises(ValueError, match="session= or pool="):
            ix.AsyncInvoiceXpress(**served.client_kwargs(), session=application,
                                  pool=ix.SessionPool())
        with pytest.raises(ValueError, match="limit cannot be given with session="):
            ix.SessionPool(limit=10, session=application)
    with pytest.raises(ValueError, match="session is closed"):
        ix.SessionPool(session=application)
    with pytest.raises(TypeError, match=r"session must be an aiohttp\.ClientSession"):
        ix.SessionPool(session="http://x")  # type: ignore[arg-type]


async def test_a_session_closed_under_the_client_is_our_error(served: Sandbox) -> None:
    application = aiohttp.ClientSession()
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), session=application) as api:
        await api.sequences.list()
        await application.close()
        with pytest.raises(ix.ClientClosedError, match="session= is closed"):
            await api.sequences.list()


async def test_the_applications_session_never_re_sends_a_side_effect(served: Sandbox) -> None:
    async with aiohttp.ClientSession() as application, \
            ix.AsyncInvoiceXpress(**served.client_kwargs(), session=application) as api:
        draft = await api.invoices.create(document())
        final = await api.invoices.change_state(draft.id, "finalized")
        path = f"/invoices/{final.id}/email-document.json"
        served.fail_next("drop")  # the email goes out, the answer is lost
        with pytest.raises(ix.TransportError) as lost:
            await api.invoices.email(final.id, ix.EmailMessage(email="ana@example.pt"))
        assert lost.value.outcome_unknown
        assert len(served.state.sent_to("PUT", path)) == 1  # aiohttp did not send it again
        async with application.get(served.base_url + "/sequences.json") as answer:
            assert answer.status == 401  # the session still works (it has no key of ours)


async def test_compressed_answers_are_read_once_on_a_decompressing_session() -> None:
    body = orjson.dumps({"sequences": [{"id": 7, "serie": "2026", "default_sequence": 1}]})

    async def gzipped(request: web.Request) -> web.StreamResponse:
        return web.Response(body=gzip.compress(body), headers={
            "Content-Encoding": "gzip", "Content-Type": "application/json"})

    app = web.Application()
    app.router.add_get("/sequences.json", gzipped)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        async with aiohttp.ClientSession(auto_decompress=True) as application, \
                ix.AsyncInvoiceXpress("acme", "k" * 20, base_url=f"http://{host}:{port}",
                                      session=application) as api:
            assert [s.id for s in await api.sequences.list()] == [7]
    finally:
        await runner.cleanup()


# ---- per-call options ---------------------------------------------------------------------

async def test_with_options_is_the_same_account_with_other_options(served: Sandbox) -> None:
    served.settings.latency = (0.3, 0.3)
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(),
                                     retry=ix.RetryPolicy(max_attempts=1)) as api:
        hurried = api.with_options(timeout=ix.Timeout(total=None, connect=1, read=0.05))
        with pytest.raises(ix.RequestTimeout):
            await hurried.sequences.list()
        assert await api.sequences.list()  # the parent keeps its own timeout
        assert hurried.pool is api.pool and hurried.timeout.read == 0.05
        assert api.with_options(prefetch=2).prefetch == 2 and api.prefetch == 4
        assert api.pool.stats.attempts == 2  # one account, one limiter: both counted
        other = api.with_options(retry=ix.RetryPolicy(max_attempts=5))
    with pytest.raises(ix.ClientClosedError):  # closing the parent ends derived clients too
        await other.sequences.list()


def test_the_blocking_client_has_with_options() -> None:
    with Sandbox(invoices=3).running() as served, \
            ix.InvoiceXpress(**served.client_kwargs()) as api:
        served.settings.latency = (0.3, 0.3)
        hurried = api.with_options(timeout=ix.Timeout(total=None, connect=1, read=0.05),
                                   retry=ix.RetryPolicy(max_attempts=1))
        with pytest.raises(ix.RequestTimeout):
            hurried.sequences.list()
        assert api.sequences.list()
        hurried.close()  # closes only the derived client
        assert api.sequences.list()
        with pytest.raises(ix.ClientClosedError):
            hurried.sequences.list()


# ---- raw responses ------------------------------------------------------------------------

async def test_a_raw_response_has_the_answer_and_the_model(served: Sandbox,
                                                           api: ix.AsyncInvoiceXpress) -> None:
    raw = await api.with_raw_response.invoices.get(500_004)
    assert isinstance(raw, ix.RawResponse) and raw.status == 200
    assert raw.headers["Content-Type"].startswith("application/json")
    assert "api_key=***" in raw.url and served.api_key not in raw.url + repr(raw)
    assert raw.parse() == await api.invoices.get(500_004)
    created = await api.with_raw_response.clients.create(ix.ClientCreate(name="R", code="R-1"))
    assert created.status == 201 and created.parse().name == "R"
    served.settings.pending_polls = 2  # polled: the answer is the last one, the ready one
    pdf = await api.with_options(poll=ix.PollPolicy(interval=0.01)).with_raw_response \
        .invoices.pdf_url(500_004)
    assert pdf.status == 200 and pdf.parse().startswith("http")
    escape = await api.with_raw_response.request("GET", "/sequences.json")
    assert escape.status == 200 and "sequences" in escape.parse()
    with pytest.raises(AttributeError, match="no raw form"):
        api.with_raw_response.invoices.list  # noqa: B018 - lists stream many answers
    with pytest.raises(ix.NotFoundError) as missing:  # errors are the plain call's
        await api.with_raw_response.invoices.get(1)
    assert missing.value.status == 404


def test_the_blocking_client_has_raw_responses() -> None:
    with Sandbox(invoices=3).running() as served, \
            ix.InvoiceXpress(**served.client_kwargs()) as api:
        raw = api.with_raw_response.invoices.get(500_001)
        assert raw.status == 200 and raw.parse().id == 500_001
        assert api.with_raw_response.request("GET", "/sequences.json").status == 200
