"""Property-based: any argument is either refused before sending (naming itself) or
accepted and round-tripped; any response body is a model or our DecodeError."""

from __future__ import annotations

import asyncio
import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .scripted import Scripted

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                 st.text(max_size=5), st.binary(max_size=3), st.lists(st.integers(), max_size=2),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                 st.datetimes(), st.decimals(allow_nan=True))

# what the API's list filter knows (reference §1.5), written here, not read from the SDK
TYPES = {"Invoice", "InvoiceReceipt", "SimplifiedInvoice", "CreditNote", "DebitNote",
         "Receipt", "CashInvoice", "VatMossInvoice", "VatMossCreditNote", "VatMossReceipt"}
STATUSES = {"draft", "sent", "final", "settled", "canceled", "second_copy", "deleted"}

VALID: dict[str, st.SearchStrategy[Any]] = {
    "text": st.one_of(st.none(), st.text(max_size=10)),
    "type": st.one_of(st.none(), st.sampled_from([t for t in ix.DocumentType if t in TYPES]),
                      st.lists(st.sampled_from(["Invoice", "CreditNote"]), min_size=1)),
    "status": st.one_of(st.none(), st.sampled_from([s for s in ix.DocumentStatus
                                                     if s in STATUSES]),
                        st.lists(st.sampled_from(["sent", "draft", "settled"]), min_size=1)),
    "date_from": st.one_of(st.none(), st.dates()),
    "date_to": st.one_of(st.none(), st.dates()),
    "due_date_from": st.one_of(st.none(), st.dates()),
    "due_date_to": st.one_of(st.none(), st.dates()),
    "total_before_taxes_from": st.one_of(st.none(), st.integers(0, 10**6),
                                         st.decimals(0, 10**6, places=2)),
    "total_before_taxes_to": st.one_of(st.none(), st.integers(0, 10**6)),
    "non_archived": st.one_of(st.none(), st.booleans()),
    "archived": st.one_of(st.none(), st.booleans()),
    "reference": st.one_of(st.none(), st.text(max_size=8)),
    "per_page": st.one_of(st.none(), st.integers(1, 1000)),
    "page": st.integers(1, 50),
}


def is_valid(name: str, value: Any) -> bool:
    """Whether ``value`` belongs to the argument's documented domain."""
    if name in ("per_page",) and value is None:
        return True
    if name == "per_page":
        return type(value) is int and 1 <= value <= 1000
    if name == "page":
        return type(value) is int and 1 <= value <= 10**9
    if value is None:
        return True
    if name.startswith(("date", "due_date")):
        return type(value) is datetime.date
    if name.startswith("total"):
        return (type(value) is int and 0 <= value < 10**13) or (  # at most 12 integer digits
            type(value) is Decimal and value.is_finite() and value >= 0
            and len(value.as_tuple().digits) <= 24 and abs(int(value.as_tuple().exponent)) <= 12
            and value.adjusted() <= 12)
    if name in ("archived", "non_archived"):
        return type(value) is bool
    if name in ("text", "reference"):
        return type(value) is str and len(value) <= 1000
    vocabulary, known = (ix.DocumentType, TYPES) if name == "type" \
        else (ix.DocumentStatus, STATUSES)
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(
        (isinstance(v, vocabulary) or type(v) is str) and str(v) in known for v in values)


@pytest.fixture
def api() -> Iterator[ix.AsyncInvoiceXpress]:
    yield ix.AsyncInvoiceXpress(account_name="acme", api_key="k")


@FAST
@given(data=st.data(), name=st.sampled_from(sorted(VALID)))
def test_every_valid_value_is_accepted(api: ix.AsyncInvoiceXpress, data: st.DataObject,
                                       name: str) -> None:
    """The positive control of the test below: its accepting path is really reached."""
    value = data.draw(VALID[name], label=name)
    assert is_valid(name, value)
    api.invoices.list(**{name: value})


@FAST
@given(data=st.data(), name=st.sampled_from(sorted(VALID)))
def test_invoices_list_refuses_or_accepts_each_argument(api: ix.AsyncInvoiceXpress,
                                                        data: st.DataObject, name: str) -> None:
    value = data.draw(st.one_of(VALID[name], junk), label=name)
    if is_valid(name, value):
        api.invoices.list(**{name: value})
    else:
        with pytest.raises((TypeError, ValueError), match=name):
            api.invoices.list(**{name: value})


