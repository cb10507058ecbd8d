"""What the generated sync facade runs on: one event loop thread per sync client.

Each :class:`InvoiceXpress` owns one anyio blocking portal (an asyncio loop on
a background thread), started on first use and reused for every call, so the
aiohttp session, connector and limiter all live in that one loop. ``close()``
stops the thread. After ``os.fork()`` the child gets a fresh portal and a fresh
async client instead of the parent's dead thread.

This module is hand-written; ``_sync/`` is generated from the async sources by
``scripts/gen_sync.py`` and only calls into it.
"""

from __future__ import annotations

import _thread
import asyncio
import contextlib
import functools
import os
import threading
import warnings
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

import anyio
from anyio.from_thread import BlockingPortal

from ._transport import SessionPool
from ._transport.stats import TransportStats
from .errors import ClientClosedError, InvoiceXpressError, SyncInAsyncDeadlockError
from .pagination import AsyncPaginator, Page
from .raw import AsyncRawResources, RawResponse

T = TypeVar("T")
A = TypeVar("A", bound="_AsyncClient")


class BlockingCallInEventLoopWarning(RuntimeWarning):
    """A sync facade call was made from a thread that runs an event loop.

    It works (the call runs on the facade's own loop thread), but it blocks the
    calling loop meanwhile; async code should use ``AsyncInvoiceXpress`` instead.
    """


class _LoopThread:
    """An asyncio loop on a daemon thread, reachable through an anyio ``BlockingPortal``.

    Started by hand rather than with ``start_blocking_portal()``: that one is a
    generator context manager whose cleanup, if it ever ran in a forked child,
    would wait forever for a loop thread that does not exist there.
    """

    def __init__(self) -> None:
        ready = threading.Event()
        self.portal: BlockingPortal | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.failure: BaseException | None = None

        async def serve() -> None:
            async with BlockingPortal() as portal:
                self.portal = portal
                self.loop = asyncio.get_running_loop()
                ready.set()
                await portal.sleep_until_stopped()

        def run() -> None:
            try:
                anyio.run(serve, backend="asyncio")
            except BaseException as exc:  # surfaced to the caller waiting on `ready`
                self.failure = exc
                ready.set()

        self.pid = os.getpid()
        self.thread = threading.Thread(target=run, name="invoicexpress-portal", daemon=True)
        self.thread.start()
        ready.wait()
        if self.portal is None:
            raise RuntimeError("could not start the InvoiceXpress event loop thread") \
                from self.failure
        self.ident: int = self.portal.call(threading.get_ident)

    def stop(self) -> None:
        assert self.portal is not None
        self.portal.call(self.portal.stop)
        self.thread.join()


# a forked child keeps the parent's loop objects referenced, so that nothing of theirs
# is finalized in a process where their thread never existed
_LEFT_BEHIND_BY_FORK: list[object] = []


class _SharedLoops:
    """One loop thread per :class:`SessionPool` given to blocking clients.

    A pool's session lives in one event loop, so every blocking client of a
    shared pool runs on the same loop thread. The last one to close releases
    the pool's connections (the pool stays usable) and stops the thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loops: weakref.WeakKeyDictionary[SessionPool, tuple[_LoopThread, set[int], int]] \
            = weakref.WeakKeyDictionary()

    def join(self, pool: SessionPool, member: int) -> _LoopThread:
        with self._lock:
            found = self._loops.get(pool)
            if found is None or found[2] != os.getpid() or not found[0].thread.is_alive():
                found = (_LoopThread(), set(), os.getpid())
                self._loops[pool] = found
            found[1].add(member)
            return found[0]

    def leave(self, pool: SessionPool, member: int) -> bool:
        """Whether ``member`` was the last client on the pool's loop thread."""
        with self._lock:
            found = self._loops.get(pool)
            if found is None:
                return True
            found[1].discard(member)
            if found[1]:
                return False
            del self._loops[pool]
            return True


_SHARED_LOOPS = _SharedLoops()


class _AsyncClient(Protocol):
    account_name: str
    base_url: str
    _owns_pool: bool

    @property
    def stats(self) -> TransportStats: ...

    @property
    def pool(self) -> SessionPool: ...

    async def aclose(self) -> None: ...


