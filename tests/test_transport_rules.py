"""Every retry rule, both Retry-After forms, the cap, the account-wide 429 pause,
retry safety and error mapping: real HTTP against a scripted loopback server, on
fake time. What happens before a connection exists is classified sans-I/O."""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any
from unittest import mock

import aiohttp
import orjson
import pytest

import invoicexpress_async as ix
from invoicexpress_async._transport.requester import Requester
from invoicexpress_async._transport.retry import Failure
from invoicexpress_async._transport.slots import FIRST_PAUSE

from .conftest import CANARY_KEY, FakeTime
from .scripted import Scripted
from .sockets import free_port

SEQUENCES = {"sequences": [{"id": 1, "serie": "A", "default_sequence": 1}]}
CLIENT = {"client": {"id": "7", "name": "A", "code": "A1"}}
QUICK = ix.Timeout(total=None, connect=1.0, read=0.3)


def connect_refused() -> aiohttp.ClientConnectorError:
    return aiohttp.ClientConnectorError(mock.Mock(ssl=True, host="h", port=443),
                                        OSError(111, "Connection refused"))


# ---- how each failure is classified (sans-I/O: no connection needed) -----------------------

@pytest.mark.parametrize(("exc", "failure", "cls"), [
    (connect_refused(), Failure.NOT_SENT, ix.TransportError),
    (aiohttp.ConnectionTimeoutError(), Failure.NOT_SENT, ix.RequestTimeout),
    (aiohttp.SocketTimeoutError(), Failure.TIMEOUT, ix.RequestTimeout),
    (TimeoutError(), Failure.TIMEOUT, ix.RequestTimeout),
    (aiohttp.ServerDisconnectedError(), Failure.BROKEN, ix.TransportError),
    (aiohttp.ClientPayloadError("cut"), Failure.BROKEN, ix.TransportError),
    (aiohttp.ClientOSError(104, "Connection reset by peer"), Failure.BROKEN, ix.TransportError),
    (aiohttp.ClientSSLError(mock.Mock(ssl=True, host="h", port=443), OSError(1, "bad cert")),
     Failure.FATAL, ix.TransportError),
])
def test_failures_are_classified(exc: BaseException, failure: Failure,
                                 cls: type[ix.TransportError]) -> None:
    kind, error = Requester._transport_error(exc, "POST", "https://h/x?api_key=***")
    assert (kind, type(error)) == (failure, cls)
    assert "api_key=***" in str(error)


@pytest.mark.parametrize(("failure", "idempotent", "retried", "unknown"), [
    (Failure.NOT_SENT, False, True, False),  # refused before sending: safe to resend
    (Failure.NOT_SENT, True, True, False),
    (Failure.TIMEOUT, False, False, True),
    (Failure.TIMEOUT, True, True, False),
    (Failure.BROKEN, False, False, True),
    (Failure.BROKEN, True, True, False),
    (Failure.FATAL, True, False, False),
])
def test_retry_decisions(failure: Failure, idempotent: bool, retried: bool,
                         unknown: bool) -> None:
    policy = ix.RetryPolicy()
    assert policy.should_retry(idempotent, failure) is retried
    assert policy.outcome_unknown(idempotent, failure) is unknown


async def test_a_refused_connection_is_retried_even_for_a_create(make_api: Any) -> None:
    api = make_api(base_url=f"http://127.0.0.1:{free_port()}", retry=ix.RetryPolicy(max_attempts=3))
    with pytest.raises(ix.TransportError, match="could not connect") as info:
        await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert not info.value.outcome_unknown  # nothing reached a server
    assert api.stats.attempts == 3  # and so it was tried again


# ---- reads: 5xx, timeouts and resets are retried ----------------------------------------------

@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
async def test_get_retries_5xx_then_succeeds(api: ix.AsyncInvoiceXpress, scripted: Scripted,
                                             fake_time: FakeTime, status: int) -> None:
    scripted.get("/sequences.json", status=status)
    scripted.get("/sequences.json", payload=SEQUENCES)
    sequences = await api.sequences.list()
    assert [s.serie for s in sequences] == ["A"]
    assert len(scripted.calls("GET", "/sequences.json")) == 2
    assert len(fake_time.sleeps) == 1
    assert api.stats.retries == 1


@pytest.mark.parametrize("fault", ["reset", "truncate", "hang"])
async def test_get_retries_transport_failures(make_api: Any, scripted: Scripted,
                                              fault: str) -> None:
    api = make_api(timeout=QUICK)
    scripted.get("/sequences.json", fault=fault)
    scripted.get("/sequences.json", payload=SEQUENCES)
    assert len(await api.sequences.list()) == 1
    assert len(scripted.calls("GET", "/sequences.json")) == 2


