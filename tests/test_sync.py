"""The generated blocking facade: freshness, parity with the async API, and behaviour."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async import resources as async_resources
from invoicexpress_async._sync import resources as sync_resources
from invoicexpress_async.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_sync", ROOT / "scripts" / "gen_sync.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_sync"] = module
    spec.loader.exec_module(module)
    return module


gen = load_generator()


# ---- the generated tree is what the generator makes now ----------------------------------

def test_sync_tree_is_up_to_date() -> None:
    problems = gen.diff(gen.generate(), gen.current())
    assert not problems, "".join(problems) + "\nrun: nox -s generate"


def test_freshness_check_sees_changed_missing_and_extra_files() -> None:
    expected = {"a.py": "x = 1\n", "b.py": "y = 2\n"}
    actual = {"a.py": "x = 2\n", "c.py": "z = 3\n"}
    report = "".join(gen.diff(expected, actual))
    assert "-x = 2" in report and "+x = 1" in report
    assert "missing: _sync/b.py" in report
    assert "extra (not generated): _sync/c.py" in report
    assert gen.diff(expected, dict(expected)) == []


def test_generated_files_say_so() -> None:
    for path in (ROOT / "invoicexpress_async" / "_sync").rglob("*.py"):
        assert path.read_text().startswith("# GENERATED"), path


# ---- parity: every async method has a twin with the same shape ---------------------------

def _sync_text(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    return re.sub(r"\b(Async\w+)\b", lambda m: gen.sync_name(m.group(1)), text)


def _public(obj: Any) -> list[str]:
    return sorted(name for name in dir(obj) if not name.startswith("_"))


def _pairs() -> Iterator[tuple[str, Any, Any]]:
    """Every public member (inherited ones included) of every async resource and of the
    client, with its twin (None when missing)."""
    for name in async_resources.__all__:
        if not name.startswith("Async"):
            continue
        async_cls = getattr(async_resources, name)
        sync_cls = getattr(sync_resources, gen.sync_name(name), None)
        for attr in _public(async_cls):
            yield f"{name}.{attr}", getattr(async_cls, attr), getattr(sync_cls, attr, None)
    yield "AsyncInvoiceXpress.__init__", ix.AsyncInvoiceXpress.__init__, \
        ix.InvoiceXpress.__init__
    for attr in _public(ix.AsyncInvoiceXpress):
        twin = "close" if attr == "aclose" else attr
        yield f"AsyncInvoiceXpress.{attr}", getattr(ix.AsyncInvoiceXpress, attr), \
            getattr(ix.InvoiceXpress, twin, None)


PAIRS = list(_pairs())


def test_parity_covers_every_public_method() -> None:
    names = {name for name, _, _ in PAIRS}
    assert {"AsyncClients.list", "AsyncClients.create", "AsyncClients.invoices",
            "AsyncSequences.list", "AsyncInvoices.list", "AsyncInvoices.add_payment",
            "AsyncInvoices.create", "AsyncInvoiceXpress.download",
            "AsyncInvoiceXpress.request"} <= names


def test_every_instance_attribute_has_a_twin() -> None:
    """Resources are instance attributes of the client: compare instances too."""
    kwargs = {"account_name": "acme", "api_key": "k"}
    async_api, sync_api = ix.AsyncInvoiceXpress(**kwargs), ix.InvoiceXpress(**kwargs)
    try:
        mapped = {"close" if n == "aclose" else n for n in _public(async_api)}
        assert mapped <= set(_public(sync_api))
        for name in _public(async_api):
            member = getattr(async_api, name)
            if type(member).__name__.startswith("Async") and hasattr(member, "_core"):
                twin = getattr(sync_api, name)
                assert type(twin).__name__ == gen.sync_name(type(member).__name__), name
                assert set(_public(member)) == set(_public(twin)), name
    finally:
        sync_api.close()


def test_the_generator_refuses_a_shape_it_cannot_map(tmp_path: Path) -> None:
    source = tmp_path / "odd.py"
    source.write_text("class AsyncOdd(Resource):\n    def peek(self) -> int:\n"
                      "        return 1\n")
    known = gen._collect([source])
    with pytest.raises(gen.GeneratorError, match="peek"):
        gen.generate_resource(source, known)
    source.write_text("class AsyncOdd(Resource):\n    def __init__(self, core):\n"
                      "        self.limit = 3\n")
    with pytest.raises(gen.GeneratorError, match="limit"):
        gen.generate_resource(source, gen._collect([source]))


@pytest.mark.parametrize(("name", "async_fn", "sync_fn"), PAIRS, ids=[p[0] for p in PAIRS])
def test_sync_twin_has_the_same_shape(name: str, async_fn: Any, sync_fn: Any) -> None:
    assert sync_fn is not None, f"{name} has no sync twin"
    if isinstance(async_fn, property):
        assert isinstance(sync_fn, property), name
        async_fn, sync_fn = async_fn.fget, sync_fn.fget
    if not callable(async_fn):
        return
    a, s = inspect.signature(async_fn), inspect.signature(sync_fn)
    async_only = gen.ASYNC_ONLY_PARAMETERS if name == "AsyncInvoiceXpress.__init__" else ()
    assert [p for p in a.parameters if p not in async_only] == list(s.parameters)
    for param in a.parameters.values():
        if param.name in async_only:  # an application's session belongs to its own loop
            continue
        twin = s.parameters[param.name]
        assert twin.kind == param.kind, param.name
        assert twin.default == param.default, param.name
        assert _sync_text(param.annotation) == _sync_text(twin.annotation), param.name
    assert _sync_text(a.return_annotation) == _sync_text(s.return_annotation)
    if name not in ("AsyncInvoiceXpress.__init__", "AsyncInvoiceXpress.aclose"):
        assert inspect.getdoc(async_fn) == inspect.getdoc(sync_fn)
        assert not inspect.iscoroutinefunction(sync_fn)


# ---- behaviour against the sandbox -------------------------------------------------------

@pytest.fixture
def served() -> Iterator[Sandbox]:
    with Sandbox(invoices=300).running() as sandbox:
        yield sandbox


def portal_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if "invoicexpress-portal" in t.name
            or (t.name.startswith("AnyIO") and t is not threading.current_thread())]


def test_every_seed_endpoint(served: Sandbox) -> None:
    with ix.InvoiceXpress(**served.client_kwargs(), prefetch=4) as api:
        ids = [inv.id for inv in api.invoices.list(per_page=9)]
        assert ids == [served.account.invoices.facts(i).id for i in range(300)]
        sent = list(api.invoices.list(status=["sent"], per_page=50))
        assert sent and all(i.status == "final" for i in sent)
        pages = list(api.invoices.list(per_page=100).pages())
        assert [p.number for p in pages] == [1, 2, 3]
        assert pages[0].pagination == ix.Pagination(total_entries=300, current_page=1,
                                                    total_pages=3, per_page=100)
        assert [s.serie for s in api.sequences.list()] == ["A", "B"]
        created = api.clients.create(ix.ClientCreate(name="Sync Lda", code="SYNC-1"))
        assert isinstance(created.id, int)
        assert any(c.code == "SYNC-1" for c in api.clients.list(per_page=30))
        mine = list(api.clients.invoices(100_001, per_page=4))
        assert all(i.client and i.client.id == 100_001 for i in mine)
        raw = list(api.invoices.list(per_page=100, page=3).raw())
        assert raw[0]["id"] == served.account.invoices.facts(200).id


def test_errors_are_the_same_classes(served: Sandbox) -> None:
    with ix.InvoiceXpress(**served.client_kwargs()) as api:
        with pytest.raises(ix.ValidationError):
            api.clients.create(ix.ClientCreate(name="Dup", code="C00001"))
        with pytest.raises(ix.NotFoundError):
            list(api.clients.invoices(5))
        with pytest.raises(ValueError, match="per_page"):
            api.invoices.list(per_page=0)
    with ix.InvoiceXpress(account_name="x", api_key="wrong", base_url=served.base_url) as bad, \
            pytest.raises(ix.AuthenticationError):
        bad.sequences.list()


def test_early_break_cancels_in_flight_pages(served: Sandbox) -> None:
    served.settings.latency = (0.03, 0.03)
    with ix.InvoiceXpress(**served.client_kwargs(), prefetch=8) as api:
        for count, _ in enumerate(api.invoices.list(per_page=5), start=1):
            if count == 12:
                break
        import time

        time.sleep(0.1)  # what was on the wire at the break has reached the server
        sent = served.state.counts["requests"]
        # the window of the abandoned stream was cancelled: nothing more goes out
        time.sleep(0.2)
        assert served.state.counts["requests"] == sent
        assert len(api.sequences.list()) == 2  # and the client still works


def test_eight_threads_share_one_client_and_its_limit(served: Sandbox) -> None:
    with ix.InvoiceXpress(**served.client_kwargs(), rate_limit=ix.RateLimit(requests=40,
                                                                           per=0.5)) as api:
        def work(n: int) -> int:
            return len(list(api.invoices.list(per_page=30))) + len(api.sequences.list())

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(8)))
        assert results == [302] * 8
        assert api.stats.attempts == 8 * 11
        assert len(portal_threads()) == 1  # one loop thread for all eight callers
    assert portal_threads() == []


def test_use_inside_a_running_loop_warns_once_and_works(served: Sandbox) -> None:
    async def inside() -> list[int]:
        with ix.InvoiceXpress(**served.client_kwargs()) as api:
            with pytest.warns(ix.BlockingCallInEventLoopWarning, match="AsyncInvoiceXpress"):
                first = len(api.sequences.list())
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                second = len(list(api.clients.list(per_page=30)))
            return [first, second]

    async def bounded() -> list[int]:
        return await asyncio.wait_for(asyncio.to_thread(asyncio.run, inside()), timeout=20)

    assert asyncio.run(bounded()) == [2, 30]


def test_call_from_the_portal_thread_is_a_clear_error(served: Sandbox) -> None:
    with ix.InvoiceXpress(**served.client_kwargs()) as api:
        api.sequences.list()

        async def hook() -> None:
            api.sequences.list()  # a user hook calling the sync API from the loop thread

        with pytest.raises(ix.SyncInAsyncDeadlockError):
            api._runner.call(hook)


def test_close_leaves_no_thread_and_no_warning(served: Sandbox) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        api = ix.InvoiceXpress(**served.client_kwargs())
        assert portal_threads() == []  # started lazily
        api.sequences.list()
        assert len(portal_threads()) == 1
        api.close()
        api.close()
        assert portal_threads() == []
        with pytest.raises(RuntimeError, match="closed"):
            api.sequences.list()
        ix.InvoiceXpress(**served.client_kwargs()).close()  # never used: nothing to stop


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_child_after_fork_gets_a_fresh_portal(served: Sandbox) -> None:
    api = ix.InvoiceXpress(**served.client_kwargs())
    try:
        assert len(api.sequences.list()) == 2
        read, write = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
            pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                os.close(read)
                count = len(list(api.invoices.list(per_page=100)))
                os.write(write, str(count).encode())
                api.close()
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        answer = os.read(read, 100).decode()
        os.close(read)
        assert os.waitstatus_to_exitcode(status) == 0
        assert answer == "300"
        assert len(api.sequences.list()) == 2  # the parent's portal is untouched
    finally:
        api.close()
