"""Every retry rule, both Retry-After forms, the cap, the account-wide 429 pause,
POST safety and error mapping, pinned with aioresponses on fake time."""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any
from unittest import mock

import aiohttp
import pytest

import invoicexpress_async as ix

from .conftest import FakeTime, calls, url

SEQUENCES = {"sequences": [{"id": 1, "serie": "A", "default_sequence": 1}]}
CLIENT = {"client": {"id": "7", "name": "A", "code": "A1"}}


def connect_refused() -> aiohttp.ClientConnectorError:
    return aiohttp.ClientConnectorError(mock.Mock(ssl=True, host="h", port=443),
                                        OSError(111, "Connection refused"))


# ---- GET: 5xx, timeouts and resets are retried -------------------------------------------

@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
async def test_get_retries_5xx_then_succeeds(api: ix.AsyncInvoiceXpress, mocked: Any,
                                             fake_time: FakeTime, status: int) -> None:
    mocked.get(url("/sequences.json"), status=status)
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
    sequences = await api.sequences.list()
    assert [s.serie for s in sequences] == ["A"]
    assert len(calls(mocked, "GET", "/sequences.json")) == 2
    assert len(fake_time.sleeps) == 1
    assert api.stats.retries == 1


@pytest.mark.parametrize("exc", [
    aiohttp.ServerDisconnectedError(),
    aiohttp.ClientPayloadError("cut short"),
    aiohttp.ClientOSError(104, "Connection reset by peer"),
    aiohttp.SocketTimeoutError(),
    TimeoutError(),
])
async def test_get_retries_transport_failures(api: ix.AsyncInvoiceXpress, mocked: Any,
                                              exc: Exception) -> None:
    mocked.get(url("/sequences.json"), exception=exc)
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
    assert len(await api.sequences.list()) == 1
    assert len(calls(mocked, "GET", "/sequences.json")) == 2


async def test_get_gives_up_after_max_attempts(make_api: Any, mocked: Any,
                                               fake_time: FakeTime) -> None:
    api = make_api(retry=ix.RetryPolicy(max_attempts=4))
    for _ in range(4):
        mocked.get(url("/sequences.json"), status=503, payload={"message": "busy"})
    with pytest.raises(ix.ServerError) as info:
        await api.sequences.list()
    assert info.value.status == 503
    assert info.value.messages == ["busy"]
    assert not info.value.outcome_unknown
    assert len(calls(mocked, "GET", "/sequences.json")) == 4


async def test_timeout_after_retries_is_request_timeout(api: ix.AsyncInvoiceXpress,
                                                        mocked: Any) -> None:
    for _ in range(3):
        mocked.get(url("/sequences.json"), exception=aiohttp.SocketTimeoutError())
    with pytest.raises(ix.RequestTimeout):
        await api.sequences.list()