class Runner(Generic[A]):
    """Owns the portal and the async client behind one sync client."""

    def __init__(self, factory: Callable[[], A], parent: Runner[A] | None = None) -> None:
        self._factory = factory
        self._parent = parent  # a derived client (with_options) runs on its parent's loop
        self._client = factory()  # checks the arguments now, in the caller's thread
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._loop: _LoopThread | None = None
        self._finalizer: weakref.finalize[..., Any] | None = None
        self._warned = False
        self._closed = False

    def derive(self, make: Callable[[A], A]) -> Runner[A]:
        """A runner for ``make(this client)`` on this runner's loop thread: closing it
        closes only that client; the thread stays this runner's."""
        return Runner(lambda: make(self.client), parent=self)

    @property
    def client(self) -> A:
        """The async client (a new one in a child process after ``fork``)."""
        self._after_fork()
        return self._client

    @property
    def started(self) -> bool:
        """Whether the loop thread runs (and so has work of this client to clean up)."""
        return self._loop is not None and self._loop.thread.is_alive() and not self._closed

    def _after_fork(self) -> None:
        if os.getpid() != self._pid:
            # the parent's loop thread does not exist here: start over, lazily
            self._pid = os.getpid()
            self._lock = threading.Lock()
            if self._loop is not None:  # with the client whose session lives in it
                _LEFT_BEHIND_BY_FORK.append((self._loop, self._client, self._finalizer))
                self._loop = None
                self._finalizer = None
            self._client = self._factory()

    def _ready_loop(self) -> _LoopThread:
        self._after_fork()
        if self._closed:
            raise ClientClosedError("this InvoiceXpress client is closed")
        if self._parent is not None:
            return self._parent._ready_loop()
        if self._loop is not None and threading.get_ident() == self._loop.ident:
            raise SyncInAsyncDeadlockError(
                "a blocking InvoiceXpress method was called from the client's own event loop"
                " thread (e.g. from a hook); it would wait for itself forever. Use the async"
                " client (AsyncInvoiceXpress) there.")
        if not self._warned and _loop_running_here():
            self._warned = True
            warnings.warn(
                "InvoiceXpress (blocking) was called from a thread running an event loop;"
                " it works but blocks that loop: use AsyncInvoiceXpress in async code",
                BlockingCallInEventLoopWarning, stacklevel=4)
        with self._lock:
            if self._loop is None:
                shared = not self._client._owns_pool
                self._loop = _SHARED_LOOPS.join(self._client.pool, id(self)) if shared \
                    else _LoopThread()
                # a client dropped without close() still stops its thread (at the latest
                # at exit); the finalizer holds the loop and the async client, not us
                self._finalizer = weakref.finalize(self, _shut_down, self._loop, self._client,
                                                   id(self) if shared else None)
            return self._loop

    def call(self, function: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
        """Run ``function(*args, **kwargs)`` on the client's loop and wait for it.

        Every blocking call pays two thread hand-offs; this keeps them as cheap as
        they get: a task started in the portal's asyncio loop and a bare lock the
        loop releases when it is done (``portal.call`` and ``run_coroutine_threadsafe``
        add 85 and 30 µs per call: see benchmarks/sync_facade.py).
        """
        runner = self._ready_loop()
        loop = runner.loop
        assert loop is not None
        done = _thread.allocate_lock()
        done.acquire()
        outcome: list[asyncio.Task[T] | BaseException] = []

        def start() -> None:
            try:
                task = loop.create_task(_awaited(function, args, kwargs))
            except BaseException as exc:  # the loop is closing: report, never hang
                outcome.append(exc)
                done.release()
                return
            outcome.append(task)
            task.add_done_callback(lambda _: done.release())

        loop.call_soon_threadsafe(start)
        try:
            while not done.acquire(timeout=1.0):
                if not runner.thread.is_alive():
                    raise self._stopped()
        except BaseException:  # Ctrl-C while waiting: stop the work in the loop too
            if runner.thread.is_alive():
                loop.call_soon_threadsafe(_cancel, outcome)
            raise
        result = outcome[0]
        if isinstance(result, BaseException):
            raise self._stopped() if self._closed else result
        try:
            return result.result()
        except asyncio.CancelledError:
            if self._closed:  # close() stopped the loop under this call
                raise self._stopped() from None
            raise

    def _stopped(self) -> InvoiceXpressError:
        if self._closed:
            return ClientClosedError("the InvoiceXpress client was closed during this call")
        return InvoiceXpressError("the InvoiceXpress event loop thread has stopped")

    def close(self) -> None:
        """Close the async client in its loop, then stop the loop thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if os.getpid() != self._pid:
            return  # a child never started the parent's portal: nothing of ours to stop
        if self._parent is not None:  # the loop is the parent's: close only this client
            loop = self._parent._loop
            if loop is not None and loop.thread.is_alive() and loop.portal is not None:
                loop.portal.call(self._client.aclose)
            return
        if self._finalizer is not None:
            self._finalizer()  # once only, whoever calls it first


def _shut_down(loop: _LoopThread, client: _AsyncClient, member: int | None) -> None:
    """Close ``client`` in its loop, then stop the loop thread unless other blocking
    clients of the same shared pool (``member`` is this one's id) still use it."""
    if os.getpid() != loop.pid or not loop.thread.is_alive():
        return
    last = member is None or _SHARED_LOOPS.leave(client.pool, member)
    try:
        assert loop.portal is not None
        loop.portal.call(client.aclose)
        if member is not None and last:
            loop.portal.call(client.pool.release)
    finally:
        if last:
            loop.stop()


def _cancel(outcome: list[Any]) -> None:
    if outcome and isinstance(outcome[0], asyncio.Task):
        outcome[0].cancel()


async def _awaited(function: Callable[..., Awaitable[T]], args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> T:
    return await function(*args, **kwargs)


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _next_page(stream: AsyncIterator[Page[Any]]) -> Page[Any] | None:
    try:
        return await anext(stream)
    except StopAsyncIteration:
        return None


class Paginator(Generic[T]):
    """Every item of every page, in page order: ``for item in paginator``.

    The blocking twin of :class:`~invoicexpress_async.AsyncPaginator`: pages are
    fetched (and prefetched) on the client's loop thread; leaving the loop early
    cancels what is in flight.
    """

    def __init__(self, runner: Runner[Any], paginator: AsyncPaginator[T]) -> None:
        self._runner = runner
        self._paginator = paginator

    def __repr__(self) -> str:
        return repr(self._paginator).replace("AsyncPaginator", "Paginator", 1)

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def pages(self) -> Iterator[Page[T]]:
        """Page by page, each with its :class:`~invoicexpress_async.Pagination`."""
        stream = self._paginator.pages()
        try:
            while (page := self._runner.call(_next_page, stream)) is not None:
                yield page
        finally:
            if self._runner.started:  # a closed client already stopped what was in flight
                with contextlib.suppress(InvoiceXpressError):
                    self._runner.call(stream.aclose)

    def raw(self) -> Paginator[dict[str, Any]]:
        """The same stream with items as the API sent them (dicts)."""
        return Paginator(self._runner, self._paginator.raw())

    def first(self) -> T | None:
        """The first item of the list (one request), or None when it is empty."""
        return self._runner.call(self._paginator.first)

    def to_list(self, limit: int | None = None) -> list[T]:
        """Every item (or the first ``limit``) in a list; stops fetching once it has them."""
        return self._runner.call(self._paginator.to_list, limit)

    def count(self) -> int:
        """How many items the list holds: the server's ``total_entries``, from one request
        (counted page by page only when the API sends no total)."""
        return self._runner.call(self._paginator.count)


class SyncClientBase(Generic[A]):
    """The parts of every sync client that are not generated: lifetime and identity."""

    _runner: Runner[A]

    def __repr__(self) -> str:
        client = self._runner.client
        return (f"{type(self).__name__}(account_name={client.account_name!r},"
                f" base_url={client.base_url!r}, api_key=***)")

    def close(self) -> None:
        """Close the connections and stop the loop thread. Safe to call twice."""
        self._runner.close()

    @property
    def with_raw_response(self) -> RawResources:
        """This client's resources with methods that return :class:`RawResponse` (status,
        headers, redacted URL, ``.parse()``) instead of the model, e.g.
        ``api.with_raw_response.invoices.get(1)``. Lists have no raw form."""
        return RawResources(self._runner)

    def __enter__(self: SyncClientSelf) -> SyncClientSelf:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


SyncClientSelf = TypeVar("SyncClientSelf", bound=SyncClientBase[Any])


class RawResources:
    """The blocking ``with_raw_response``: the async one's calls, run on the loop thread."""

    def __init__(self, runner: Runner[Any]) -> None:
        self._runner = runner

    def __getattr__(self, name: str) -> Any:
        found = getattr(AsyncRawResources(self._runner.client), name)
        if callable(found):  # api.request
            return functools.partial(self._runner.call, found)
        return _RawMethods(self._runner, name)


class _RawMethods:
    def __init__(self, runner: Runner[Any], resource: str) -> None:
        self._runner = runner
        self._resource = resource

    def __getattr__(self, name: str) -> Callable[..., RawResponse[Any]]:
        method = getattr(getattr(AsyncRawResources(self._runner.client), self._resource), name)
        return functools.partial(self._runner.call, method)
