"""Documents of every family, served by one generic resource configured per family.

Invoices, receipts, estimates and guides share their endpoint shapes; a family
is a row of ``families.py`` (path, root keys, model, type, state machine, list
filters, operations). The classes here differ only in which operations they
expose and in their lists' filters, so that ``api.credit_notes.add_payment`` or
``api.quotes.qr_code_url`` does not exist rather than fail at run time.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Generic, TypeVar

from .._checks import identifier, instance, optional_text, text
from ..errors import ConflictError, InvoiceXpressError, PollTimeout
from ..models._time import lisbon
from ..models.documents import Estimate, Guide, Invoice, PdfOutput, QrCode, Receipt
from ..models.enums import DocumentStatus, DocumentType
from ..models.requests import DocumentCreate, EmailMessage, GuideCreate, Payment
from ..models.states import DocumentEvent, StateMachine
from ..pagination import AsyncPaginator
from ..polling import PollPolicy
from . import _params
from ._base import Core, Resource
from ._filters import GUIDE_FILTERS
from .families import (
    ESTIMATES,
    GUIDES,
    RECEIPTS,
    DocumentFamily,
    DocumentOperations,
    operations_of,
)

M = TypeVar("M")
_MAX_UID = 255
_RECONCILE_SCAN = 100  # list entries a reconcile looks at, at the most


class AsyncDocumentBase(Resource):
    """What every family's resource shares: its family, and reading one document."""

    def __init__(self, core: Core, family: DocumentFamily) -> None:
        super().__init__(core)
        self._family = family
        self._ops = operations_of(family)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource /{self._family.path}>"

    def _list(self, arguments: dict[str, Any], **fixed: Any) -> AsyncPaginator[Any]:
        """The list of a ``list`` method whose keyword ``arguments`` (its ``locals()``)
        are all filters, but ``per_page`` and ``page``; ``fixed`` adds the family's type."""
        filters = {k: v for k, v in arguments.items() if k not in ("self", "__class__")}
        filters.update(fixed)
        page, per_page = filters.pop("page"), filters.pop("per_page")
        start, size = _params.paging(page, per_page)
        query = self._family.filters.query(**filters)
        return self._paginate(self._ops.list, self._family.model, page=start, per_page=size,
                              query=query)

    def _own_type(self) -> dict[str, Any]:
        return {} if self._family.type is None else {"type": self._family.type}


class AsyncInvoiceReader(AsyncDocumentBase):
    """Reading invoice-family documents: ``list`` with the invoice filters, and ``get``."""

    _ops: DocumentOperations[Invoice]

    def list(self, *, text: str | None = None,
             status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
             date_from: datetime.date | None = None, date_to: datetime.date | None = None,
             due_date_from: datetime.date | None = None,
             due_date_to: datetime.date | None = None,
             total_before_taxes_from: Decimal | int | None = None,
             total_before_taxes_to: Decimal | int | None = None,
             non_archived: bool | None = None, archived: bool | None = None,
             reference: str | None = None, per_page: int | None = None,
             page: int = 1) -> AsyncPaginator[Invoice]:
        """Every document of this family matching the filters, page by page from ``page``.

        ``status`` takes one value or a list (``"sent"``, ``"settled"``... or
        :class:`DocumentStatus`; ``"final"`` is sent as the filter's ``"sent"``);
        dates take ``datetime.date``; amounts ``Decimal`` or ``int``. Filters left as
        None are not sent. ``per_page`` defaults to 30 (at most 1000).
        """
        return self._list(locals(), **self._own_type())

    async def get(self, document_id: int) -> Invoice:
        """One document, with its items."""
        return await self._call(self._ops.get, id=identifier("document_id", document_id))