async def test_4xx_is_never_retried(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.get(url("/sequences.json"), status=404)
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
    with pytest.raises(ix.NotFoundError):
        await api.sequences.list()
    assert len(calls(mocked, "GET", "/sequences.json")) == 1


async def test_backoff_is_full_jitter_within_cap(make_api: Any, mocked: Any,
                                                 fake_time: FakeTime) -> None:
    api = make_api(retry=ix.RetryPolicy(max_attempts=6, backoff_base=0.5, backoff_max=2.0))
    for _ in range(5):
        mocked.get(url("/sequences.json"), status=500)
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
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


# ---- POST: never retried once it may have been processed ----------------------------------

@pytest.mark.parametrize("status", [500, 502, 503])
async def test_post_5xx_is_not_retried_and_outcome_unknown(api: ix.AsyncInvoiceXpress,
                                                           mocked: Any, status: int) -> None:
    mocked.post(url("/clients.json"), status=status)
    mocked.post(url("/clients.json"), payload=CLIENT, status=201)
    with pytest.raises(ix.ServerError) as info:
        await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert info.value.outcome_unknown
    assert "outcome is unknown" in str(info.value)
    assert len(calls(mocked, "POST", "/clients.json")) == 1


@pytest.mark.parametrize("exc", [aiohttp.ServerDisconnectedError(),
                                 aiohttp.ClientPayloadError("cut"),
                                 aiohttp.SocketTimeoutError(),
                                 aiohttp.ClientOSError(104, "reset")])
async def test_post_sent_then_failed_is_not_retried(api: ix.AsyncInvoiceXpress, mocked: Any,
                                                    exc: Exception) -> None:
    mocked.post(url("/clients.json"), exception=exc)
    mocked.post(url("/clients.json"), payload=CLIENT, status=201)
    with pytest.raises(ix.TransportError) as info:
        await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert info.value.outcome_unknown
    assert len(calls(mocked, "POST", "/clients.json")) == 1


async def test_post_connection_refused_before_sending_is_retried(
        api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.post(url("/clients.json"), exception=connect_refused())
    mocked.post(url("/clients.json"), payload=CLIENT, status=201)
    client = await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert client.id == 7
    assert len(calls(mocked, "POST", "/clients.json")) == 2


async def test_post_connect_timeout_is_retried(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.post(url("/clients.json"), exception=aiohttp.ConnectionTimeoutError())
    mocked.post(url("/clients.json"), payload=CLIENT, status=201)
    assert (await api.clients.create(ix.ClientCreate(name="A", code="A1"))).id == 7


async def test_post_429_is_retried(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.post(url("/clients.json"), status=429, headers={"Retry-After": "2"})
    mocked.post(url("/clients.json"), payload=CLIENT, status=201)
    assert (await api.clients.create(ix.ClientCreate(name="A", code="A1"))).id == 7
    assert len(calls(mocked, "POST", "/clients.json")) == 2


async def test_post_422_is_definite_not_unknown(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.post(url("/clients.json"), status=422,
                payload={"errors": ["Code has already been taken"]})
    with pytest.raises(ix.ValidationError) as info:
        await api.clients.create(ix.ClientCreate(name="A", code="A1"))
    assert not info.value.outcome_unknown
    assert info.value.messages == ["Code has already been taken"]


# ---- 429 and Retry-After ------------------------------------------------------------------

async def test_retry_after_seconds_is_obeyed(api: ix.AsyncInvoiceXpress, mocked: Any,
                                             fake_time: FakeTime) -> None:
    mocked.get(url("/sequences.json"), status=429, headers={"Retry-After": "7"})
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
    start = fake_time.now
    await api.sequences.list()
    assert fake_time.now - start == pytest.approx(7.0)
    assert api.stats.rate_limited == 1


async def test_retry_after_http_date_is_obeyed(api: ix.AsyncInvoiceXpress, mocked: Any,
                                               fake_time: FakeTime) -> None:
    when = email.utils.formatdate(time.time() + 12, usegmt=True)
    mocked.get(url("/sequences.json"), status=503, headers={"Retry-After": when})
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
    await api.sequences.list()
    assert len(fake_time.sleeps) == 1
    assert 10.0 <= fake_time.sleeps[0] <= 12.5


async def test_retry_after_above_cap_raises_at_once(make_api: Any, mocked: Any,
                                                    fake_time: FakeTime) -> None:
    api = make_api(retry=ix.RetryPolicy(max_retry_after=30.0))
    mocked.get(url("/sequences.json"), status=429, headers={"Retry-After": "120"})
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
    with pytest.raises(ix.RateLimitError) as info:
        await api.sequences.list()
    assert info.value.retry_after == 120.0
    assert len(calls(mocked, "GET", "/sequences.json")) == 1
    assert sum(fake_time.sleeps) <= 30.0


async def test_429_without_retry_after_backs_off(api: ix.AsyncInvoiceXpress, mocked: Any,
                                                 fake_time: FakeTime) -> None:
    mocked.get(url("/sequences.json"), status=429)
    mocked.get(url("/sequences.json"), payload=SEQUENCES)
    await api.sequences.list()
    assert len(calls(mocked, "GET", "/sequences.json")) == 2
    assert 0 <= sum(fake_time.sleeps) <= 0.5


async def test_429_pauses_every_client_of_the_account(make_api: Any, mocked: Any,
                                                      fake_time: FakeTime) -> None:
    a = make_api(retry=ix.RetryPolicy(max_attempts=1))
    b = make_api(pool=a.pool)  # another client of the same account on the same pool
    stranger = make_api(pool=a.pool, account_name="other")
    mocked.get(url("/sequences.json"), status=429, headers={"Retry-After": "5"})
    with pytest.raises(ix.RateLimitError):
        await a.sequences.list()
    paused_at = fake_time.now
    sent_at: list[float] = []
    mocked.get(url("/sequences.json"), payload=SEQUENCES,
               callback=lambda *_, **__: sent_at.append(fake_time.now))
    await b.sequences.list()
    assert sent_at == [pytest.approx(paused_at + 5.0)]
    # another account is not paused
    other_base = "https://other.app.invoicexpress.com/sequences.json"
    mocked.get(__import__("re").compile("^" + other_base), payload=SEQUENCES)
    before = fake_time.now
    await stranger.sequences.list()
    assert fake_time.now == before


async def test_429_pause_applies_to_requests_already_waiting(make_api: Any, mocked: Any,
                                                             fake_time: FakeTime) -> None:
    api = make_api()
    mocked.get(url("/sequences.json"), status=429, headers={"Retry-After": "4"})
    times: list[float] = []
    for _ in range(5):
        mocked.get(url("/sequences.json"), payload=SEQUENCES,
                   callback=lambda *a, **k: times.append(fake_time.now))
    await asyncio.gather(*(api.sequences.list() for _ in range(5)))
    # the first answer was a 429 with Retry-After 4: nothing else went out before t0 + 4
    assert min(times) >= 1000.0 + 4.0


# ---- error mapping ------------------------------------------------------------------------

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
async def test_error_bodies_map_to_typed_errors(make_api: Any, mocked: Any, status: int,
                                                body: Any, cls: type[ix.APIError],
                                                messages: list[str]) -> None:
    api = make_api(retry=ix.RetryPolicy(max_attempts=1))
    if isinstance(body, bytes):
        mocked.get(url("/sequences.json"), status=status, body=body)
    else:
        mocked.get(url("/sequences.json"), status=status, payload=body)
    with pytest.raises(ix.APIError) as info:
        await api.sequences.list()
    assert type(info.value) is cls
    assert info.value.status == status
    assert info.value.messages == messages
    assert info.value.method == "GET"
    assert info.value.url is not None and "api_key=***" in info.value.url
    if isinstance(body, bytes) and body:
        assert info.value.body == body.decode()  # the raw body is kept


async def test_non_json_success_is_decode_error(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.get(url("/sequences.json"), body=b"<html>maintenance</html>")
    with pytest.raises(ix.DecodeError):
        await api.sequences.list()


async def test_wrong_root_key_is_decode_error(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.get(url("/sequences.json"), payload={"series": []})
    with pytest.raises(ix.DecodeError, match="'sequences'"):
        await api.sequences.list()


async def test_redirects_are_not_followed(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    # following a redirect would carry the api key to another host
    mocked.get(url("/sequences.json"), status=302, headers={"Location": "https://evil.example/"})
    with pytest.raises(ix.APIError) as info:
        await api.sequences.list()
    assert info.value.status == 302


async def test_request_wire_format(api: ix.AsyncInvoiceXpress, mocked: Any) -> None:
    mocked.post(url("/clients.json"), payload=CLIENT, status=201)
    await api.clients.create(ix.ClientCreate(name="A", code="A1", send_options=2,
                                             preferred_contact=ix.PreferredContact(name="B")))
    (call,) = calls(mocked, "POST", "/clients.json")
    import orjson

    assert orjson.loads(call.kwargs["data"]) == {
        "client": {"name": "A", "code": "A1", "send_options": "2",
                   "preferred_contact": {"name": "B"}}}
    assert call.kwargs["headers"]["Content-Type"].startswith("application/json")
    assert ("api_key", "CANARY-k3y-4f1d9c") in call.kwargs["params"]
