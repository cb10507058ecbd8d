"""Every request model checks itself: any value of the wrong kind in any field is refused
when the model is built, naming the field; valid models reach the wire format."""

from __future__ import annotations

import datetime
import typing
from decimal import Decimal
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import invoicexpress_async as ix
from invoicexpress_async.models._convert import wire_body

LINE = ix.ItemLine(name="A", description="", unit_price=Decimal("1.50"), quantity=Decimal(2))
CLIENT = ix.DocumentClient(name="A", code="A1")
PLACE = ix.Address(city="Porto")
DAY = datetime.date(2026, 1, 2)

VALID: dict[type, dict[str, Any]] = {
    ix.DocumentClient: {"name": "A", "code": "A1"},
    ix.ItemLine: {"name": "A", "description": "", "unit_price": Decimal(1), "quantity": 1},
    ix.DocumentCreate: {"date": DAY, "due_date": DAY, "client": CLIENT, "items": [LINE]},
    ix.GuideCreate: {"date": DAY, "due_date": DAY, "client": CLIENT, "items": [LINE],
                     "loaded_at": datetime.datetime(2026, 1, 2, 8), "address_from": PLACE,
                     "address_to": PLACE},
    ix.Address: {},
    ix.Payment: {"amount": Decimal("9.99")},
    ix.EmailMessage: {"email": "a@b.pt"},
    ix.CatalogItemCreate: {"name": "A", "description": "B", "unit_price": Decimal(1)},
    ix.TaxCreate: {"name": "IVA", "value": Decimal(23)},
    ix.SequenceCreate: {"serie": "2026"},
    ix.ATCredentials: {"username": "u", "password": "p"},
    ix.AccountCreate: {"organization_name": "A", "email": "a@b.pt", "password": "p",
                       "terms": True},
    ix.TreasuryMovement: {"value": Decimal(1), "movement_type": "Payment", "date": DAY},
}

# values of the wrong kind for each declared type (None too, where a value is required)
WRONG: dict[Any, st.SearchStrategy[Any]] = {
    str: st.one_of(st.integers(), st.binary(max_size=3), st.lists(st.text(), max_size=1)),
    Decimal: st.one_of(st.floats(), st.text(max_size=4), st.just(Decimal("NaN")),
                       st.just(Decimal("1e30000")), st.just(Decimal(-1)), st.booleans()),
    int: st.one_of(st.floats(), st.text(max_size=3), st.booleans(), st.just(0),
                   st.just(2**64)),
    bool: st.one_of(st.integers(), st.text(max_size=3), st.none()),
    datetime.date: st.one_of(st.text(max_size=10), st.datetimes(), st.integers()),
    datetime.datetime: st.one_of(st.text(max_size=10), st.dates(), st.integers()),
}


def _fields() -> list[tuple[type, str, Any]]:
    found = []
    for model in VALID:
        attrs.resolve_types(model)
        for field in attrs.fields(model):
            if field.name != "extra":  # what an answer held beyond the model; never sent
                found.append((model, field.name, field.type))
    return found


def _wrong_for(kind: Any) -> st.SearchStrategy[Any]:
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    optional = type(None) in typing.get_args(kind)
    base = args[0] if args else kind
    if typing.get_origin(base) is list:
        return st.one_of(st.just([]), st.just([1]), st.just("x"))
    strategy = WRONG.get(base, st.one_of(st.integers(), st.text(max_size=3),
                                         st.dictionaries(st.text(max_size=2), st.integers(),
                                                         max_size=1)))
    if optional:
        return strategy
    blank = [st.just("  ")] if base is str else []  # required text must say something
    return st.one_of(strategy, st.none(), *blank)


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_a_valid_model_reaches_the_wire(model: type) -> None:
    built = model(**VALID[model])
    assert isinstance(orjson.loads(orjson.dumps(wire_body(built))), dict)


FIELDS = _fields()


@settings(max_examples=25, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize(("model", "name", "kind"), FIELDS,
                         ids=[f"{m.__name__}.{n}" for m, n, _ in FIELDS])
def test_a_wrong_value_is_refused_naming_the_field(model: type, name: str, kind: Any,
                                                   data: st.DataObject) -> None:
    value = data.draw(_wrong_for(kind), label=name)
    if value is None and name not in {f.name for f in attrs.fields(model)
                                      if f.default is attrs.NOTHING}:
        return  # None is the default of an optional field: allowed
    if kind in (bool, bool | None) and isinstance(value, bool):
        return
    if name == "description" and isinstance(value, str):
        return  # the API requires the key, not content: any text will do
    with pytest.raises((TypeError, ValueError), match=name):
        model(**{**VALID[model], name: value})


def test_the_models_say_what_they_refuse() -> None:
    with pytest.raises(ValueError, match="due_date must not be before date"):
        ix.DocumentCreate(**{**VALID[ix.DocumentCreate], "due_date": DAY.replace(day=1)})
    with pytest.raises(ValueError, match="terms must be True"):
        ix.AccountCreate(**{**VALID[ix.AccountCreate], "terms": False})
    with pytest.raises(ValueError, match="movement_type must be one of Payment"):
        ix.TreasuryMovement(**{**VALID[ix.TreasuryMovement], "movement_type": "payment"})
    with pytest.raises(ValueError, match="code must be one of NOR"):
        ix.TaxCreate(name="IVA", value=Decimal(23), code="XXX")
    with pytest.raises(ValueError, match="payment_mechanism"):
        ix.Payment(amount=Decimal(1), payment_mechanism="BITCOIN")
