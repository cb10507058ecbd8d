"""Document families as data: where each lives, its root keys, model, type and states.

The API serves every family of documents with the same endpoint shapes
(reference §2); a family is a row here, and one generic resource
(``documents.py``) serves them all. ``operations`` names what a family can do,
and the resource class chosen for it exposes exactly that.
"""

from __future__ import annotations

import builtins
import functools
from typing import Any, Generic, TypeVar

import attrs

from ..models.documents import Estimate, Guide, Invoice, PdfOutput, QrCode, Receipt
from ..models.enums import DocumentType
from ..models.states import (
    ESTIMATE_MACHINE,
    GUIDE_MACHINE,
    INVOICE_MACHINE,
    INVOICE_RECEIPT_MACHINE,
    NOTE_MACHINE,
    RECEIPT_MACHINE,
    StateMachine,
)
from ._filters import ESTIMATE_FILTERS, GUIDE_FILTERS, INVOICE_FILTERS, FilterSet
from ._operations import Operation, read, write

_DOCUMENT = frozenset({"list", "get", "create", "update", "change_state", "email", "pdf_url"})
_GUIDE = _DOCUMENT | {"qr_code_url"}
_INVOICE_FAMILY = _GUIDE | {"related"}
_PAYABLE = _INVOICE_FAMILY | {"add_payment"}


@attrs.frozen
class DocumentFamily:
    """One family: ``/{path}.json`` and ``/{path}/{id}.json``; requests are sent under
    ``generic_root`` (``invoice``, ``quote``, ``shipping``: what the API is known to
    accept), answers read under ``root`` (the singular of the path, what the API really
    sends), then ``generic_root``, then the only key present; listed from ``list_path``
    under ``list_root``, filtered to ``type``."""

    path: str
    root: str
    generic_root: str
    type: DocumentType | None  # None: a listing of every type of the group
    model: Any
    machine: StateMachine
    operations: frozenset[str]
    list_path: str = "/invoices.json"
    list_root: str = "invoices"
    filters: FilterSet = INVOICE_FILTERS

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.root, self.generic_root)))


def _invoice_family(path: str, root: str, kind: DocumentType, machine: StateMachine,
                    operations: frozenset[str]) -> DocumentFamily:
    return DocumentFamily(path=path, root=root, generic_root="invoice", type=kind,
                          model=Invoice, machine=machine, operations=operations)


INVOICES = _invoice_family("invoices", "invoice", DocumentType.INVOICE, INVOICE_MACHINE,
                           _PAYABLE)
INVOICE_RECEIPTS = _invoice_family("invoice_receipts", "invoice_receipt",
                                   DocumentType.INVOICE_RECEIPT, INVOICE_RECEIPT_MACHINE,
                                   _INVOICE_FAMILY)
SIMPLIFIED_INVOICES = _invoice_family("simplified_invoices", "simplified_invoice",
                                      DocumentType.SIMPLIFIED_INVOICE, INVOICE_MACHINE, _PAYABLE)
CREDIT_NOTES = _invoice_family("credit_notes", "credit_note", DocumentType.CREDIT_NOTE,
                               NOTE_MACHINE, _INVOICE_FAMILY)
DEBIT_NOTES = _invoice_family("debit_notes", "debit_note", DocumentType.DEBIT_NOTE,
                              NOTE_MACHINE, _INVOICE_FAMILY)
RECEIPTS = DocumentFamily(path="receipts", root="receipt", generic_root="receipt",
                          type=DocumentType.RECEIPT, model=Receipt, machine=RECEIPT_MACHINE,
                          operations=frozenset({"list", "get", "cancel"}))



def _estimate(path: str, root: str, kind: DocumentType | None) -> DocumentFamily:
    return DocumentFamily(path=path, root=root, generic_root="quote", type=kind, model=Estimate,
                          machine=ESTIMATE_MACHINE, operations=_DOCUMENT,
                          list_path="/estimates.json", list_root="estimates",
                          filters=ESTIMATE_FILTERS)


def _guide(path: str, root: str, kind: DocumentType | None) -> DocumentFamily:
    return DocumentFamily(path=path, root=root, generic_root="shipping", type=kind, model=Guide,
                          machine=GUIDE_MACHINE, operations=_GUIDE,
                          list_path="/guides.json", list_root="guides", filters=GUIDE_FILTERS)


QUOTES = _estimate("quotes", "quote", DocumentType.QUOTE)
PROFORMAS = _estimate("proformas", "proforma", DocumentType.PROFORMA)
FEES_NOTES = _estimate("fees_notes", "fees_note", DocumentType.FEES_NOTE)
SHIPPINGS = _guide("shippings", "shipping", DocumentType.SHIPPING)
TRANSPORTS = _guide("transports", "transport", DocumentType.TRANSPORT)
DEVOLUTIONS = _guide("devolutions", "devolution", DocumentType.DEVOLUTION)
# the group listings (api.estimates.list, api.guides.list): every type, ``type=`` filters
ESTIMATES = attrs.evolve(QUOTES, type=None, operations=frozenset({"list"}))
GUIDES = attrs.evolve(SHIPPINGS, type=None, operations=frozenset({"list"}))

FAMILIES = (INVOICES, INVOICE_RECEIPTS, SIMPLIFIED_INVOICES, CREDIT_NOTES, DEBIT_NOTES,
            RECEIPTS, QUOTES, PROFORMAS, FEES_NOTES, SHIPPINGS, TRANSPORTS, DEVOLUTIONS)


def attribute_for_type(doc_type: str, default: str) -> str:
    """The client attribute (``credit_notes``...) that reads a document of ``doc_type``;
    ``default`` for a type without a family of its own (VAT MOSS, cash invoices)."""
    return _ATTRIBUTES.get(doc_type, default)


_ATTRIBUTES: dict[str, str] = {family.type: family.path for family in FAMILIES if family.type}


M = TypeVar("M", covariant=True)


@attrs.frozen
class DocumentOperations(Generic[M]):
    """Every operation of one family (of model ``M``), bound to its paths and root keys."""

    list: Operation[M]
    get: Operation[M]
    create: Operation[M]
    update: Operation[None]
    change_state: Operation[M]
    email: Operation[None]
    pdf_url: Operation[PdfOutput]
    qr_code_url: Operation[QrCode]
    related: Operation[builtins.list[Invoice]]
    add_payment: Operation[Receipt]


@functools.cache
def operations_of(family: DocumentFamily) -> DocumentOperations[Any]:
    one = f"/{family.path}/{{id}}"
    roots, model = family.roots, family.model
    return DocumentOperations(
        list=read(family.list_path, (family.list_root,), model),
        get=read(f"{one}.json", roots, model),
        # requests carry the group's generic root (reference §5.1: what the spec and the
        # live recordings send); answers come under the type's own key
        create=write("POST", f"/{family.path}.json", roots, model,
                     request_root=family.generic_root),
        update=write("PUT", f"{one}.json", request_root=family.generic_root, idempotent=True),
        change_state=write("PUT", f"{one}/change-state.json", roots, model,
                           request_root=family.generic_root),
        email=write("PUT", f"{one}/email-document.json", request_root="message"),
        pdf_url=read("/api/pdf/{id}.json", ("output",), PdfOutput, polled=True),
        qr_code_url=read("/api/qr_codes/{id}.json", ("qr_code",), QrCode, polled=True),
        related=read("/document/{id}/related_documents.json", ("documents",), list[Invoice]),
        add_payment=write("POST", "/documents/{id}/partial_payments.json", ("receipt",),
                          Receipt, request_root="partial_payment"),
    )
