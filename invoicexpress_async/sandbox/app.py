"""The sandbox's knobs, middlewares and list endpoints: the API's wire format and errors,
plus what makes it misbehave on purpose (latency, rate limit, faults). The routes
table is ``routes.py``; the document lifecycle is ``lifecycle.py``."""

from __future__ import annotations

import asyncio
import datetime
import math
import random
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import orjson
from aiohttp import web

from .data import ESTIMATE_KINDS, FIRST_CLIENT_ID, GUIDE_KINDS, INVOICE_KINDS, dumps
from .state import Account

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FAULT_KINDS = ("500", "502", "503", "504", "429", "429_retry_after", "reset", "truncated",
               "hang", "drop")
_POST_ONLY = frozenset({"drop"})  # processed, then the connection dropped: only matters for writes


@attrs.frozen(kw_only=True)
class SandboxRateLimit:
    """The server's limit: ``requests`` per ``per`` seconds per account, answered by 429.

    A sliding window by default; ``bucket`` refuses with a token bucket instead (as many
    gateways do): ``requests`` at once after a quiet spell, then ``requests/per`` a second.
    """

    requests: int
    per: float
    retry_after: bool = True
    bucket: bool = False


@attrs.define(kw_only=True)
class Settings:
    """What the sandbox does to each request; mutable so tests can turn knobs live."""

    latency: tuple[float, float] = (0.0, 0.0)
    rate_limit: SandboxRateLimit | None = None
    faults: dict[str, float] = attrs.field(factory=dict)
    hang_seconds: float = 30.0
    fault_retry_after: str = "1"  # the Retry-After of injected 429s
    seed: int = 0
    pending_polls: int = 2  # PDF and QR requests answered 202 before the file is ready
    create_seconds: float = 0.0  # how long a create holds its proprietary_uid "ongoing"
    max_per_page: int | None = None  # cap per_page silently, as some servers do


class SandboxState:
    """Accounts by api key, the knobs, and counters of what happened."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.accounts: dict[str, Account] = {}
        self.counts: Counter[str] = Counter()
        self.scripted: deque[str] = deque()  # faults for the next requests, in order
        self.received: deque[tuple[str, str, bytes]] = deque(maxlen=500)  # method, path, body
        self.files: dict[str, tuple[str, bytes]] = {}  # name -> (content type, bytes)
        self.file_queries: list[str] = []  # the query string of every file fetched
        self.cookies_seen: list[tuple[str, str]] = []  # (account, Cookie header) per request
        self.paths_hit: set[tuple[str, str]] = set()  # every (method, path) asked for
        self.user_agents: deque[str] = deque(maxlen=100)  # of the latest requests
        self._rng = random.Random(settings.seed)

    def add(self, account: Account) -> Account:
        account.id = 10_001 + len(self.accounts)
        self.accounts[account.api_key] = account
        return account

    def account_by_id(self, account_id: int) -> Account | None:
        return next((a for a in self.accounts.values() if a.id == account_id), None)

    def sent_to(self, method: str, path: str) -> list[bytes]:
        """The bodies of the requests received for ``method path``, oldest first."""
        return [body for m, p, body in self.received if m == method and p == path]

    def pick_fault(self, method: str) -> str | None:
        if self.scripted:
            return self.scripted.popleft()
        faults = self.settings.faults
        if not faults:
            return None
        roll = self._rng.random()
        for kind, probability in faults.items():
            if kind in _POST_ONLY and method == "GET":
                continue
            if roll < probability:
                return kind
            roll -= probability
        return None


STATE_KEY = web.AppKey("state", SandboxState)
# aiohttp >= 3.13 wants typed request keys; older versions take a plain string
ACCOUNT_KEY: Any = (web.RequestKey("ix_account", Account)
                    if hasattr(web, "RequestKey") else "ix_account")


def json_answer(payload: Any, status: int = 200) -> web.Response:
    return web.Response(body=dumps(payload), status=status, content_type="application/json")


def error_answer(status: int, message: str) -> web.Response:
    return json_answer({"errors": {"error": message}}, status)


class Refused(Exception):
    """Bad input, answered the way the API answers it (never a 500): ``answer``."""

    def __init__(self, answer: web.Response) -> None:
        super().__init__(answer.status)
        self.answer = answer


def refuse(message: str, status: int = 422) -> Refused:
    return Refused(error_answer(status, message))


# --- middlewares -------------------------------------------------------------------------

@web.middleware
async def answer_refusals(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Refused as refused:
        return refused.answer


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    if _is_control(request):
        return await handler(request)
    state.counts["requests"] += 1
    state.paths_hit.add((request.method, request.path))
    state.received.append((request.method, request.path,
                           await request.read() if request.can_read_body else b""))
    account = state.accounts.get(request.query.get("api_key", ""))
    if account is None:
        state.counts["401"] += 1
        return error_answer(401, "Invalid API key")
    request[ACCOUNT_KEY] = account
    state.cookies_seen.append((account.name, request.headers.get("Cookie", "")))
    state.user_agents.append(request.headers.get("User-Agent", ""))
    response = await handler(request)
    if not response.prepared:  # like the real application, a session cookie per account
        response.set_cookie("_ix_session", account.name, path="/")
    return response


def _is_control(request: web.Request) -> bool:
    """The sandbox's own endpoints (``/_sandbox/...``): no auth, latency, limit or faults."""
    return request.path.startswith("/_sandbox/")


