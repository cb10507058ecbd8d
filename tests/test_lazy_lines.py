"""A document's lines and embedded client are built on first use, and behave as the models
they are."""

from __future__ import annotations

import copy
import pickle
import threading
from decimal import Decimal
from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async.models._lazy import LazyField, Pending

WIRE: dict[str, Any] = {"id": 1, "status": "final", "type": "Invoice", "date": "01/02/2026",
                        "total": 10, "items": [{"id": 1, "name": "Pão", "unit_price": "2.5",
                                                "quantity": 4},
                                               {"name": "Café", "unit_price": 1.1}]}


def _invoice() -> ix.Invoice:
    return ix.from_dict(ix.Invoice, WIRE)


def _slot_of(invoice: ix.Invoice, name: str) -> Any:
    """What the document holds before anything reads ``name``."""
    return type(invoice).__mro__[1].__dict__[name].slot.__get__(invoice)


def test_lines_are_models_when_used_and_equal_to_eager_ones() -> None:
    invoice = _invoice()
    assert type(_slot_of(invoice, "items")) is Pending  # kept as sent: nothing read it yet
    assert type(invoice.items) is list and len(invoice.items) == 2
    assert invoice.items is invoice.items  # built once, then stored
    assert invoice.items[0].unit_price == Decimal("2.5") and invoice.items[1].name == "Café"
    eager = [ix.from_dict(ix.models.documents.Item, line) for line in WIRE["items"]]
    assert invoice.items == eager and eager == _invoice().items  # both ways, unbuilt too
    assert _invoice() == invoice  # the documents compare equal with lines unbuilt
    assert "Café" in repr(_invoice())
    assert [line.name for line in reversed(_invoice().items)] == ["Café", "Pão"]


def test_the_lines_are_a_plain_list_even_to_code_that_reads_list_memory() -> None:
    # json/orjson and list's own C methods read a list's memory, not its methods: the
    # list they get is built whole (a list subclass filled on first use looked empty)
    assert list.__len__(_invoice().items) == 2
    assert [*_invoice().items] == _invoice().items


def test_lines_serialize_and_copy_as_plain_lists() -> None:
    assert ix.to_dict(_invoice())["items"][1]["unit_price"] == "1.1"
    for again in (pickle.loads(pickle.dumps(_invoice().items)), copy.copy(_invoice().items),
                  _invoice().items.copy()):
        assert type(again) is list and [line.name for line in again] == ["Pão", "Café"]
    assert pickle.loads(pickle.dumps(_invoice())) == _invoice()


def test_a_value_that_cannot_be_built_when_read_is_a_decode_error_naming_it() -> None:
    invoice = _invoice()
    field = type(invoice).__mro__[1].__dict__["items"]

    def refuse(raw: Any) -> Any:
        raise ValueError("not a line")

    failing = LazyField(field.slot, refuse)
    with pytest.raises(ix.DecodeError, match="document's items cannot be read: not a line"):
        failing.__get__(invoice, type(invoice))
    assert type(_slot_of(invoice, "items")) is Pending  # still refused next time, not half built
    assert len(invoice.items) == 2


def _read_from_threads(invoice: ix.Invoice, name: str, threads: int = 8) -> list[Any]:
    """What ``threads`` threads reading ``invoice.<name>`` at once each got."""
    seen: list[Any] = []
    readers = [threading.Thread(target=lambda: seen.append(getattr(invoice, name)))
               for _ in range(threads)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    return seen


def test_first_reads_from_many_threads_build_the_lines_once() -> None:
    many = ix.from_dict(ix.Invoice, {**WIRE, "items": [{"id": n} for n in range(1000)]})
    seen = _read_from_threads(many, "items")
    assert len({id(lines) for lines in seen}) == 1 and len(seen[0]) == 1000


def test_a_malformed_line_still_keeps_the_lines_raw_with_a_warning() -> None:
    odd = ix.from_dict(ix.Invoice, {**WIRE, "items": [{"id": "two", "name": "x"}]})
    assert odd.items == [] and odd.extra == {"items": [{"id": "two", "name": "x"}]}


CLIENT: dict[str, Any] = {"id": 7, "name": "Consumidor final", "country": "Portugal",
                          "fiscal_id": "999999990"}


def _billed(client: Any) -> ix.Invoice:
    return ix.from_dict(ix.Invoice, {**WIRE, "client": client})


def test_the_client_is_built_when_read_and_is_the_model_it_always_was() -> None:
    invoice = _billed(CLIENT)
    assert type(_slot_of(invoice, "client")) is Pending  # kept as sent: nothing read it yet
    client = invoice.client
    assert type(client) is ix.models.documents.ClientRef and client.name == "Consumidor final"
    assert invoice.client is client  # built once, then stored
    eager = ix.from_dict(ix.models.documents.ClientRef, CLIENT)
    assert client == eager and _billed(CLIENT) == invoice == _billed(CLIENT)
    assert "Consumidor final" in repr(_billed(CLIENT))
    assert pickle.loads(pickle.dumps(_billed(CLIENT))) == invoice
    assert copy.deepcopy(_billed(CLIENT)).client == eager
    assert ix.to_dict(_billed(CLIENT))["client"]["fiscal_id"] == "999999990"
    assert type(ix.Invoice.client).__name__ == "LazyField"  # the class still answers


def test_a_client_that_does_not_fit_keeps_what_it_can_as_before() -> None:
    odd = _billed({**CLIENT, "name": {"first": "A"}})  # a member of another shape
    assert odd.client is not None and odd.client.name is None
    assert odd.client.extra == {"name": {"first": "A"}}
    no_id = _billed({**CLIENT, "id": "seven"})  # its identity: the document keeps it raw
    assert no_id.client is None and no_id.extra == {"client": {**CLIENT, "id": "seven"}}
    assert _billed("not an object").client is None
    assert _billed(None).client is None


def test_first_reads_from_many_threads_see_one_client() -> None:
    seen = _read_from_threads(_billed(CLIENT), "client")
    assert len({id(client) for client in seen}) == 1 and seen[0].name == "Consumidor final"