class AsyncDocumentWriter(AsyncDocumentBase, Generic[M]):
    """One family of documents (of model ``M``): get, create, update, change state, email,
    PDF."""

    _ops: DocumentOperations[M]

    async def get(self, document_id: int) -> M:
        """One document, with its items."""
        return await self._call(self._ops.get, id=identifier("document_id", document_id))

    async def create(self, document: DocumentCreate, *, proprietary_uid: str | None = None,
                     reconcile: bool = False) -> M:
        """Create a document (a draft) and return it.

        The request carries a ``proprietary_uid`` (yours, or a fresh one): while the
        API is still creating a document with that UID it answers 409, which is
        waited out (under the client's poll policy) by asking again with the same UID.
        A create is never re-sent once it may have reached the server: when the
        outcome is unknown the error says so (``error.outcome_unknown``). With
        ``reconcile=True`` (which needs ``document.reference``) the SDK then looks for
        the document (a draft of this day with this reference) and returns it only when
        exactly one matches and its client and lines are the ones sent; otherwise the
        original error is raised, still ``outcome_unknown``.
        """
        self._check(document)
        uid = _uid(proprietary_uid)
        instance("reconcile", reconcile, bool)
        if reconcile and document.reference is None:
            raise ValueError("reconcile=True needs document.reference: it is how the"
                             " document is found after an unknown outcome")
        operation = self._ops.create
        body = operation.body(document, proprietary_uid=uid)

        async def attempt() -> M | None:
            try:
                return await self._call(operation, body=body)
            except ConflictError as conflict:
                if any("ongoing" in message.lower() for message in conflict.messages):
                    return None  # the first request with this UID is still being processed
                raise

        try:
            return await self._wait(attempt, None, f"creating {self._family.root} with"
                                                   f" proprietary_uid {uid}")
        except InvoiceXpressError as error:
            if isinstance(error, PollTimeout):  # still "ongoing": it may yet be created
                error.outcome_unknown = True
            if not (reconcile and error.outcome_unknown):
                raise
            found = await self._look_up(self._find_created(document))
            if found is None:
                raise  # not there (yet), or not only one: still unknown, never assumed
            return found

    def _check(self, document: object) -> None:
        """``document`` is what this family creates, before anything is sent."""
        instance("document", document, GuideCreate if self._family.model is Guide
                 else DocumentCreate)
        assert isinstance(document, DocumentCreate)
        if document.auto_add_related_document is not None \
                and self._family.model is not Estimate:
            raise ValueError("document.auto_add_related_document is for estimates (quotes,"
                             " proformas, fees notes) only")

    async def _find_created(self, sent: DocumentCreate) -> M | None:
        """The draft this create made, when it can be shown to be it; else None.

        The look-up is filtered to drafts of this family dated as sent (with the reference,
        where the family's list filters by it; guides by their loading day) and reads at
        most ``_RECONCILE_SCAN`` entries. A candidate must carry the reference, date and
        client that were sent; the one left is read whole and its lines compared with the
        lines sent (name, quantity, unit price), so a document of another client, another
        day, other totals or a deleted one is never taken for this call's.
        """
        filters: dict[str, Any] = {"status": DocumentStatus.DRAFT, "per_page": None,
                                   "page": 1, **self._own_type()}
        if self._family.filters is GUIDE_FILTERS:
            assert isinstance(sent, GuideCreate)
            day = lisbon(sent.loaded_at).date()
            filters.update(loaded_at_from=day, loaded_at_to=day)
        else:
            filters.update(date_from=sent.date, date_to=sent.date)
            if "reference" in self._family.filters.names:
                filters["reference"] = sent.reference
        candidates = []
        seen = 0
        async for found in self._list(filters):
            seen += 1
            if (found.reference == sent.reference and found.date == sent.date
                    and found.status == DocumentStatus.DRAFT and _same_client(found, sent)):
                candidates.append(found)
            if len(candidates) > 1 or seen >= _RECONCILE_SCAN:
                break
        if len(candidates) != 1:
            return None
        whole = await self.get(candidates[0].id)
        return whole if _same_lines(whole, sent) else None

    async def update(self, document_id: int, document: DocumentCreate) -> None:
        """Replace a draft's content (items left out are deleted)."""
        self._check(document)
        operation = self._ops.update
        await self._call(operation, id=identifier("document_id", document_id),
                         body=operation.body(document))

    async def change_state(self, document_id: int, state: str | DocumentEvent, *,
                           message: str | None = None) -> M:
        """Move a document through its state machine and return it.

        ``state`` is the API's event (``"finalized"``, ``"canceled"``, ``"settled"``,
        ``"unsettled"``, ``"deleted"``, ``"accept"``, ``"refuse"``) or a
        :class:`DocumentEvent`; one this family does not know is a ValueError before
        sending. Canceling needs a ``message``.
        """
        document = identifier("document_id", document_id)
        event = _event(state, self._family.machine)
        if optional_text("message", message) is None and event == DocumentEvent.CANCELED:
            raise ValueError("message is required to cancel a document (the reason)")
        operation = self._ops.change_state
        return await self._call(operation, id=document,
                                body=operation.body(fields={"state": event,
                                                            "message": message}))

    async def email(self, document_id: int, message: EmailMessage) -> None:
        """Email the document. Never re-sent after it may have reached the server."""
        instance("message", message, EmailMessage)
        operation = self._ops.email
        await self._call(operation, id=identifier("document_id", document_id),
                         body=operation.body(message))

    async def pdf_url(self, document_id: int, *, second_copy: bool = False,
                      poll: PollPolicy | None = None) -> str:
        """The URL of the document's PDF, once the API has rendered it (202s are polled
        under ``poll``, the client's policy by default). Fetch it with ``api.download``."""
        instance("second_copy", second_copy, bool)
        instance("poll", poll, PollPolicy, optional=True)
        output: PdfOutput = await self._call(
            self._ops.pdf_url, id=identifier("document_id", document_id), poll=poll,
            query=[("second_copy", "true" if second_copy else "false")])
        return output.pdfUrl


