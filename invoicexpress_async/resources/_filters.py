"""List filters as data: each one a name, a wire key and an encoder (with its allowed
values), shared by every list that takes it.

``INVOICE_FILTERS.query(status=["snet"])`` is a ValueError listing the allowed
statuses, raised when the list is built, before anything is sent: a typo never
becomes an empty stream.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

import attrs

from ..models.enums import ArchivedFilter, DocumentStatus, DocumentType
from . import _params
from ._operations import Query

Encoder = Callable[[str, Any], "str | list[str] | None"]


Shape = Literal["text", "day", "amount", "flag", "choices"]


@attrs.frozen
class Filter:
    """One filter: the keyword ``name``, the ``wire`` key, how a value is encoded, and
    what the command line says of it (``shape`` picks the flag's parser, ``help`` its
    text): the CLI's flags are made from these rows."""

    name: str
    wire: str
    encode: Encoder
    shape: Shape = "text"
    help: str = ""


@attrs.frozen
class FilterSet:
    filters: tuple[Filter, ...]
    ranges: tuple[tuple[str, str], ...] = ()  # (from, to) pairs that must not be inverted
    exclusive: tuple[tuple[str, str], ...] = ()  # flags that contradict each other

    @property
    def names(self) -> frozenset[str]:
        """The keywords this set of filters takes."""
        return frozenset(f.name for f in self.filters)

    def allowed(self, name: str) -> tuple[str, ...]:
        """The values filter ``name`` takes, when it is a choice (else empty)."""
        for spec in self.filters:
            if spec.name == name and isinstance(spec.encode, functools.partial):
                return tuple(spec.encode.keywords.get("allowed") or ())
        return ()

    def _encoded(self, values: dict[str, Any]) -> list[tuple[Filter, str | list[str]]]:
        known = {f.name: f for f in self.filters}
        unknown = set(values) - set(known)
        if unknown:  # a programming error in a resource, not user input
            raise TypeError(f"unknown filters: {', '.join(sorted(unknown))}")
        out = []
        for name, value in values.items():
            encoded = known[name].encode(name, value)
            if encoded is not None:
                out.append((known[name], encoded))
        for low, high in self.ranges:  # both were checked above: comparable values
            if values.get(low) is not None and values.get(high) is not None \
                    and values[low] > values[high]:
                raise ValueError(f"{low} ({values[low]}) must not be after {high}"
                                 f" ({values[high]}): nothing could match")
        return out

    def query(self, **values: Any) -> Query:
        """Rails-style query pairs: ``key[]=v`` for each value of a list."""
        query: Query = []
        for spec, encoded in self._encoded(values):
            if isinstance(encoded, list):
                query.extend((f"{spec.wire}[]", entry) for entry in encoded)
            else:
                query.append((spec.wire, encoded))
        return query

    def body(self, **values: Any) -> dict[str, Any]:
        """The same filters as a JSON object (the client-documents list takes a body)."""
        return {spec.wire: encoded for spec, encoded in self._encoded(values)}


def one_of(vocabulary: type[Any], *allowed: str,
           aliases: dict[str, str] | None = None) -> Encoder:
    return functools.partial(_choices, vocabulary=vocabulary, allowed=allowed or None,
                             aliases=aliases)


def _choices(name: str, value: Any, *, vocabulary: type[Any], allowed: tuple[str, ...] | None,
             aliases: dict[str, str] | None) -> list[str] | None:
    return _params.choices(name, value, vocabulary, allowed, aliases)


def _archived(name: str, value: Any) -> list[str] | None:
    """True (only archived), False (only non-archived), or the API's words."""
    if isinstance(value, bool):
        return [(ArchivedFilter.ARCHIVED if value else ArchivedFilter.NON_ARCHIVED).value]
    return _params.choices(name, value, ArchivedFilter, tuple(ArchivedFilter))


INVOICE_FAMILY_TYPES = ("Invoice", "InvoiceReceipt", "SimplifiedInvoice", "CreditNote",
                        "DebitNote", "Receipt", "CashInvoice", "VatMossInvoice",
                        "VatMossCreditNote", "VatMossReceipt")
