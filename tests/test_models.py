"""The converter absorbs the wire's quirks and refuses what it cannot read."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async.models._convert import structure_hook

structure_invoice = structure_hook(ix.Invoice)
structure_client = structure_hook(ix.Client)
structure_sequence = structure_hook(ix.Sequence)


def test_money_from_numbers_and_strings_is_decimal() -> None:
    inv = structure_invoice({"total": 1.07, "sum": "12.3400", "taxes": 5,
                             "items": [{"unit_price": "24.3902", "quantity": 1.5}]})
    assert inv.total == Decimal("1.07") and type(inv.total) is Decimal
    assert inv.sum == Decimal("12.3400") and inv.taxes == Decimal(5)
    assert inv.items[0].unit_price == Decimal("24.3902")
    assert inv.items[0].quantity == Decimal("1.5")


@pytest.mark.parametrize(("wire", "day"), [
    ("27/06/2017", datetime.date(2017, 6, 27)), ("1/2/2024", datetime.date(2024, 2, 1)),
    ("2024-02-01", datetime.date(2024, 2, 1)),
])
def test_dates(wire: str, day: datetime.date) -> None:
    assert structure_invoice({"date": wire}).date == day


def test_string_ids_and_numbers_become_ints() -> None:
    client = structure_client({"id": "1", "send_options": "2", "payment_days": "30"})
    assert (client.id, client.send_options, client.payment_days) == (1, 2, 30)
    assert structure_invoice({"sequence_id": "12345"}).sequence_id == 12345


def test_unknown_fields_ignored_missing_are_none() -> None:
    inv = structure_invoice({"id": 1, "brand_new_field": {"x": 1}})
    assert inv.id == 1 and inv.total is None and inv.client is None and inv.items == []


def test_null_items_become_empty() -> None:
    assert structure_invoice({"items": None}).items == []


def test_sequence_default_flag_from_int() -> None:
    assert structure_sequence({"default_sequence": 1}).default_sequence is True
    assert structure_sequence({"default_sequence": "0"}).default_sequence is False


@pytest.mark.parametrize("data", [
    {"total": "abc"}, {"total": [1]}, {"date": "31/02/2024"}, {"date": 20240101},
    {"id": "x1"}, {"items": "many"}, {"items": [3]}, {"archived": "perhaps"},
    {"total": "Infinity"}, {"client": "John"},
])
def test_malformed_values_raise_plain_errors(data: dict[str, Any]) -> None:
    # resources turn these into DecodeError; see test_decode_errors below
    with pytest.raises((TypeError, ValueError, ArithmeticError)):
        structure_invoice(data)


async def test_decode_errors_from_the_api(api: ix.AsyncInvoiceXpress, scripted: Any) -> None:
    scripted.get("/invoices.json", payload={"invoices": [{"id": 1, "total": "oops"}]})
    with pytest.raises(ix.DecodeError) as info:
        [i async for i in api.invoices.list()]
    assert info.value.page == 1
    scripted.get("/sequences.json", payload={"sequences": [{"id": "x"}]})
    with pytest.raises(ix.DecodeError):
        await api.sequences.list()
    scripted.get("/invoices.json", payload={"invoices": {"id": 1}})
    with pytest.raises(ix.DecodeError):
        [i async for i in api.invoices.list()]