class AsyncQrCodes(AsyncDocumentBase):
    """Documents that have a QR code: the invoice family and guides."""

    async def qr_code_url(self, document_id: int, *, poll: PollPolicy | None = None) -> str:
        """The URL of the document's QR code image (final, settled or canceled documents),
        once ready (202s are polled under ``poll``)."""
        instance("poll", poll, PollPolicy, optional=True)
        code: QrCode = await self._call(self._ops.qr_code_url, poll=poll,
                                        id=identifier("document_id", document_id))
        return code.url


class AsyncInvoiceFamily(AsyncDocumentWriter[Invoice], AsyncQrCodes, AsyncInvoiceReader):
    """An invoice-family document type: write, read, QR code, related documents."""

    async def related(self, document_id: int) -> list[Invoice]:
        """Receipts, credit and debit notes linked to the document."""
        return await self._call(self._ops.related,
                                id=identifier("document_id", document_id))

class AsyncPayableDocuments(AsyncInvoiceFamily):
    """Invoices and simplified invoices: they can also be paid."""

    async def add_payment(self, document_id: int, payment: Payment) -> Receipt:
        """Record a payment; returns the Receipt the API issues for it. Paying the whole
        remaining amount settles the document. Never re-sent after it may have
        reached the server (``error.outcome_unknown``)."""
        instance("payment", payment, Payment)
        operation = self._ops.add_payment
        return await self._call(operation,
                                id=identifier("document_id", document_id),
                                body=operation.body(payment))


class AsyncInvoices(AsyncPayableDocuments):
    """Invoices (``/invoices``); its ``list`` covers every invoice-family type."""

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
        """Every invoice-family document matching the filters, page by page from ``page``.

        ``type`` and ``status`` take one value or a list (the API's strings, e.g.
        ``"Invoice"``/``"sent"``, or :class:`DocumentType`/:class:`DocumentStatus`);
        an unknown value is a ValueError listing the allowed ones. Dates take
        ``datetime.date``; amounts ``Decimal`` or ``int``. Filters left as None are
        not sent. ``per_page`` defaults to 30 (at most 1000).
        """
        return self._list(locals())


class AsyncReceipts(AsyncInvoiceReader):
    """Receipts, which payments issue: read them, or cancel one to undo its payment."""

    _ops: DocumentOperations[Receipt]

    def __init__(self, core: Core, family: DocumentFamily = RECEIPTS) -> None:
        super().__init__(core, family)

    async def get(self, document_id: int) -> Receipt:
        """One receipt."""
        return await self._call(self._ops.get, id=identifier("receipt_id", document_id))

    async def cancel(self, receipt_id: int, message: str) -> Receipt:
        """Cancel a receipt (``message`` is the reason, required): the payment is undone
        and a settled document goes back to final. Never re-sent once it may have
        reached the server."""
        receipt = identifier("receipt_id", receipt_id)
        operation = self._ops.change_state
        return await self._call(operation, id=receipt,
                                body=operation.body(fields={
                                    "state": DocumentEvent.CANCELED.value,
                                    "message": text("message", message)}))


class AsyncEstimateFamily(AsyncDocumentWriter[Estimate]):
    """Quotes, proformas or fees notes: write and read, with the estimate filters and
    states (``accept``/``refuse``)."""

    def list(self, *, text: str | None = None,
             status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
             date_from: datetime.date | None = None, date_to: datetime.date | None = None,
             due_date_from: datetime.date | None = None,
             due_date_to: datetime.date | None = None,
             total_before_taxes_from: Decimal | int | None = None,
             total_before_taxes_to: Decimal | int | None = None,
             non_archived: bool | None = None, archived: bool | None = None,
             per_page: int | None = None, page: int = 1) -> AsyncPaginator[Estimate]:
        """Every estimate of this type matching the filters, page by page from ``page``.

        ``status`` is draft, sent (or final), accepted, refused, canceled or deleted.
        ``per_page`` defaults to 30 (at most 1000).
        """
        return self._list(locals(), **self._own_type())


