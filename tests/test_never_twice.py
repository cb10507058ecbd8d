"""Side effects leave the client at most once, through every layer; recovery never lies.

Each test here is a story that was reproduced on the SDK before this file existed: the
server does the work and the answer is lost (the sandbox's ``drop`` fault), and the SDK
must neither send it again (aiohttp's own hidden re-send included) nor claim to know
what happened.
"""

from __future__ import annotations

import asyncio
import datetime
import inspect
import stat
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async.resources import _operations, admin, catalog, clients, sequences
from invoicexpress_async.resources.families import FAMILIES, operations_of
from invoicexpress_async.sandbox import Sandbox

from .conftest import FakeTime
from .new_documents import DAY, document, guide
from .redis_server import RedisServer
from .scripted import Scripted

FAST_POLL = ix.PollPolicy(interval=0.01, max_interval=0.02, timeout=5.0)
QUICK_RETRY = ix.RetryPolicy(backoff_base=0.001, backoff_max=0.01)
@pytest.fixture
async def served() -> AsyncIterator[Sandbox]:
    async with Sandbox(invoices=20, pending_polls=0) as sandbox:
        yield sandbox


@pytest.fixture
async def api(served: Sandbox) -> AsyncIterator[ix.AsyncInvoiceXpress]:
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST_POLL,
                                     retry=QUICK_RETRY) as client:
        yield client


# ---- story 1: one table, every side effect, the answer dropped after the work -------------

Perform = Callable[[], Awaitable[Any]]
Setup = Callable[[ix.AsyncInvoiceXpress], Awaitable[tuple[str, Perform]]]


async def _final(api: ix.AsyncInvoiceXpress) -> ix.Invoice:
    draft = await api.invoices.create(document())
    return await api.invoices.change_state(draft.id, "finalized")


