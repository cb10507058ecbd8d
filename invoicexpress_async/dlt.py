"""A dlt source: InvoiceXpress accounts loaded into DuckDB, PostgreSQL or any dlt destination.

``pip install 'invoicexpress-async[dlt]'``, then::

    import dlt
    from invoicexpress_async.dlt import invoicexpress_source

    pipeline = dlt.pipeline("invoicexpress", destination="duckdb", dataset_name="ix")
    pipeline.run(invoicexpress_source(accounts=[{"account_name": "acme",
                                                 "api_key": "..."}]))

One table per kind (``invoices``, ``estimates``, ``guides``, ``clients``, ``items``,
``taxes``, ``sequences``), keyed on ``(account, id)`` and merged, so a re-run never
duplicates a row; a document's line items are the child table ``<kind>__items``
(dlt's nesting, joined on ``_dlt_parent_id``). Money is decimal, days are dates,
fields the SDK does not model are kept as columns of their own. Documents load
incrementally (see ``loading/incremental.py``): the state lives in the destination
with dlt's own. Every account streams through one connection pool with its own
rate limit; ``concurrency`` accounts at a time.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any

import dlt
from dlt.sources import DltResource

from ._transport import SessionPool
from .client import AsyncInvoiceXpress
from .errors import NotFoundError
from .export.kinds import KINDS, Kind
from .loading.columns import column_hints
from .loading.incremental import Memory, Tally, scans
from .resources.families import attribute_for_type
from .serialize import to_dict

logger = logging.getLogger("invoicexpress_async")

DEFAULT_KINDS = tuple(KINDS)


@dlt.source(name="invoicexpress")
def invoicexpress_source(accounts: Sequence[Mapping[str, Any]],
                         kinds: Iterable[str] = DEFAULT_KINDS, *, lookback_days: int = 30,
                         per_page: int = 100, concurrency: int = 8,
                         pool: SessionPool | None = None,
                         client_options: Mapping[str, Any] | None = None) -> list[DltResource]:
    """One dlt resource per kind, over every account of ``accounts``.

    ``accounts`` holds what :class:`~invoicexpress_async.AsyncInvoiceXpress` takes for
    each account (``account_name``, ``api_key``, ``base_url``: ``Sandbox.client_kwargs()``
    is one; ``{}`` is the account of the ``INVOICEXPRESS_*`` environment variables).
    ``lookback_days`` is how far before the latest document day each run reads again.
    ``pool`` shares a :class:`SessionPool` of the caller's (its ``stats`` count the
    requests); ``client_options`` go to every client (``rate_limit``, ``retry``...).
    """
    chosen = _kinds(kinds)
    if not accounts:
        raise ValueError("accounts must name at least one account")
    for index, account in enumerate(accounts):
        if not isinstance(account, Mapping):
            raise TypeError(f"accounts[{index}] must be a mapping of AsyncInvoiceXpress"
                            f" arguments, got {type(account).__name__}")
    if isinstance(lookback_days, bool) or not isinstance(lookback_days, int) \
            or lookback_days < 0:
        raise ValueError(f"lookback_days must be an int >= 0, got {lookback_days!r}")
    streams = _Streams(list(accounts), pool=pool, per_page=per_page,
                       concurrency=concurrency, options=dict(client_options or {}),
                       lookback=datetime.timedelta(days=lookback_days))
    return [_resource(streams, kind) for kind in chosen]


def _resource(streams: _Streams, kind: Kind) -> DltResource:
    """The dlt resource of ``kind``: merged on (account, id)."""
    async def rows() -> AsyncIterator[list[dict[str, Any]]]:
        async for page in streams.rows(kind):
            yield page

    columns = column_hints(kind.model)
    for key, data_type in (("account", "text"), ("id", "bigint")):  # the primary key
        columns[key] = {"data_type": data_type, "nullable": False}
    return dlt.resource(rows, name=kind.name, primary_key=("account", "id"),
                        write_disposition="merge", columns=columns)()


def _kinds(kinds: Iterable[str]) -> list[Kind]:
    if isinstance(kinds, str):
        kinds = [kinds]
    chosen = list(kinds)
    unknown = [name for name in chosen if name not in KINDS]
    if unknown or not chosen:
        raise ValueError(f"kinds must be some of {', '.join(KINDS)}, got {chosen!r}")
    return [KINDS[name] for name in dict.fromkeys(chosen)]


class _Streams:
    """The rows of each kind over every account, through one pool (its connections
    released when the last kind ends; its limiters and counts stay)."""

    def __init__(self, accounts: list[Mapping[str, Any]], *, pool: SessionPool | None,
                 per_page: int, concurrency: int, options: dict[str, Any],
                 lookback: datetime.timedelta) -> None:
        self._accounts = accounts
        self._pool = pool if pool is not None else SessionPool()
        self._streaming = 0
        self._per_page = per_page
        self._concurrency = concurrency
        self._options = options
        self._lookback = lookback

    async def rows(self, kind: Kind) -> AsyncIterator[list[dict[str, Any]]]:
        # dlt keeps this per resource, in the destination: {account: Memory.to_state()}
        state: dict[str, Any] = dlt.current.resource_state().setdefault("accounts", {})
        self._streaming += 1
        try:
            async for rows in _merged([self._account_rows(kind, account, state)
                                       for account in self._accounts], self._concurrency):
                yield rows
        finally:
            self._streaming -= 1
            if not self._streaming:  # dlt's event loop ends with the extraction: its sockets
                await self._pool.release()  # go now (the pool, its limits and stats stay)

    async def _account_rows(self, kind: Kind, account: Mapping[str, Any],
                            state: dict[str, Any]) -> AsyncIterator[list[dict[str, Any]]]:
        api = AsyncInvoiceXpress(**{**self._options, **account}, pool=self._pool)
        name = api.account_name
        try:
            if kind.cursor is None:
                async for rows in self._whole_list(api, kind):
                    yield rows
                return
            memory = Memory.from_state(state.get(name))
            tally = Tally(memory)
            async for rows in self._documents(api, kind, memory, tally):
                yield rows
            state[name] = tally.memory().to_state()  # kept only if the load succeeds
        finally:
            await api.aclose()

    async def _whole_list(self, api: AsyncInvoiceXpress,
                          kind: Kind) -> AsyncIterator[list[dict[str, Any]]]:
        resource = kind.resource(api)
        if not kind.paginated:
            yield [_row(api, model) for model in await resource.list()]
            return
        async for page in resource.list(per_page=self._per_page).pages():
            yield [_row(api, model) for model in page.items]

    async def _documents(self, api: AsyncInvoiceXpress, kind: Kind, memory: Memory,
                         tally: Tally) -> AsyncIterator[list[dict[str, Any]]]:
        assert kind.cursor is not None
        day_field, day_filter = kind.cursor
        resource = kind.resource(api)
        for filters in scans(memory, statuses=kind.statuses, day_filter=day_filter,
                             lookback=self._lookback):
            async for page in resource.list(**filters, per_page=self._per_page).pages():
                rows = [_row(api, doc) for doc in page.items
                        if tally.first_sight(doc.id, doc.status, doc.type,
                                             _day(getattr(doc, day_field)))]
                if rows:
                    yield rows
        for doc_id, doc_type in tally.moved().items():  # into the resting state, or gone
            family = getattr(api, attribute_for_type(doc_type, kind.name))
            try:
                doc = await family.get(doc_id)
            except NotFoundError:
                logger.warning("%s %s %d can no longer be read: its row keeps its last state",
                               api.account_name, doc_type, doc_id)
                tally.gone(doc_id)
                continue
            tally.first_sight(doc.id, doc.status, doc.type, _day(getattr(doc, day_field)))
            yield [_row(api, doc)]


def _row(api: AsyncInvoiceXpress, model: Any) -> dict[str, Any]:
    row = to_dict(model, mode="python")
    row["account"] = api.account_name
    return row


def _day(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


async def _merged(streams: list[AsyncIterator[list[dict[str, Any]]]],
                  limit: int) -> AsyncIterator[list[dict[str, Any]]]:
    """The items of ``streams`` as they come, ``limit`` streams at a time; the first error
    stops them all."""
    queue: asyncio.Queue[list[dict[str, Any]] | BaseException | None] = asyncio.Queue(limit * 2)
    gate = asyncio.Semaphore(limit)

    async def drain(stream: AsyncIterator[list[dict[str, Any]]]) -> None:
        async with gate:
            try:
                async for rows in stream:
                    await queue.put(rows)
            except Exception as exc:
                await queue.put(exc)
                return
        await queue.put(None)

    tasks = [asyncio.create_task(drain(stream)) for stream in streams]
    running = len(tasks)
    try:
        while running:
            item = await queue.get()
            if item is None:
                running -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


__all__ = ["DEFAULT_KINDS", "invoicexpress_source"]