@FAST
@given(client_id=st.one_of(junk, st.integers(1, 2**64)),
       per_page=st.one_of(junk, st.none(), st.integers(1, 1000)))
def test_client_invoices_arguments(api: ix.AsyncInvoiceXpress, client_id: Any,
                                   per_page: Any) -> None:
    good_id = type(client_id) is int and 1 <= client_id < 2**63
    good_size = per_page is None or (type(per_page) is int and 1 <= per_page <= 1000)
    if good_id and good_size:
        api.clients.invoices(client_id, per_page=per_page)
    else:
        with pytest.raises((TypeError, ValueError),
                           match="client_id" if not good_id else "per_page"):
            api.clients.invoices(client_id, per_page=per_page)


emails = st.from_regex(r"\A[a-z]{1,8}@[a-z]{1,8}\.(pt|com)\Z")
client_fields = st.fixed_dictionaries(
    {"name": st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1,
                     max_size=30).filter(str.strip)},
    optional={"email": emails, "language": st.sampled_from(["pt", "en", "es"]),
              "city": st.text(max_size=20), "send_options": st.integers(1, 3),
              "fiscal_id": st.from_regex(r"\A[0-9]{9}\Z"),
              "payment_days": st.integers(0, 365),
              "tax_exemption_code": st.sampled_from(ix.TAX_EXEMPTION_CODES),
              "preferred_contact": st.builds(ix.PreferredContact, name=st.text(max_size=10),
                                             email=emails,
                                             phone=st.from_regex(r"\A9[0-9]{8}\Z"),
                                             mobile=st.from_regex(r"\A9[0-9]{8}\Z"))})


@pytest.fixture(scope="module")
def served() -> Iterator[Sandbox]:
    with Sandbox(invoices=10).running() as sandbox:
        yield sandbox


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=client_fields, number=st.integers(0, 10**9))
def test_valid_clients_round_trip_through_the_sandbox(served: Sandbox, fields: dict[str, Any],
                                                      number: int) -> None:
    code = f"P{number}-{len(served.account.clients)}"
    with ix.InvoiceXpress(**served.client_kwargs(), rate_limit=None) as api:
        created = api.clients.create(ix.ClientCreate(code=code, **fields))
        found = api.clients.find_by_code(code)
    assert created == found
    assert created.name == fields["name"] and created.code == code
    for key in ("email", "language", "city", "send_options", "fiscal_id", "payment_days",
                "tax_exemption_code"):
        if key in fields:
            assert getattr(created, key) == fields[key]
    if "preferred_contact" in fields:
        assert created.preferred_contact == fields["preferred_contact"]


# ---- fuzzed answers ------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8)

GOOD_INVOICE: dict[str, Any] = {
    "id": 1, "status": "final", "archived": False, "type": "Invoice", "date": "27/06/2017",
    "total": 1.07, "sequence_id": "12", "client": {"id": 3, "name": "A"},
    "items": [{"name": "x", "unit_price": "1.0", "quantity": "1.0",
               "tax": {"id": 1, "name": "IVA", "value": 23}}]}
INVOICE_PATHS = ["id", "status", "archived", "date", "total", "sequence_id", "client",
                 "client.id", "items", "items.0", "items.0.unit_price", "items.0.tax",
                 "items.0.tax.value", "brand_new"]


def dumps(value: Any) -> bytes:
    """The test's own JSON writer: stdlib json, which (unlike orjson) writes huge ints."""
    return json.dumps(value).encode()


def mutate(path: str, value: Any) -> dict[str, Any]:
    doc: Any = orjson.loads(orjson.dumps(GOOD_INVOICE))
    *parents, last = path.split(".")
    target = doc
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return doc  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def answering() -> Iterator[Scripted]:
    """One scripted server for every fuzzed answer of the module."""
    with Scripted().running() as server:
        yield server


def fetch(server: Scripted, path: str, body: bytes, status: int, call: Any) -> Any:
    """``call(api)``'s outcome (a value or our error) when ``path`` answers ``body``."""
    server.reset()
    server.get(path, body=body, status=status, repeat=True)

    async def run() -> Any:
        async with ix.AsyncInvoiceXpress(account_name="acme", api_key="k",
                                         base_url=server.base_url,
                                         retry=ix.RetryPolicy(max_attempts=1)) as api:
            try:
                return await call(api)
            except ix.InvoiceXpressError as error:
                return error
    return asyncio.run(run())


