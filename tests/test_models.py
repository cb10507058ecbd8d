"""The converter absorbs the wire's quirks and refuses what it cannot read."""

from __future__ import annotations

import datetime
import logging
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import invoicexpress_async as ix
from invoicexpress_async.models import _convert, _straight
from invoicexpress_async.models._convert import structure_hook

_structure_invoice = structure_hook(ix.Invoice)
# what every document the API sends carries (a document without it is a DecodeError)
DOC = {"id": 7, "status": "final", "type": "Invoice", "date": "27/06/2017", "total": "1.07"}


def structure_invoice(data: dict[str, Any]) -> ix.Invoice:
    """A document of the answer's shape: ``DOC``'s fields, then ``data``'s."""
    return _structure_invoice({**DOC, **data})
structure_client = structure_hook(ix.Client)
structure_sequence = structure_hook(ix.Sequence)


def test_money_from_numbers_and_strings_is_decimal() -> None:
    inv = structure_invoice({"total": 1.07, "sum": "12.3400", "taxes": 5,
                             "items": [{"unit_price": "24.3902", "quantity": 1.5}]})
    assert inv.total == Decimal("1.07") and type(inv.total) is Decimal
    assert inv.sum == Decimal("12.3400") and inv.taxes == Decimal(5)
    assert inv.items[0].unit_price == Decimal("24.3902")
    assert inv.items[0].quantity == Decimal("1.5")


def test_an_amount_keeps_the_digits_it_was_sent_with() -> None:
    """1.0 and 1 are equal numbers but not the same text: an export writes what was sent,
    whatever amounts the stream read before (a cache keyed by value once mixed them)."""
    sent = [1.0, 1, 2, 2.0, 0.0, -0.0, 0, 0.5]
    read = [structure_invoice({"total": amount, "sum": amount}) for amount in sent]
    assert [str(inv.total) for inv in read] == [str(inv.sum) for inv in read] \
        == ["1.0", "1", "2", "2.0", "0.0", "-0.0", "0", "0.5"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_amount_reads_as_its_shortest_text(amount: float) -> None:
    """A JSON number means the shortest text that reads back as its float (repr's):
    the fast path writes it with orjson, and must agree digit for digit."""
    _straight._FLOATS.clear()  # made now, not found in the cache
    read = structure_invoice({"total": amount}).total
    assert read.as_tuple() == Decimal(repr(amount)).as_tuple()


@pytest.mark.parametrize("amount", [math.inf, -math.inf, math.nan])
def test_a_float_amount_that_json_cannot_carry_is_refused(amount: float) -> None:
    """``ix.from_dict`` with an infinite or NaN float is refused, as the text "inf"
    always was (the fast path once made it Decimal("Infinity"))."""
    with pytest.raises(ValueError, match="expected a finite number"):
        ix.from_dict(ix.Invoice, {**DOC, "total": amount})


def test_a_day_read_before_is_the_same_day() -> None:
    days = [structure_invoice({"date": "27/06/2017", "due_date": "27/06/2017"})
            for _ in range(3)]
    assert {(inv.date, inv.due_date) for inv in days} == {(datetime.date(2017, 6, 27),) * 2}
    with pytest.raises(ValueError, match="date: day is out of range"):
        structure_invoice({"date": "31/02/2017"})  # no such day, however often it is sent


@pytest.mark.parametrize(("wire", "day"), [
    ("27/06/2017", datetime.date(2017, 6, 27)), ("1/2/2024", datetime.date(2024, 2, 1)),
    ("2024-02-01", datetime.date(2024, 2, 1)),
])
def test_dates(wire: str, day: datetime.date) -> None:
    assert structure_invoice({"date": wire}).date == day


def test_string_ids_and_numbers_become_ints() -> None:
    client = structure_client({"id": "1", "name": "A", "send_options": "2",
                               "payment_days": "30"})
    assert (client.id, client.send_options, client.payment_days) == (1, 2, 30)
    assert structure_invoice({"sequence_id": "12345"}).sequence_id == 12345


def test_unknown_fields_kept_missing_are_none() -> None:
    inv = structure_invoice({"id": 1, "brand_new_field": {"x": 1}})
    assert inv.id == 1 and inv.sum is None and inv.client is None and inv.items == []
    assert inv.extra == {"brand_new_field": {"x": 1}}


@pytest.mark.parametrize("field", ["id", "status", "type", "date", "total"])
def test_a_document_without_what_every_document_has_is_malformed(field: str) -> None:
    data = {k: v for k, v in DOC.items() if k != field}
    with pytest.raises(ValueError, match=f"^{field}: missing"):
        _structure_invoice(data)
    with pytest.raises(ValueError, match=f"^{field}: "):
        _structure_invoice({**data, field: {"an": "object"}})


def test_null_items_become_empty() -> None:
    assert structure_invoice({"items": None}).items == []


def test_sequence_default_flag_from_int() -> None:
    one = {"id": 1, "serie": 2017}  # a number for the serie: a recorded answer's drift
    assert structure_sequence({**one, "default_sequence": 1}).default_sequence is True
    assert structure_sequence({**one, "default_sequence": "0"}).default_sequence is False
    assert structure_sequence(one).serie == "2017"


@pytest.mark.parametrize("data", [
    {"sum": "abc"}, {"sum": [1]}, {"due_date": "31/02/2024"}, {"due_date": 20240101},
    {"items": "many"}, {"items": [3]}, {"archived": "perhaps"},
    {"taxes": "Infinity"}, {"client": "John"},
])
def test_a_field_of_an_unexpected_shape_is_kept_not_fatal(data: dict[str, Any]) -> None:
    invoice = structure_invoice({"id": 7, **data})
    (key,) = data
    assert invoice.id == 7 and invoice.extra == data  # kept as sent
    assert getattr(invoice, key) in (None, [])  # the typed attribute is left empty


def test_an_object_without_a_usable_id_is_malformed_at_its_path() -> None:
    with pytest.raises(ValueError, match=r"^id: expected an integer"):
        _structure_invoice({**DOC, "id": "x1"})


def test_a_nested_failure_is_kept_and_named_once(caplog: pytest.LogCaptureFixture) -> None:
    _convert._warned.clear()  # once per process: start this test's count afresh
    lines = [{"id": 1, "name": "ok"}, {"id": "two", "name": "bad"}]
    with caplog.at_level(logging.WARNING, logger="invoicexpress_async"):
        for _ in range(3):
            invoice = structure_invoice({"id": 9, "items": lines, "client": {"id": [5]}})
    assert (invoice.items, invoice.client) == ([], None)
    assert invoice.extra == {"items": lines, "client": {"id": [5]}}
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 2  # once per field path, however many answers carry it
    assert sorted(message.split(" has ")[0] for message in warned) == [
        "Invoice.client.id", "Invoice.items[1].id"]  # the JSON path of each


async def test_decode_errors_from_the_api(api: ix.AsyncInvoiceXpress, scripted: Any) -> None:
    scripted.get("/invoices.json", payload={"invoices": [{"id": "oops", "total": "1"}]})
    with pytest.raises(ix.DecodeError, match=r"\(id: expected an integer") as info:
        [i async for i in api.invoices.list()]
    assert info.value.page == 1
    scripted.get("/sequences.json", payload={"sequences": [{"id": "x"}]})
    with pytest.raises(ix.DecodeError):
        await api.sequences.list()
    scripted.get("/invoices.json", payload={"invoices": {"id": 1}})
    with pytest.raises(ix.DecodeError):
        [i async for i in api.invoices.list()]
