"""Invoice-family documents, served by one resource configured per family.

Invoices, invoice receipts, simplified invoices, credit and debit notes share
their endpoint shapes; a family is a :class:`DocumentFamily` (path segment,
root keys, model), not a copy of this code.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

import attrs

from .._transport import Request
from ..models.documents import Invoice
from ..models.enums import DocumentStatus, DocumentType
from ..pagination import AsyncPaginator
from . import _params
from ._base import Core, Resource


@attrs.frozen
class DocumentFamily:
    """Where a document family lives: ``/{path}.json``, answered under ``list_root``."""

    path: str
    list_root: str
    root: str


INVOICES = DocumentFamily(path="invoices", list_root="invoices", root="invoice")


class AsyncInvoiceDocuments(Resource):
    """A family of invoice-type documents (``/invoices``, ``/credit_notes``...)."""

    def __init__(self, core: Core, family: DocumentFamily = INVOICES) -> None:
        super().__init__(core)
        self._family = family

    def list(self, *, text: str | None = None,
             type: str | DocumentType | Sequence[str | DocumentType] | None = None,
             status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
             date_from: datetime.date | None = None, date_to: datetime.date | None = None,
             due_date_from: datetime.date | None = None,
             due_date_to: datetime.date | None = None,
             total_before_taxes_from: Decimal | int | None = None,
             total_before_taxes_to: Decimal | int | None = None,
             non_archived: bool | None = None, archived: bool | None = None,
             reference: str | None = None, per_page: int | None = None,
             page: int = 1) -> AsyncPaginator[Invoice]:
        """Every document matching the filters, page by page from ``page``.

        ``type`` and ``status`` take one value or a list (the API's strings, e.g.
        ``"Invoice"``/``"sent"``, or :class:`DocumentType`/:class:`DocumentStatus`);
        dates take ``datetime.date``; amounts ``Decimal`` or ``int``. Filters left
        as None are not sent.
        """
        start, size = _params.paging(page, per_page)
        base: _params.Query = []
        _params.add(base, "text", _params.optional_text("text", text))
        _params.add(base, "type", _params.choices("type", type, DocumentType))
        _params.add(base, "status", _params.choices("status", status, DocumentStatus))
        _params.add(base, "date[from]", _params.day("date_from", date_from))
        _params.add(base, "date[to]", _params.day("date_to", date_to))
        _params.add(base, "due_date[from]", _params.day("due_date_from", due_date_from))
        _params.add(base, "due_date[to]", _params.day("due_date_to", due_date_to))
        _params.add(base, "total_before_taxes[from]",
                    _params.amount("total_before_taxes_from", total_before_taxes_from))
        _params.add(base, "total_before_taxes[to]",
                    _params.amount("total_before_taxes_to", total_before_taxes_to))
        _params.add(base, "non_archived", _params.flag("non_archived", non_archived))
        _params.add(base, "archived", _params.flag("archived", archived))
        _params.add(base, "reference", _params.optional_text("reference", reference))
        path = f"/{self._family.path}.json"
        return self._paginate(
            lambda n: Request("GET", path, [*base, *_params.page_query(n, size)]),
            self._family.list_root, Invoice, page=start, per_page=size)