async def test_get_gives_up_after_max_attempts(make_api: Any, scripted: Scripted) -> None:
    api = make_api(retry=ix.RetryPolicy(max_attempts=4))
    for _ in range(4):
        scripted.get("/sequences.json", status=503, payload={"message": "busy"})
    with pytest.raises(ix.ServerError) as info:
        await api.sequences.list()
    assert info.value.status == 503
    assert info.value.messages == ["busy"]
    assert not info.value.outcome_unknown
    assert len(scripted.calls("GET", "/sequences.json")) == 4


async def test_timeout_after_retries_is_request_timeout(make_api: Any,
                                                        scripted: Scripted) -> None:
    api = make_api(timeout=QUICK, retry=ix.RetryPolicy(max_attempts=2))
    scripted.get("/sequences.json", fault="hang", repeat=True)
    with pytest.raises(ix.RequestTimeout):
        await api.sequences.list()
    assert len(scripted.calls("GET", "/sequences.json")) == 2


async def test_4xx_is_never_retried(api: ix.AsyncInvoiceXpress, scripted: Scripted) -> None:
    scripted.get("/sequences.json", status=404)
    scripted.get("/sequences.json", payload=SEQUENCES)
    with pytest.raises(ix.NotFoundError):
        await api.sequences.list()
    assert len(scripted.calls("GET", "/sequences.json")) == 1


async def test_backoff_is_full_jitter_within_cap(make_api: Any, scripted: Scripted,
                                                 fake_time: FakeTime) -> None:
    api = make_api(retry=ix.RetryPolicy(max_attempts=6, backoff_base=0.5, backoff_max=2.0))
    for _ in range(5):
        scripted.get("/sequences.json", status=500)
    scripted.get("/sequences.json", payload=SEQUENCES)
    await api.sequences.list()
    caps = [0.5, 1.0, 2.0, 2.0, 2.0]
    assert len(fake_time.sleeps) == 5
    assert all(0 <= slept <= cap for slept, cap in zip(fake_time.sleeps, caps, strict=True))


def test_full_jitter_spreads_over_the_whole_range() -> None:
    import random

    policy = ix.RetryPolicy(backoff_base=1.0, backoff_max=8.0)
    rng = random.Random(1)
    waits = [policy.backoff(3, rng) for _ in range(2000)]
    assert min(waits) < 0.5 and max(waits) > 7.5  # uniform(0, 8), not a narrow band


# ---- side effects: never re-sent once they may have been processed ---------------------------

@pytest.mark.parametrize("status", [500, 502, 503])
async def test_post_5xx_is_not_retried_and_outcome_unknown(api: ix.AsyncInvoiceXpress,
                                                           scripted: Scripted,
                                                           status: int) -> None:
    scripted.post("/clients.json", status=status)
    scripted.post("/clients.json", payload=CLIENT, status=201)
    with pytest.raises(ix.ServerError) as info:
        await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert info.value.outcome_unknown
    assert "outcome is unknown" in str(info.value)
    assert len(scripted.calls("POST", "/clients.json")) == 1


@pytest.mark.parametrize("fault", ["reset", "truncate", "hang"])
async def test_post_sent_then_failed_is_not_retried(make_api: Any, scripted: Scripted,
                                                    fault: str) -> None:
    api = make_api(timeout=QUICK)
    scripted.post("/clients.json", fault=fault)
    scripted.post("/clients.json", payload=CLIENT, status=201)
    with pytest.raises(ix.TransportError) as info:
        await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert info.value.outcome_unknown
    assert len(scripted.calls("POST", "/clients.json")) == 1


async def test_a_read_sent_as_post_is_retried(api: ix.AsyncInvoiceXpress,
                                              scripted: Scripted) -> None:
    scripted.post("/clients/5/invoices.json", status=503)
    scripted.post("/clients/5/invoices.json", payload={"invoices": []})
    assert [i async for i in api.clients.invoices(5)] == []
    assert len(scripted.calls("POST", "/clients/5/invoices.json")) == 2


async def test_post_429_is_retried(api: ix.AsyncInvoiceXpress, scripted: Scripted) -> None:
    scripted.post("/clients.json", status=429, headers={"Retry-After": "2"})
    scripted.post("/clients.json", payload=CLIENT, status=201)
    assert (await api.clients.create(ix.ClientCreate(name="A", code="A1"))).id == 7
    assert len(scripted.calls("POST", "/clients.json")) == 2