async def _all_invoices(api: ix.AsyncInvoiceXpress) -> list[ix.Invoice]:
    return [i async for i in api.invoices.list()]


def fetch_invoices(server: Scripted, body: bytes,
                   status: int = 200) -> list[ix.Invoice] | ix.InvoiceXpressError:
    return fetch(server, "/invoices.json", body, status, _all_invoices)  # type: ignore[no-any-return]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(INVOICE_PATHS), value=json_values)
def test_a_wrong_field_is_a_model_or_a_decode_error(answering: Scripted, path: str,
                                                    value: Any) -> None:
    body = dumps({"invoices": [mutate(path, value)],
                  "pagination": {"current_page": 1, "total_pages": 1}})
    outcome = fetch_invoices(answering, body)
    if isinstance(outcome, ix.InvoiceXpressError):
        assert isinstance(outcome, ix.DecodeError), outcome
        assert outcome.page == 1
    else:
        (invoice,) = outcome
        assert isinstance(invoice, ix.Invoice)
        if value is None and path in ("id", "status", "date", "total", "client"):
            assert getattr(invoice, path) is None  # a null optional field is None


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(json_values.map(lambda v: dumps(v)), st.binary(max_size=40),
                      st.sampled_from([b"<html><body>502 Bad Gateway</body></html>",
                                       b'{"invoices": [', b'{"invoice": []}', b"null",
                                       b'{"invoices": [], "pagination": {"total_pages": "x"}}',
                                       b'{"invoices": [1, 2]}', b"1e999999", b"[]"])),
       status=st.sampled_from([200, 200, 200, 404, 422, 500]))
def test_any_body_is_a_model_or_our_error(answering: Scripted, body: bytes, status: int) -> None:
    outcome = fetch_invoices(answering, body, status)
    if status != 200:
        assert isinstance(outcome, ix.APIError) and outcome.status == status
    elif isinstance(outcome, ix.InvoiceXpressError):
        assert isinstance(outcome, ix.DecodeError), outcome
    else:
        assert all(isinstance(i, ix.Invoice) for i in outcome)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values.map(lambda v: dumps({"sequences": v})))
def test_sequences_fuzz(answering: Scripted, body: bytes) -> None:
    outcome = fetch(answering, "/sequences.json", body, 200, lambda api: api.sequences.list())
    assert isinstance(outcome, (list, ix.DecodeError)), outcome


discounts = st.one_of(
    st.builds(ix.GlobalDiscount, value_type=st.just("percentage"),
              value=st.decimals(0, 100, places=2)),
    st.builds(ix.GlobalDiscount, value_type=st.just("absolute"),
              value=st.decimals(0, 10**6, places=2)))
lines = st.builds(ix.ItemLine, name=st.from_regex(r"\A[A-Za-z]{1,10}\Z"), description=st.just(""),
                  unit_price=st.decimals(0, 10**4, places=2),
                  quantity=st.decimals(1, 100, places=0),
                  tax=st.sampled_from(["IVA23", "IVA0"]),
                  tax_exemption=st.sampled_from(ix.TAX_EXEMPTION_CODES[1:]))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(discount=discounts, items=st.lists(lines, min_size=1, max_size=3),
       plugin=st.one_of(st.none(), st.from_regex(r"\A[a-z0-9-]{1,12}\Z")))
def test_new_document_fields_round_trip_through_the_sandbox(
        served: Sandbox, discount: ix.GlobalDiscount, items: list[ix.ItemLine],
        plugin: str | None) -> None:
    day = datetime.date(2026, 11, 2)
    with ix.InvoiceXpress(**served.client_kwargs(), rate_limit=None) as api:
        created = api.invoices.create(ix.DocumentCreate(
            date=day, due_date=day, client=ix.DocumentClient(code="C00001"), items=items,
            global_discount=discount, plugin_id=plugin))
    assert created.global_discount == discount
    assert [line.tax_exemption for line in created.items] == [i.tax_exemption for i in items]
    assert created.client is not None and created.client.code == "C00001"
