"""Stream every item of a paginated list, with ordered page prefetch.

Page 1 is fetched alone: it tells ``total_pages``. From then on up to
``prefetch`` pages are in flight at once, and pages are still handed out in
page order, whatever order they complete in. The stream stops at
``total_pages`` (trusting the smallest value seen) or at an empty page, and
cancels whatever it fetched beyond that. A page shorter than the ``per_page``
asked for ends the stream only when the server sends no ``total_pages``: a
server that caps ``per_page`` below what was asked still delivers every item. A consumer that stops
early (``break``, an exception, cancellation) leaves no task behind: the
iterators are async generators whose ``finally`` cancels and awaits the window.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

import attrs

from .errors import DecodeError, InvoiceXpressError
from .models.pagination import Pagination

T = TypeVar("T")
U = TypeVar("U")


@attrs.frozen(kw_only=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its items, and the API's ``pagination`` (None when absent)."""

    number: int
    items: list[T]
    pagination: Pagination | None


RawPage = tuple[list[Any], Pagination | None]
FetchRaw = Callable[[int], Awaitable[RawPage]]


class AsyncPaginator(Generic[T]):
    """Every item of every page, in page order: ``async for item in paginator``.

    ``pages()`` gives :class:`Page` objects instead. Iterating again starts a new
    stream from the starting page. Nothing is sent until iteration starts.
    """

    def __init__(self, fetch: FetchRaw, parse: Callable[[list[Any]], list[T]], *, start_page: int,
                 per_page: int, prefetch: int) -> None:
        self._fetch = fetch
        self._parse = parse
        self.start_page = start_page
        self.per_page = per_page
        self.prefetch = prefetch

    def __repr__(self) -> str:
        return (f"AsyncPaginator(start_page={self.start_page}, per_page={self.per_page},"
                f" prefetch={self.prefetch})")

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """Page by page, each with its :class:`~invoicexpress_async.Pagination`.

        Close it (``aclose()``, or ``contextlib.aclosing``) to stop early at once.
        """
        return self._pages()

    async def first(self) -> T | None:
        """The first item of the list (one request), or None when it is empty."""
        stream = _PageStream(self, last_wanted=self.start_page)
        try:
            page = await stream.next_page()
        finally:
            await stream.aclose()
        return page.items[0] if page is not None and page.items else None

    async def to_list(self, limit: int | None = None) -> list[T]:
        """Every item (or the first ``limit``) in a list; stops fetching once it has them."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 0):
            raise ValueError(f"limit must be an int >= 0 or None, got {limit!r:.40}")
        found: list[T] = []
        if limit == 0:
            return found
        stream = _PageStream(self, last_wanted=None if limit is None else self.start_page)
        try:
            while True:
                if limit is not None:  # prefetch no page beyond the ones the limit needs
                    stream.want(-(-(limit - len(found)) // self.per_page))
                page = await stream.next_page()
                if page is None:
                    return found
                found.extend(page.items)
                if limit is not None and len(found) >= limit:
                    return found[:limit]
        finally:
            await stream.aclose()

    async def count(self) -> int:
        """How many items the list holds: the server's ``total_entries``, from one request
        (counted page by page only when the API sends no total)."""
        stream = _PageStream(self)
        try:
            page = await stream.next_page()
            if page is None:
                return 0
            if page.pagination is not None and page.pagination.total_entries is not None:
                return page.pagination.total_entries
            total = len(page.items)
            while (page := await stream.next_page()) is not None:
                total += len(page.items)
            return total
        finally:
            await stream.aclose()

    def raw(self) -> AsyncPaginator[dict[str, Any]]:
        """The same stream with items as the API sent them (dicts), skipping model building."""
        return AsyncPaginator(self._fetch, _as_sent, start_page=self.start_page,
                              per_page=self.per_page, prefetch=self.prefetch)

    async def _items(self) -> AsyncIterator[T]:
        stream = _PageStream(self)
        try:
            while (page := await stream.next_page()) is not None:
                for item in page.items:
                    yield item
        finally:
            await stream.aclose()

    async def _pages(self) -> AsyncGenerator[Page[T], None]:
        stream = _PageStream(self)
        try:
            while (page := await stream.next_page()) is not None:
                yield page
        finally:
            await stream.aclose()


def _as_sent(items: list[Any]) -> list[dict[str, Any]]:
    return items


class _PageStream(Generic[T]):
    """The window of in-flight page fetches behind one iteration."""

    def __init__(self, paginator: AsyncPaginator[T], *, last_wanted: int | None = None) -> None:
        self._paginator = paginator
        self._last_wanted = last_wanted  # no page after it is fetched (None: no bound)
        self._next = paginator.start_page
        self._window: deque[tuple[int, asyncio.Task[Page[T]]]] = deque()
        self._last_page: int | None = None  # known once a page reported total_pages
        self._page_size = paginator.per_page
        self._done = False
        self._previous_ends: tuple[Any, Any] | None = None

    async def _fetch(self, number: int) -> Page[T]:
        items, pagination = await self._paginator._fetch(number)
        items = self._paginator._parse(items)  # raw pages: the API's list as it came
        return Page(number=number, items=items, pagination=pagination)

    def _fill(self) -> None:
        # before total_pages is known, one page at a time: prefetching blind could overshoot
        depth = self._paginator.prefetch if self._last_page is not None else 1
        while len(self._window) < depth and (self._last_page is None
                                             or self._next <= self._last_page) \
                and (self._last_wanted is None or self._next <= self._last_wanted):
            number = self._next
            self._next += 1
            self._window.append((number, asyncio.ensure_future(self._fetch(number))))

    def want(self, pages: int) -> None:
        """Allow ``pages`` more pages beyond those fetched or in flight (a caller that
        needs only so many items)."""
        if self._last_wanted is not None:
            self._last_wanted = max(self._last_wanted,
                                    self._next - 1 + max(0, pages - len(self._window)))

    async def next_page(self) -> Page[T] | None:
        if self._done:
            return None
        if not self._window:
            self._fill()
            if not self._window:
                self._done = True
                return None
        number, task = self._window[0]
        try:
            page = await task
            self._window.popleft()
            last = self._is_last(page)
        except BaseException as error:  # the stream ends here, with nothing left running
            if isinstance(error, InvoiceXpressError):
                error.page = number
            await self.aclose()
            raise
        if last:
            await self.aclose()
        else:
            self._fill()
        return page

    def _check_progress(self, page: Page[T]) -> None:
        """Refuse a server that ignores ``page=``: it would make the stream endless."""
        pagination = page.pagination
        if pagination is not None and pagination.current_page is not None:
            if pagination.current_page != page.number:
                raise DecodeError(f"asked for page {page.number}, the API answered page"
                                  f" {pagination.current_page}")
            return
        ends = (page.items[0], page.items[-1]) if page.items else None
        if ends is not None and ends == self._previous_ends:
            raise DecodeError(f"page {page.number} repeats page {page.number - 1}: the"
                              " server seems to ignore the page parameter")
        self._previous_ends = ends

    def _is_last(self, page: Page[T]) -> bool:
        self._check_progress(page)
        if not page.items:
            return True
        pagination = page.pagination
        if pagination is not None and pagination.total_pages is not None:
            total = pagination.total_pages
            if self._last_page is None or total < self._last_page:
                self._last_page = total
            return page.number >= self._last_page
        return len(page.items) < self._page_size  # no total: a short page is the last

    async def aclose(self) -> None:
        """Cancel every fetch still in flight and wait for them to finish."""
        self._done = True
        tasks = [task for _, task in self._window]
        self._window.clear()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