@web.middleware
async def delay(request: web.Request, handler: Handler) -> web.StreamResponse:
    low, high = request.app[STATE_KEY].settings.latency
    if high > 0 and not _is_control(request):
        await asyncio.sleep(low if high <= low else random.uniform(low, high))
    return await handler(request)


@web.middleware
async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    limit = state.settings.rate_limit
    if limit is not None and not _is_control(request):
        account: Account = request[ACCOUNT_KEY]
        wait = _bucket_wait(account, limit) if limit.bucket else _window_wait(account, limit)
        if wait is not None:
            state.counts["429_limit"] += 1
            response = error_answer(429, "Too many requests")
            if limit.retry_after:
                response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
            return response
    return await handler(request)


def _window_wait(account: Account, limit: SandboxRateLimit) -> float | None:
    """None when the sliding window has room (the request is counted), else the wait."""
    now = time.monotonic()
    window = account.request_times
    while window and window[0] <= now - limit.per:
        window.popleft()
    if len(window) >= limit.requests:
        return window[0] + limit.per - now
    window.append(now)
    return None


def _bucket_wait(account: Account, limit: SandboxRateLimit) -> float | None:
    """None when the bucket holds a token (it is taken), else the wait for the next."""
    now = time.monotonic()
    rate = limit.requests / limit.per
    tokens, since = account.bucket if account.bucket is not None else (limit.requests, now)
    tokens = min(float(limit.requests), tokens + (now - since) * rate)
    if tokens < 1.0:
        account.bucket = (tokens, now)
        return (1.0 - tokens) / rate
    account.bucket = (tokens - 1.0, now)
    return None


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    fault = None if _is_control(request) else state.pick_fault(request.method)
    if fault is None:
        return await handler(request)
    state.counts[f"fault_{fault}"] += 1
    if fault in ("500", "503", "504"):
        return error_answer(int(fault), "Internal server error")
    if fault == "502":  # what a proxy in front of the API sends
        return web.Response(status=502, content_type="text/html",
                            text="<html><body><h1>502 Bad Gateway</h1></body></html>")
    if fault in ("429", "429_retry_after"):
        refusal = error_answer(429, "Too many requests")
        if fault == "429_retry_after":
            refusal.headers["Retry-After"] = state.settings.fault_retry_after
        return refusal
    if fault == "reset":
        _abort(request)
        return web.Response()
    if fault == "hang":
        await asyncio.sleep(state.settings.hang_seconds)
        return await handler(request)
    response = await handler(request)
    if fault == "drop":  # processed, then the answer is lost
        _abort(request)
        return web.Response()
    return await _truncate(request, response)  # "truncated"


def _abort(request: web.Request) -> None:
    if request.transport is not None:
        request.transport.abort()