# the list filter says "sent" where documents say "final" (reference §3.1); both spellings
# are taken, and each list gets the one it understands
LIST_STATUSES = ("draft", "sent", "settled", "canceled", "second_copy", "deleted")
DOCUMENT_STATUSES = ("draft", "final", "settled", "canceled", "second_copy", "deleted")



def _list_status(*allowed: str) -> Filter:
    """A list's ``status[]`` filter: ``final`` is taken for the filters' ``sent``."""
    return Filter("status", "status", one_of(DocumentStatus, *allowed, aliases={"final": "sent"}),
                  "choices", f"status: {', '.join(allowed)} (repeatable; final = sent)")


def _type(*allowed: str) -> Filter:
    return Filter("type", "type", one_of(DocumentType, *allowed), "choices",
                  f"document type: {', '.join(allowed)} (repeatable)")


def _day(name: str, wire: str, help: str) -> Filter:
    return Filter(name, wire, _params.day, "day", help)


_ARCHIVE = (("archived", "non_archived"),)

# GET /invoices.json (reference §1.5), without ``type``: a family's own list fixes it
DOCUMENT_FILTERS = (
    Filter("text", "text", _params.search_text, "text",
           "full-text search (client name, reference, items)"),
    _list_status(*LIST_STATUSES),
    _day("date_from", "date[from]", "documents dated on or after this day"),
    _day("date_to", "date[to]", "documents dated on or before this day"),
    _day("due_date_from", "due_date[from]", "documents due on or after this day"),
    _day("due_date_to", "due_date[to]", "documents due on or before this day"),
    Filter("total_before_taxes_from", "total_before_taxes[from]", _params.amount, "amount",
           "documents totalling at least this before taxes"),
    Filter("total_before_taxes_to", "total_before_taxes[to]", _params.amount, "amount",
           "documents totalling at most this before taxes"),
    Filter("non_archived", "non_archived", _params.flag, "flag", "non-archived documents only"),
    Filter("archived", "archived", _params.flag, "flag", "archived documents only"),
    Filter("reference", "reference", _params.search_text, "text",
           "documents with this reference"),
)
DOCUMENT_RANGES = (("date_from", "date_to"), ("due_date_from", "due_date_to"),
                   ("total_before_taxes_from", "total_before_taxes_to"))
INVOICE_FILTERS = FilterSet((_type(*INVOICE_FAMILY_TYPES), *DOCUMENT_FILTERS), DOCUMENT_RANGES,
                            _ARCHIVE)

ESTIMATE_TYPES = ("Quote", "Proforma", "FeesNote")
ESTIMATE_STATUSES = ("draft", "sent", "accepted", "refused", "canceled", "deleted")
GUIDE_TYPES = ("Shipping", "Transport", "Devolution")
GUIDE_STATUSES = ("draft", "sent", "canceled", "second_copy")

# GET /estimates.json: the invoice filters but ``reference``, with the estimate statuses
ESTIMATE_FILTERS = FilterSet((
    _type(*ESTIMATE_TYPES), _list_status(*ESTIMATE_STATUSES),
    *(f for f in DOCUMENT_FILTERS if f.name not in ("status", "reference"))), DOCUMENT_RANGES,
    _ARCHIVE)

# GET /guides.json: loaded_at[from|to] instead of the date, due date and total filters
GUIDE_FILTERS = FilterSet((
    _type(*GUIDE_TYPES), _list_status(*GUIDE_STATUSES),
    _day("loaded_at_from", "loaded_at[from]", "guides loaded on or after this day"),
    _day("loaded_at_to", "loaded_at[to]", "guides loaded on or before this day"),
    *(f for f in DOCUMENT_FILTERS if f.name in ("text", "non_archived", "archived"))),
    (("loaded_at_from", "loaded_at_to"),), _ARCHIVE)

# POST /clients/{id}/invoices.json: the filters travel in a JSON body
CLIENT_DOCUMENT_FILTERS = FilterSet((
    Filter("status", "status", one_of(DocumentStatus, *DOCUMENT_STATUSES,
                                      aliases={"sent": "final"})),
    Filter("by_type", "by_type", one_of(DocumentType, *INVOICE_FAMILY_TYPES)),
    Filter("archived", "archived", _archived),
))