async def test_post_422_is_definite_not_unknown(api: ix.AsyncInvoiceXpress,
                                                scripted: Scripted) -> None:
    scripted.post("/clients.json", status=422, payload={"errors": ["Code has already been taken"]})
    with pytest.raises(ix.ValidationError) as info:
        await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert not info.value.outcome_unknown
    assert info.value.messages == ["Code has already been taken"]


# ---- 429 and Retry-After ---------------------------------------------------------------------

async def test_retry_after_seconds_is_obeyed(api: ix.AsyncInvoiceXpress, scripted: Scripted,
                                             fake_time: FakeTime) -> None:
    scripted.get("/sequences.json", status=429, headers={"Retry-After": "7"})
    scripted.get("/sequences.json", payload=SEQUENCES)
    start = fake_time.now
    await api.sequences.list()
    assert fake_time.now - start == pytest.approx(7.0)
    assert api.stats.rate_limited == 1


async def test_retry_after_http_date_is_obeyed(api: ix.AsyncInvoiceXpress, scripted: Scripted,
                                               fake_time: FakeTime) -> None:
    when = email.utils.formatdate(time.time() + 12, usegmt=True)
    scripted.get("/sequences.json", status=503, headers={"Retry-After": when})
    scripted.get("/sequences.json", payload=SEQUENCES)
    await api.sequences.list()
    assert len(fake_time.sleeps) == 1
    assert 10.0 <= fake_time.sleeps[0] <= 12.5


async def test_retry_after_above_cap_raises_at_once(make_api: Any, scripted: Scripted,
                                                    fake_time: FakeTime) -> None:
    api = make_api(retry=ix.RetryPolicy(max_retry_after=30.0))
    scripted.get("/sequences.json", status=429, headers={"Retry-After": "120"})
    scripted.get("/sequences.json", payload=SEQUENCES)
    with pytest.raises(ix.RateLimitError) as info:
        await api.sequences.list()
    assert info.value.retry_after == 120.0
    assert len(scripted.calls("GET", "/sequences.json")) == 1
    assert sum(fake_time.sleeps) <= 30.0


async def test_429_without_retry_after_pauses_the_account_and_slows_it(
        api: ix.AsyncInvoiceXpress, scripted: Scripted, fake_time: FakeTime) -> None:
    scripted.get("/sequences.json", payload=SEQUENCES)
    scripted.get("/sequences.json", status=429)
    scripted.get("/sequences.json", payload=SEQUENCES)
    await api.sequences.list()
    await api.sequences.list()
    assert len(scripted.calls("GET", "/sequences.json")) == 3
    assert sum(fake_time.sleeps) == FIRST_PAUSE
    assert api.stats.rate_limited == 1 and api.stats.learned_rate is not None


async def test_429_without_retry_after_and_no_limit_backs_off_briefly(
        make_api: Any, scripted: Scripted, fake_time: FakeTime) -> None:
    api = make_api(rate_limit=None)
    scripted.get("/sequences.json", status=429)
    scripted.get("/sequences.json", payload=SEQUENCES)
    await api.sequences.list()
    assert len(scripted.calls("GET", "/sequences.json")) == 2
    assert 0 <= sum(fake_time.sleeps) <= 0.5


async def test_429_pauses_every_client_of_the_account(make_api: Any, scripted: Scripted,
                                                      fake_time: FakeTime) -> None:
    a = make_api(retry=ix.RetryPolicy(max_attempts=1))
    b = make_api(pool=a.pool)  # another client of the same account on the same pool
    stranger = make_api(pool=a.pool, account_name="other")
    scripted.get("/sequences.json", status=429, headers={"Retry-After": "5"})
    with pytest.raises(ix.RateLimitError):
        await a.sequences.list()
    paused_at = fake_time.now
    scripted.get("/sequences.json", payload=SEQUENCES)
    await b.sequences.list()
    assert scripted.calls("GET", "/sequences.json")[-1].at == pytest.approx(paused_at + 5.0)
    scripted.get("/sequences.json", payload=SEQUENCES)  # another account is not paused
    before = fake_time.now
    await stranger.sequences.list()
    assert fake_time.now == before


async def test_429_pause_applies_to_requests_already_waiting(make_api: Any, scripted: Scripted,
                                                             fake_time: FakeTime) -> None:
    api = make_api(rate_limit=ix.RateLimit(requests=1, per=1.0))  # the others queue
    scripted.get("/sequences.json", status=429, headers={"Retry-After": "4"})
    for _ in range(5):
        scripted.get("/sequences.json", payload=SEQUENCES)
    await asyncio.gather(*(api.sequences.list() for _ in range(5)))
    # the first answer was a 429 with Retry-After 4: what was queued waited until t0 + 4,
    # not only the one second its slot would have taken
    first, *others = scripted.calls("GET", "/sequences.json")
    assert len(others) == 5
    assert all(call.at >= first.at + 4.0 for call in others)