async def _truncate(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    body = response.body if isinstance(response, web.Response) else b""
    data = body if isinstance(body, bytes) else b""
    cut = web.StreamResponse(status=response.status,
                             headers={"Content-Type": "application/json"})
    cut.content_length = len(data) + 16
    await cut.prepare(request)
    await cut.write(data[: len(data) // 2])
    _abort(request)
    return cut


# --- query parsing -----------------------------------------------------------------------

MAX_PER_PAGE = 1000
MAX_PAGE = 10**9


def _page_args(request: web.Request) -> tuple[int, int]:
    def number(key: str, default: int, most: int) -> int:
        try:
            value = int(request.query.get(key, default))
        except ValueError:
            return default
        if value > most:
            raise refuse(f"{key} must be at most {most}")
        return value if value > 0 else default
    per_page = number("per_page", 10, MAX_PER_PAGE)
    cap = request.app[STATE_KEY].settings.max_per_page
    return number("page", 1, MAX_PAGE), per_page if cap is None else min(per_page, cap)


def _paginate(root: str, bodies: list[bytes] | Iterator[bytes], total: int, page: int,
              per_page: int) -> web.Response:
    pagination = {"total_entries": total, "current_page": page,
                  "total_pages": math.ceil(total / per_page), "per_page": per_page}
    body = (b'{"' + root.encode() + b'":[' + b",".join(bodies) + b'],"pagination":'
            + orjson.dumps(pagination) + b"}")
    return web.Response(body=body, content_type="application/json")


def _date(value: str | None) -> int | None:
    if not value:
        return None
    try:
        day, month, year = value.split("/")
        return datetime.date(int(year), int(month), int(day)).toordinal()
    except ValueError:
        return None


def _amount(value: str | None) -> Decimal | None:
    if not value:
        return None
    try:
        found = Decimal(value)
    except InvalidOperation:
        found = Decimal("NaN")
    if not found.is_finite() or abs(found) > 10**15:
        raise refuse(f"{value[:40]!r} is not an amount")
    return found


def _flag(value: str | None) -> bool | None:
    return None if value is None else value.lower() == "true"


def _statuses(wanted: list[str]) -> set[str]:
    # filters say "sent" where documents say "final"
    return {("final" if s == "sent" else s) for s in wanted}


@attrs.frozen(kw_only=True)
class _Filter:
    """A list query; every field defaults to "no filter" (in the list's own ``kinds``)."""

    kinds: frozenset[str] = INVOICE_KINDS
    types: set[str] = attrs.field(factory=set)
    statuses: set[str] = attrs.field(factory=set)
    date_from: int | None = None
    date_to: int | None = None
    due_from: int | None = None
    due_to: int | None = None
    total_from: Decimal | None = None
    total_to: Decimal | None = None
    archived: bool = True
    non_archived: bool = True
    text: str = ""
    reference: str = ""
    client_index: int | None = None
    loaded_from: int | None = None
    loaded_to: int | None = None

    def matches(self, account: Account, index: int) -> bool:
        f = account.invoices.facts(index)
        if f.type not in self.kinds:
            return False
        if self.client_index is not None and f.client_index != self.client_index:
            return False
        if self.loaded_from is not None and (f.loaded_at or 0) < self.loaded_from:
            return False
        if self.loaded_to is not None and (f.loaded_at or 0) > self.loaded_to:
            return False
        if self.types and f.type not in self.types:
            return False
        if self.statuses and f.status not in self.statuses:
            return False
        if not (self.archived if f.archived else self.non_archived):
            return False
        if self.date_from is not None and f.date < self.date_from:
            return False
        if self.date_to is not None and f.date > self.date_to:
            return False
        if self.due_from is not None and f.due_date < self.due_from:
            return False
        if self.due_to is not None and f.due_date > self.due_to:
            return False
        if self.total_from is not None and f.before_taxes < self.total_from:
            return False
        if self.total_to is not None and f.before_taxes > self.total_to:
            return False
        if self.text and self.text not in f.text:
            return False
        return not (self.reference and self.reference not in f.reference)

    @property
    def empty(self) -> bool:
        return not (self.types or self.statuses or self.date_from or self.date_to
                    or self.loaded_from or self.loaded_to or self.kinds != INVOICE_KINDS
                    or self.due_from or self.due_to or self.total_from is not None
                    or self.total_to is not None or not self.archived
                    or not self.non_archived or self.text or self.reference
                    or self.client_index is not None)


def _archive_flags(archived: bool | None, non_archived: bool | None) -> tuple[bool, bool]:
    """A flag left out means the opposite of the other one; neither means everything."""
    if archived is None and non_archived is None:
        return True, True
    if archived is None:
        archived = not non_archived
    if non_archived is None:
        non_archived = not archived
    return archived, non_archived


def _list_filter(request: web.Request, kinds: frozenset[str] = INVOICE_KINDS) -> _Filter:
    q = request.query
    archived, non_archived = _archive_flags(_flag(q.get("archived")),
                                            _flag(q.get("non_archived")))
    return _Filter(
        kinds=kinds, loaded_from=_date(q.get("loaded_at[from]")),
        loaded_to=_date(q.get("loaded_at[to]")),
        types=set(q.getall("type[]", [])), statuses=_statuses(q.getall("status[]", [])),
        date_from=_date(q.get("date[from]")), date_to=_date(q.get("date[to]")),
        due_from=_date(q.get("due_date[from]")), due_to=_date(q.get("due_date[to]")),
        total_from=_amount(q.get("total_before_taxes[from]")),
        total_to=_amount(q.get("total_before_taxes[to]")),
        archived=archived, non_archived=non_archived,
        text=q.get("text", "").lower(), reference=q.get("reference", "").lower())


def _serve_invoices(account: Account, flt: _Filter, page: int, per_page: int,
                    root: str = "invoices") -> web.Response:
    store = account.invoices
    start = (page - 1) * per_page
    if flt.empty and not store.other_kinds:
        total = store.count
        indexes: range | list[int] = range(start, min(start + per_page, total))
    elif attrs.evolve(flt, kinds=INVOICE_KINDS).empty:  # the list's kinds, nothing else
        listed = store.listed(flt.kinds)
        total = len(listed)
        indexes = listed[start:start + per_page]
    else:
        matching = [i for i in range(store.count) if flt.matches(account, i)]
        total = len(matching)
        indexes = matching[start:start + per_page]
    return _paginate(root, (store.body(i) for i in indexes), total, page, per_page)


# --- handlers ----------------------------------------------------------------------------

async def list_invoices(request: web.Request) -> web.StreamResponse:
    page, per_page = _page_args(request)
    return _serve_invoices(request[ACCOUNT_KEY], _list_filter(request), page, per_page)


async def list_estimates(request: web.Request) -> web.StreamResponse:
    page, per_page = _page_args(request)
    return _serve_invoices(request[ACCOUNT_KEY], _list_filter(request, ESTIMATE_KINDS), page,
                           per_page, "estimates")


async def list_guides(request: web.Request) -> web.StreamResponse:
    page, per_page = _page_args(request)
    return _serve_invoices(request[ACCOUNT_KEY], _list_filter(request, GUIDE_KINDS), page,
                           per_page, "guides")


async def list_clients(request: web.Request) -> web.StreamResponse:
    account: Account = request[ACCOUNT_KEY]
    page, per_page = _page_args(request)
    start = (page - 1) * per_page
    chunk = account.clients[start:start + per_page]
    return _paginate("clients", [dumps(c) for c in chunk], len(account.clients), page, per_page)


async def create_client(request: web.Request) -> web.StreamResponse:
    account: Account = request[ACCOUNT_KEY]
    try:
        body = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        return error_answer(422, "Invalid JSON")
    fields = body.get("client") if isinstance(body, dict) else None
    if not isinstance(fields, dict):
        return json_answer({"errors": ["Client is a required field"]}, 422)
    client, errors = account.create_client(fields)
    if client is None:
        return json_answer({"errors": errors}, 422)
    request.app[STATE_KEY].counts["clients_created"] += 1
    return json_answer({"client": client}, 201)


async def get_client(request: web.Request) -> web.StreamResponse:
    client = request[ACCOUNT_KEY].client_by_id(number_in(request.match_info["id"]))
    return json_answer({"client": client}) if client else error_answer(404, "Client not found")


async def find_client_by_code(request: web.Request) -> web.StreamResponse:
    client = request[ACCOUNT_KEY].client_by_code(request.query.get("client_code", ""))
    return json_answer({"client": client}) if client else error_answer(404, "Client not found")


async def find_client_by_name(request: web.Request) -> web.StreamResponse:
    name = request.query.get("client_name", "")
    for client in request[ACCOUNT_KEY].clients:
        if client["name"] == name:
            return json_answer({"client": client})
    return error_answer(404, "Client not found")


async def client_invoices(request: web.Request) -> web.StreamResponse:
    account: Account = request[ACCOUNT_KEY]
    client_id = number_in(request.match_info["id"])
    if account.client_by_id(client_id) is None:
        return web.Response(status=404)  # the seed page documents an empty 404
    try:
        body = orjson.loads(await request.read() or b"{}")
    except orjson.JSONDecodeError:
        return error_answer(422, "Invalid JSON")
    wanted = body.get("filter", {}) if isinstance(body, dict) else None
    if not isinstance(wanted, dict):
        raise refuse("filter must be an object")
    archived_values = set(_words(wanted, "archived"))
    flt = _Filter(types=set(_words(wanted, "by_type")),
                  statuses=_statuses(_words(wanted, "status")),
                  archived=not archived_values or "archived" in archived_values,
                  non_archived=not archived_values or "non_archived" in archived_values,
                  client_index=client_id - FIRST_CLIENT_ID)
    page, per_page = _page_args(request)
    return _serve_invoices(account, flt, page, per_page)


def _words(wanted: dict[str, Any], key: str) -> list[str]:
    """A filter's values: a list of strings (or nothing)."""
    values = wanted.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise refuse(f"filter {key} must be a list of strings")
    return values


async def list_sequences(request: web.Request) -> web.StreamResponse:
    return json_answer({"sequences": request[ACCOUNT_KEY].sequences})


def number_in(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


async def sandbox_stats(request: web.Request) -> web.StreamResponse:
    """What the sandbox counted (requests, faults injected, 429s of the rate limit)."""
    state = request.app[STATE_KEY]
    return json_answer({"counts": dict(state.counts), "accounts": len(state.accounts)})