class AsyncGuideFamily(AsyncDocumentWriter[Guide], AsyncQrCodes):
    """Shippings, transports or devolutions: write, read and QR code, with the guide
    filters; created from a :class:`GuideCreate`."""

    def list(self, *, text: str | None = None,
             status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
             loaded_at_from: datetime.date | None = None,
             loaded_at_to: datetime.date | None = None,
             non_archived: bool | None = None, archived: bool | None = None,
             per_page: int | None = None, page: int = 1) -> AsyncPaginator[Guide]:
        """Every guide of this type matching the filters, page by page from ``page``.

        ``status`` is draft, sent (or final), canceled or second_copy; ``loaded_at_from``
        and ``loaded_at_to`` take dates. ``per_page`` defaults to 30 (at most 1000).
        """
        return self._list(locals(), **self._own_type())


class AsyncEstimates(AsyncDocumentBase):
    """Every estimate (quotes, proformas, fees notes) in one list (``/estimates``)."""

    def __init__(self, core: Core, family: DocumentFamily = ESTIMATES) -> None:
        super().__init__(core, family)

    def list(self, *,
             type: str | DocumentType | Sequence[str | DocumentType] | None = None,
             text: str | None = None,
             status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
             date_from: datetime.date | None = None, date_to: datetime.date | None = None,
             due_date_from: datetime.date | None = None,
             due_date_to: datetime.date | None = None,
             total_before_taxes_from: Decimal | int | None = None,
             total_before_taxes_to: Decimal | int | None = None,
             non_archived: bool | None = None, archived: bool | None = None,
             per_page: int | None = None, page: int = 1) -> AsyncPaginator[Estimate]:
        """Every estimate matching the filters; ``type`` is Quote, Proforma or FeesNote."""
        return self._list(locals())


class AsyncGuides(AsyncDocumentBase):
    """Every guide (shippings, transports, devolutions) in one list (``/guides``)."""

    def __init__(self, core: Core, family: DocumentFamily = GUIDES) -> None:
        super().__init__(core, family)

    def list(self, *,
             type: str | DocumentType | Sequence[str | DocumentType] | None = None,
             text: str | None = None,
             status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
             loaded_at_from: datetime.date | None = None,
             loaded_at_to: datetime.date | None = None,
             non_archived: bool | None = None, archived: bool | None = None,
             per_page: int | None = None, page: int = 1) -> AsyncPaginator[Guide]:
        """Every guide matching the filters; ``type`` is Shipping, Transport or Devolution."""
        return self._list(locals())


def _uid(value: object) -> str:
    if value is None:
        return uuid.uuid4().hex
    found = text("proprietary_uid", value)
    if len(found) > _MAX_UID:
        raise ValueError(f"proprietary_uid must be at most {_MAX_UID} characters")
    return found


def _event(state: object, machine: StateMachine) -> str:
    if isinstance(state, enum.Enum) and not isinstance(state, DocumentEvent):
        raise TypeError(f"state must be a str or DocumentEvent, got {type(state).__name__}")
    event = str(state.value) if isinstance(state, DocumentEvent) else text("state", state)
    if event not in machine.events:
        raise ValueError(f"state: {event!r:.40} is not an event of this document type;"
                         f" allowed: {', '.join(machine.events)}")
    return event


def _same_client(found: Any, sent: DocumentCreate) -> bool:
    """The document's client is the one sent: by id, else code, else name (as the API
    resolves it)."""
    client, wanted = found.client, sent.client
    if client is None:
        return False
    for key in ("id", "code", "name"):
        if getattr(wanted, key) is not None and getattr(client, key) is not None:
            return bool(getattr(client, key) == getattr(wanted, key))
    return False


def _same_lines(found: Any, sent: DocumentCreate) -> bool:
    """The document holds the lines sent: same names, quantities and unit prices."""
    def key(name: str | None, quantity: Decimal | None,
            price: Decimal | None) -> tuple[str, Decimal, Decimal]:
        return (name or "", Decimal(quantity or 0).normalize(),
                Decimal(price or 0).normalize())

    return sorted(key(line.name, line.quantity, line.unit_price) for line in found.items) \
        == sorted(key(line.name, line.quantity, line.unit_price) for line in sent.items)