# ---- error mapping ---------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "body", "cls", "messages"), [
    (401, {"errors": {"error": "Invalid API key"}}, ix.AuthenticationError, ["Invalid API key"]),
    (404, b"", ix.NotFoundError, []),
    (406, {"errors": {"error": "Invalid state"}}, ix.InvalidStateError, ["Invalid state"]),
    (409, {"reason": "There's an ongoing document creation"}, ix.ConflictError,
     ["There's an ongoing document creation"]),
    (422, {"errors": ["Name can't be blank"]}, ix.ValidationError, ["Name can't be blank"]),
    (422, {"errors": [{"error": "Price is a required field"}, {"error": "Name too long"}]},
     ix.ValidationError, ["Price is a required field", "Name too long"]),
    (422, ["payment_mechanism", "is invalid"], ix.ValidationError,
     ["payment_mechanism is invalid"]),
    (422, [["Date is invalid"], ["Due date is invalid"]], ix.ValidationError,
     ["Date is invalid", "Due date is invalid"]),
    (422, {"errors": {"error": ["a", "b"]}}, ix.ValidationError, ["a", "b"]),
    (422, {"name": ["is not available."]}, ix.ValidationError, ["name is not available."]),
    (422, {"base": ["Tax region is empty"]}, ix.ValidationError, ["Tax region is empty"]),
    (422, {"errors": {"code": "002", "message": "Sequence exists"}}, ix.ValidationError,
     ["Sequence exists"]),
    (404, {"error": {"code": "404", "message": "The account doesn't exist."}},
     ix.NotFoundError, ["The account doesn't exist."]),
    (404, {"error": "No document with ID 1"}, ix.NotFoundError, ["No document with ID 1"]),
    (422, {"message": "no documents in period"}, ix.ValidationError,
     ["no documents in period"]),
    (400, {"errors": {"error": "Bad"}}, ix.APIError, ["Bad"]),
    (502, b"<html><h1>502 Bad Gateway</h1></html>", ix.ServerError, []),
])
async def test_error_bodies_map_to_typed_errors(make_api: Any, scripted: Scripted, status: int,
                                                body: Any, cls: type[ix.APIError],
                                                messages: list[str]) -> None:
    api = make_api(retry=ix.RetryPolicy(max_attempts=1))
    if isinstance(body, bytes):
        scripted.get("/sequences.json", status=status, body=body)
    else:
        scripted.get("/sequences.json", status=status, payload=body)
    with pytest.raises(ix.APIError) as info:
        await api.sequences.list()
    assert type(info.value) is cls
    assert info.value.status == status
    assert info.value.messages == messages
    assert info.value.method == "GET"
    assert info.value.url is not None and "api_key=***" in info.value.url
    if isinstance(body, bytes) and body:
        assert info.value.body == body.decode()  # the raw body is kept


async def test_non_json_success_is_decode_error(api: ix.AsyncInvoiceXpress,
                                                scripted: Scripted) -> None:
    scripted.get("/sequences.json", body=b"<html>maintenance</html>")
    with pytest.raises(ix.DecodeError):
        await api.sequences.list()


async def test_wrong_root_key_is_decode_error(api: ix.AsyncInvoiceXpress,
                                              scripted: Scripted) -> None:
    scripted.get("/sequences.json", payload={"series": []})
    with pytest.raises(ix.DecodeError, match="'sequences'"):
        await api.sequences.list()


async def test_redirects_are_not_followed(api: ix.AsyncInvoiceXpress, scripted: Scripted) -> None:
    # following a redirect would carry the api key to another host
    scripted.get("/sequences.json", status=302, headers={"Location": "https://evil.example/"})
    with pytest.raises(ix.APIError) as info:
        await api.sequences.list()
    assert info.value.status == 302
    assert len(scripted.requests) == 1


async def test_request_wire_format(api: ix.AsyncInvoiceXpress, scripted: Scripted) -> None:
    scripted.post("/clients.json", payload=CLIENT, status=201)
    await api.clients.create(ix.ClientCreate(name="A", code="A1", send_options=2,
                                             preferred_contact=ix.PreferredContact(name="B")))
    (call,) = scripted.calls("POST", "/clients.json")
    assert orjson.loads(call.body) == {
        "client": {"name": "A", "code": "A1", "send_options": "2",
                   "preferred_contact": {"name": "B"}}}
    assert call.headers["Content-Type"].startswith("application/json")
    assert call.headers["Accept"] == "application/json"
    assert ("api_key", CANARY_KEY) in call.query