def _side_effects() -> dict[str, tuple[str, str, Setup]]:
    """name -> (method, path template, setup returning (the concrete path, the call))."""
    account = ix.AccountCreate(organization_name="Nova", email="dono@nova.pt",
                               password="pw-123456", terms=True, tax_country=1)

    async def create(api: Any) -> tuple[str, Perform]:
        return "/invoices.json", lambda: api.invoices.create(document())

    async def quote(api: Any) -> tuple[str, Perform]:
        return "/quotes.json", lambda: api.quotes.create(document())

    async def shipping(api: Any) -> tuple[str, Perform]:
        return "/shippings.json", lambda: api.shippings.create(guide())

    async def change_state(api: Any) -> tuple[str, Perform]:
        draft = await api.invoices.create(document())
        return (f"/invoices/{draft.id}/change-state.json",
                lambda: api.invoices.change_state(draft.id, "finalized"))

    async def email(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        return (f"/invoices/{final.id}/email-document.json",
                lambda: api.invoices.email(final.id, ix.EmailMessage(email="a@b.pt")))

    async def quote_email(api: Any) -> tuple[str, Perform]:
        draft = await api.quotes.create(document())
        await api.quotes.change_state(draft.id, "finalized")
        return (f"/quotes/{draft.id}/email-document.json",
                lambda: api.quotes.email(draft.id, ix.EmailMessage(email="a@b.pt")))

    async def payment(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        return (f"/documents/{final.id}/partial_payments.json",
                lambda: api.invoices.add_payment(final.id, ix.Payment(amount=Decimal(1))))

    async def cancel(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        receipt = await api.invoices.add_payment(final.id, ix.Payment(amount=Decimal(1)))
        return (f"/receipts/{receipt.id}/change-state.json",
                lambda: api.receipts.cancel(receipt.id, "undo"))

    async def client(api: Any) -> tuple[str, Perform]:
        return "/clients.json", lambda: api.clients.create(ix.ClientCreate(name="N", code="N-1"))

    async def item(api: Any) -> tuple[str, Perform]:
        return "/items.json", lambda: api.items.create(ix.CatalogItemCreate(
            name="Novo", description="", unit_price=Decimal(1)))

    async def tax(api: Any) -> tuple[str, Perform]:
        return "/taxes.json", lambda: api.taxes.create(ix.TaxCreate(name="IVA9",
                                                                    value=Decimal(9)))

    async def sequence(api: Any) -> tuple[str, Perform]:
        return "/sequences.json", lambda: api.sequences.create(ix.SequenceCreate(serie="S27"))

    async def register(api: Any) -> tuple[str, Perform]:
        created = await api.sequences.create(ix.SequenceCreate(serie="R27"))
        return (f"/sequences/{created.id}/register.json",
                lambda: api.sequences.register(created.id))

    async def new_account(api: Any) -> tuple[str, Perform]:
        return "/api/accounts/create.json", lambda: api.accounts.create(account)

    async def existing_user(api: Any) -> tuple[str, Perform]:
        return ("/api/accounts/create_already_user.json",
                lambda: api.accounts.create_for_existing_user(account))

    async def regularization(api: Any) -> tuple[str, Perform]:
        return ("/api/v3/clients/100001/regularization.json",
                lambda: api.treasury.create_regularization(100_001, Decimal(5), DAY))

    async def movement(api: Any) -> tuple[str, Perform]:
        return ("/api/v3/clients/100001/treasury_movements.json",
                lambda: api.treasury.create_movement(100_001, ix.TreasuryMovement(
                    value=Decimal(5), movement_type="Payment", date=DAY,
                    payment_method="TB")))

    async def raw_put(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        path = f"/invoices/{final.id}/email-document.json"
        return path, lambda: api.request("PUT", path, idempotent=False,
                                         json={"message": {"client": {"email": "a@b.pt"}}})

    doc = "/{path}/{id}"
    return {
        "invoices.create": ("POST", "/{path}.json", create),
        "quotes.create": ("POST", "/{path}.json", quote),
        "shippings.create": ("POST", "/{path}.json", shipping),
        "invoices.change_state": ("PUT", f"{doc}/change-state.json", change_state),
        "invoices.email": ("PUT", f"{doc}/email-document.json", email),
        "quotes.email": ("PUT", f"{doc}/email-document.json", quote_email),
        "invoices.add_payment": ("POST", "/documents/{id}/partial_payments.json", payment),
        "receipts.cancel": ("PUT", "/receipts/{id}/change-state.json", cancel),
        "clients.create": ("POST", "/clients.json", client),
        "items.create": ("POST", "/items.json", item),
        "taxes.create": ("POST", "/taxes.json", tax),
        "sequences.create": ("POST", "/sequences.json", sequence),
        "sequences.register": ("PUT", "/sequences/{id}/register.json", register),
        "accounts.create": ("POST", "/api/accounts/create.json", new_account),
        "accounts.create_for_existing_user": ("POST", "/api/accounts/create_already_user.json",
                                              existing_user),
        "treasury.create_regularization": ("POST", "/api/v3/clients/{client}/"
                                           "regularization.json", regularization),
        "treasury.create_movement": ("POST", "/api/v3/clients/{client}/"
                                     "treasury_movements.json", movement),
        "request.PUT": ("PUT", "(any)", raw_put),
    }


SIDE_EFFECTS = _side_effects()


def _operations_sent_once() -> set[tuple[str, str]]:
    """(method, template) of every operation the SDK declares not idempotent, with the
    family paths folded to ``{path}`` (one generic resource serves them all)."""
    found = set()
    for module in (admin, catalog, clients, sequences):
        for value in vars(module).values():
            if isinstance(value, _operations.Operation) and not value.idempotent:
                found.add((value.method, value.path))
    for family in FAMILIES:
        for name in ("create", "change_state", "email", "add_payment"):
            if name in family.operations or (name == "change_state"
                                              and "cancel" in family.operations):
                operation = getattr(operations_of(family), name)
                path = operation.path.replace(f"/{family.path}/", "/{path}/")
                path = path.replace(f"/{family.path}.json", "/{path}.json")
                found.add((operation.method, path))
    return found


def test_the_table_covers_every_operation_that_is_sent_once() -> None:
    table = {(method, template.replace("/receipts/", "/{path}/"))
             for method, template, _ in SIDE_EFFECTS.values()}
    assert _operations_sent_once() <= table


@pytest.mark.parametrize("name", sorted(SIDE_EFFECTS))
async def test_a_side_effect_whose_answer_is_lost_is_sent_once(
        served: Sandbox, api: ix.AsyncInvoiceXpress, name: str) -> None:
    method, _, setup = SIDE_EFFECTS[name]
    path, perform = await setup(api)
    before = len(served.state.sent_to(method, path))
    emails = len(served.account.invoices.emails)
    served.fail_next("drop")  # the server does the work, then the connection drops
    with pytest.raises(ix.TransportError) as lost:
        await perform()
    assert lost.value.outcome_unknown
    assert len(served.state.sent_to(method, path)) - before == 1  # aiohttp sent it once too
    if name.endswith("email"):
        assert len(served.account.invoices.emails) - emails <= 1


async def test_a_finalize_whose_answer_is_lost_says_so(served: Sandbox,
                                                       api: ix.AsyncInvoiceXpress) -> None:
    draft = await api.invoices.create(document())
    served.fail_next("drop")
    with pytest.raises(ix.TransportError) as lost:  # not "CantHandle ... in state final"
        await api.invoices.change_state(draft.id, "finalized")
    assert lost.value.outcome_unknown
    assert (await api.invoices.get(draft.id)).status == "final"  # the first send did it


# ---- story 2: an idempotent delete whose answer was lost ------------------------------------

async def test_a_delete_whose_answer_was_lost_succeeds(served: Sandbox,
                                                       api: ix.AsyncInvoiceXpress) -> None:
    item = await api.items.create(ix.CatalogItemCreate(name="Velho", description="",
                                                       unit_price=Decimal(1)))
    served.fail_next("drop")  # deleted, answer lost; the retry answers 404
    await api.items.delete(item.id)
    assert len(served.state.sent_to("DELETE", f"/items/{item.id}.json")) == 2
    with pytest.raises(ix.NotFoundError):  # a delete of what never existed still says so
        await api.items.delete(item.id)


# ---- story 3: reconcile returns only what this call can be shown to have created -------------

async def test_reconcile_never_returns_a_deleted_document_of_another_client(
        served: Sandbox, api: ix.AsyncInvoiceXpress) -> None:
    old = await api.invoices.create(document("PO-SAME", code="OTHER-9"))
    await api.invoices.change_state(old.id, "deleted")
    served.fail_next("reset")  # the create never reaches the handler... but is a POST sent
    with pytest.raises(ix.TransportError) as unknown:
        await api.invoices.create(document("PO-SAME"), reconcile=True)
    assert unknown.value.outcome_unknown  # the old document is not this call's


async def test_reconcile_refuses_a_draft_with_other_lines(served: Sandbox,
                                                          api: ix.AsyncInvoiceXpress) -> None:
    await api.invoices.create(document("PO-TWIN", price="99.00"))  # same client, day, ref
    served.fail_next("reset")
    with pytest.raises(ix.TransportError) as unknown:
        await api.invoices.create(document("PO-TWIN"), reconcile=True)
    assert unknown.value.outcome_unknown


async def test_reconcile_finds_what_it_created_with_a_filtered_bounded_lookup() -> None:
    async with Sandbox(invoices=10_000, pending_polls=0) as served, \
            ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST_POLL) as api:
        served.fail_next("drop")
        before = served.state.counts["requests"]
        found = await api.invoices.create(document("PO-LOST"), reconcile=True)
        assert (found.reference, found.status) == ("PO-LOST", "draft")
        assert served.state.counts["documents_created"] == 1
        assert served.state.counts["requests"] - before <= 4  # create, one list page, get
        served.fail_next("drop")
        shipped = await api.shippings.create(guide("GT-LOST"), reconcile=True)
        assert shipped.reference == "GT-LOST"


# ---- story 4: closing wakes every waiter at once ---------------------------------------------

async def _queue_then_close(api: ix.AsyncInvoiceXpress, served: Sandbox, *, sent: int,
                            queued: int, close: Callable[[], Awaitable[None]]) -> list[Any]:
    """``sent + queued`` calls; once ``sent`` have been answered, ``close()``; the results."""
    calls = [asyncio.ensure_future(api.sequences.list()) for _ in range(sent + queued)]
    await asyncio.wait(calls[:sent])  # the limiter is FIFO: the first ones got the slots
    await asyncio.sleep(0.05)  # the rest are waiting in the limiter now
    before = served.state.counts["requests"]
    started = time.monotonic()
    await close()
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert time.monotonic() - started < 2.0  # at once, not one slot at a time (24.8 s)
    assert served.state.counts["requests"] == before  # nothing more was sent
    return results


async def test_aclose_wakes_every_queued_call_at_once() -> None:
    async with Sandbox(invoices=5) as served:
        api = ix.AsyncInvoiceXpress(**served.client_kwargs(),
                                    rate_limit=ix.RateLimit(requests=2, per=30.0))
        results = await _queue_then_close(api, served, sent=2, queued=58, close=api.aclose)
    closed = [r for r in results if isinstance(r, ix.ClientClosedError)]
    assert len(closed) == 58 and all("not sent" in str(r) for r in closed)
    assert api.stats.waiting == 0


async def test_aclose_wakes_calls_paused_by_a_429() -> None:
    async with Sandbox(invoices=5, rate_limit=(1, 30.0)) as served:  # Retry-After: 30
        api = ix.AsyncInvoiceXpress(**served.client_kwargs())
        results = await _queue_then_close(api, served, sent=1, queued=20, close=api.aclose)
    assert sum(isinstance(r, ix.ClientClosedError) for r in results) == 20


async def test_closing_one_client_of_a_shared_pool_wakes_only_its_calls() -> None:
    async with Sandbox(invoices=5) as served, ix.SessionPool() as pool:
        limit = ix.RateLimit(requests=2, per=30.0)
        api = ix.AsyncInvoiceXpress(**served.client_kwargs(), rate_limit=limit, pool=pool)
        results = await _queue_then_close(api, served, sent=2, queued=10, close=api.aclose)
        assert sum(isinstance(r, ix.ClientClosedError) for r in results) == 10
        assert not pool.closed
        other = ix.AsyncInvoiceXpress(**served.client_kwargs(served.add_account("other")),
                                      pool=pool)
        assert await other.sequences.list()  # the pool still serves its other clients


async def test_closing_returns_shared_slots(redis_url: str, redis_server: RedisServer) -> None:
    limit = ix.RateLimit(requests=2, per=30.0,
                         store=ix.RedisStore(redis_url, prefix="ix-close"))
    async with Sandbox(invoices=5) as served:
        api = ix.AsyncInvoiceXpress(**served.client_kwargs(), rate_limit=limit)
        results = await _queue_then_close(api, served, sent=2, queued=10, close=api.aclose)
    assert sum(isinstance(r, ix.ClientClosedError) for r in results) == 10
    (done,) = [key.decode() for key in redis_server.command("KEYS", "*").split()
               if key.endswith(b":done")]
    inflight = done.replace(":done", ":inflight")
    assert redis_server.command("ZCARD", inflight).strip() == b":0"  # none left taken
    assert redis_server.command("ZCARD", done).strip() == b":2"  # only the two sent


# ---- story 5: Redis dies mid-run --------------------------------------------------------------

async def test_the_fallback_limiter_starts_from_what_went_through_redis() -> None:
    server = RedisServer().start()
    try:
        limit = ix.RateLimit(requests=10, per=2.0, store=ix.RedisStore(
            server.url, prefix="ix-fallback", retry_interval=60.0))
        async with Sandbox(invoices=5, rate_limit=(10, 2.0), retry_after=False) as served, \
                ix.AsyncInvoiceXpress(**served.client_kwargs(), rate_limit=limit) as api:
            await asyncio.gather(*(api.sequences.list() for _ in range(10)))
            server.stop()  # a full window went through Redis; now this process is alone
            await asyncio.gather(*(api.sequences.list() for _ in range(10)))
            assert served.state.counts["requests"] == 20
            assert served.state.counts["429_limit"] == 0  # not a second window at once
    finally:
        server.stop()


# ---- story 6: a fork with a store -------------------------------------------------------------

FORKED = """
import asyncio, os, sys
import invoicexpress_async as ix
base, name, key, url = sys.argv[1:5]
limit = ix.RateLimit(requests=2, per=0.3, store=ix.RedisStore(url, prefix="ix-fork"))
api = ix.AsyncInvoiceXpress(account_name=name, api_key=key, base_url=base, rate_limit=limit)

async def several():  # more than the limit at once: the limiter's lock and event get used
    return len(await asyncio.gather(*(api.sequences.list() for _ in range(4))))

asyncio.run(several())  # the parent's loop, session, locks and Redis connection
pid = os.fork()
if pid == 0:
    async def child():
        try:
            print("child:", await several(), flush=True)
        except Exception as exc:
            print("child failed:", type(exc).__name__, exc, flush=True)
        finally:
            await api.aclose()
    asyncio.run(child())
    os._exit(0)
os.waitpid(pid, 0)
asyncio.run(api.aclose())
"""


def test_a_forked_child_with_a_store_sends_its_own_requests(redis_url: str) -> None:
    with Sandbox(invoices=5).running() as served:
        done = subprocess.run([sys.executable, "-c", FORKED, served.base_url,
                               served.account_name, served.api_key, redis_url],
                              capture_output=True, text=True, timeout=60)
        assert "child: 4" in done.stdout, done.stdout + done.stderr  # not a bare RuntimeError
        assert served.state.counts["requests"] == 8  # the parent's, then the child's


# ---- story 10: downloads --------------------------------------------------------------------

@pytest.mark.parametrize("target", ["http://files.example.com/x.pdf",
                                    "https://user:pw@files.example.com/x.pdf",
                                    "ftp://files.example.com/x.pdf"])
async def test_a_redirect_that_breaks_the_url_rule_is_our_error(
        make_api: Callable[..., ix.AsyncInvoiceXpress], scripted: Scripted, target: str) -> None:
    scripted.get("/x.pdf", status=302, headers={"Location": target})
    with pytest.raises(ix.TransportError, match="redirect") as info:
        await make_api().download(f"{scripted.base_url}/x.pdf")
    assert "pw" not in str(info.value)


async def test_downloads_after_close_raise_client_closed(
        make_api: Callable[..., ix.AsyncInvoiceXpress], scripted: Scripted,
        tmp_path: Path) -> None:
    api = make_api()
    await api.aclose()
    with pytest.raises(ix.ClientClosedError):
        await api.download(f"{scripted.base_url}/x.pdf")
    with pytest.raises(ix.ClientClosedError):
        await api.download_to(f"{scripted.base_url}/x.pdf", tmp_path / "x.pdf")
    assert _listing(tmp_path) == [] and scripted.requests == []


async def test_a_downloaded_file_gets_the_mode_open_would_give(
        make_api: Callable[..., ix.AsyncInvoiceXpress], scripted: Scripted,
        tmp_path: Path) -> None:
    scripted.get("/x.pdf", body=b"%PDF-1.4")
    saved = await make_api().download_to(f"{scripted.base_url}/x.pdf", tmp_path / "x.pdf")
    assert _mode(saved) == _mode(_opened(tmp_path / "plain"))  # 0644 under umask 022


def _listing(folder: Path) -> list[Path]:
    return list(folder.iterdir())


def _opened(path: Path) -> Path:
    with open(path, "w"):
        return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_downloads_follow_the_retry_after_rule_of_api_calls(
        make_api: Callable[..., ix.AsyncInvoiceXpress], scripted: Scripted,
        fake_time: FakeTime) -> None:
    scripted.get("/x.pdf", status=503, headers={"Retry-After": "1e9"})
    with pytest.raises(ix.ServerError):
        await make_api().download(f"{scripted.base_url}/x.pdf")
    assert fake_time.sleeps == [] and len(scripted.requests) == 1  # raised at once
    scripted.get("/y.pdf", status=503, headers={"Retry-After": "2"})
    scripted.get("/y.pdf", body=b"ok")
    assert await make_api().download(f"{scripted.base_url}/y.pdf") == b"ok"
    assert fake_time.sleeps == [2.0]


# ---- story 11: input that would go out wrong -------------------------------------------------

def test_an_aware_loading_time_is_sent_in_lisbon_time() -> None:
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    sent = guide(loaded_at=datetime.datetime(2026, 1, 15, 10, 0, tzinfo=tokyo))
    body = _operations.write("POST", "/shippings.json", request_root="shipping").body(sent)
    assert body["shipping"]["loaded_at"] == "15/01/2026 01:00:00"  # 01:00 UTC, winter
    summer = guide(loaded_at=datetime.datetime(2026, 7, 15, 10, 0, tzinfo=tokyo))
    body = _operations.write("POST", "/shippings.json", request_root="shipping").body(summer)
    assert body["shipping"]["loaded_at"] == "15/07/2026 02:00:00"  # WEST, UTC+1


async def test_json_that_cannot_be_sent_exactly_is_refused(api: ix.AsyncInvoiceXpress,
                                                           served: Sandbox) -> None:
    before = served.state.counts["requests"]
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="json"):
            await api.request("POST", "/clients.json", json={"client": {"amount": bad}})
    assert served.state.counts["requests"] == before


async def test_text_arguments_are_capped(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    before = served.state.counts["requests"]
    with pytest.raises(ValueError, match="name must be at most 1000"):
        await api.clients.find_by_name("x" * 10**6)
    with pytest.raises(ValueError, match="code must be at most 1000"):
        await api.clients.find_by_code("x" * 1001)
    assert served.state.counts["requests"] == before


def test_the_table_names_real_methods() -> None:
    api = ix.AsyncInvoiceXpress(account_name="acme", api_key="k")
    for name in SIDE_EFFECTS:
        resource, method = name.split(".")
        if resource != "request":
            assert inspect.iscoroutinefunction(getattr(getattr(api, resource), method)), name
