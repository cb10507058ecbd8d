"""The document lifecycle as the API runs it: create, update, change state, email,
PDF and QR code (202 until ready), payments that issue receipts, related documents.

Requests are validated like the API does and refused with its error shapes; the
state machines are the reference's (``models/states.py``). Anything a test may
want to check afterwards (emails sent, payments, UIDs) is kept on the account's
:class:`~invoicexpress_async.sandbox.book.DocumentBook`.
"""

from __future__ import annotations

import asyncio
import datetime
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from aiohttp import web

from ..models.states import (
    ESTIMATE_MACHINE,
    GUIDE_MACHINE,
    INVOICE_MACHINE,
    INVOICE_RECEIPT_MACHINE,
    NOTE_MACHINE,
    RECEIPT_MACHINE,
    StateMachine,
)
from .app import ACCOUNT_KEY, STATE_KEY, Refused, json_answer, number_in, refuse
from .book import DocumentBook
from .data import (
    DEFAULT_TAX,
    EXEMPTION_CODES,
    TAXES,
    dmy,
    embedded_client,
    mb_reference,
    money,
    numbered,
    render_items,
)
from .files import pdf_for, qr_png
from .state import Account

# path -> (singular root of answers, type, state machine); requests use the generic root
FAMILIES: dict[str, tuple[str, str, StateMachine]] = {
    "invoices": ("invoice", "Invoice", INVOICE_MACHINE),
    "invoice_receipts": ("invoice_receipt", "InvoiceReceipt", INVOICE_RECEIPT_MACHINE),
    "simplified_invoices": ("simplified_invoice", "SimplifiedInvoice", INVOICE_MACHINE),
    "credit_notes": ("credit_note", "CreditNote", NOTE_MACHINE),
    "debit_notes": ("debit_note", "DebitNote", NOTE_MACHINE),
    "receipts": ("receipt", "Receipt", RECEIPT_MACHINE),
    "quotes": ("quote", "Quote", ESTIMATE_MACHINE),
    "proformas": ("proforma", "Proforma", ESTIMATE_MACHINE),
    "fees_notes": ("fees_note", "FeesNote", ESTIMATE_MACHINE),
    "shippings": ("shipping", "Shipping", GUIDE_MACHINE),
    "transports": ("transport", "Transport", GUIDE_MACHINE),
    "devolutions": ("devolution", "Devolution", GUIDE_MACHINE),
}
FAMILY_PATTERN = "|".join(FAMILIES)
# requests carry the family group's generic root (``invoice``, ``quote``, ``shipping``;
# receipts ``receipt``), as the spec and the live recordings send them; a type-specific
# root (``credit_note``) is refused, since the API is not known to accept it
_GENERIC_ROOTS = {"Receipt": "receipt", "Quote": "quote", "Proforma": "quote", "FeesNote": "quote",
                  "Shipping": "shipping", "Transport": "shipping", "Devolution": "shipping"}
_PAYABLE = ("Invoice", "SimplifiedInvoice")
_NOTES = ("CreditNote", "DebitNote")
_MECHANISMS = ("CC", "CD", "CH", "CO", "CS", "DE", "LC", "MB", "NU", "OU", "PR", "TB", "TR")


def _not_found() -> Refused:
    return refuse("Document not found", 404)


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = orjson.loads(await request.read() or b"{}")
    except orjson.JSONDecodeError:
        raise refuse("Invalid JSON") from None
    if not isinstance(body, dict):
        raise refuse("The body must be a JSON object")
    return body


def decimal_in(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        found = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() and abs(found) < 10**15 else None


def _date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        day, month, year = value.split("/")
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _family(request: web.Request) -> tuple[str, str, StateMachine]:
    return FAMILIES[request.match_info["family"]]


def _by_id(request: web.Request) -> tuple[DocumentBook, dict[str, Any]]:
    """The account's book and the document the path names (any type), or a 404."""
    book: DocumentBook = request[ACCOUNT_KEY].invoices
    doc = book.get(number_in(request.match_info["id"]))
    if doc is None:
        raise _not_found()
    return book, doc


def _document(request: web.Request, doc_type: str) -> dict[str, Any]:
    _, doc = _by_id(request)
    if doc["type"] != doc_type:
        raise _not_found()
    return doc


def _fields(body: dict[str, Any], doc_type: str) -> dict[str, Any]:
    root = _GENERIC_ROOTS.get(doc_type, "invoice")
    fields = body.get(root)
    if not isinstance(fields, dict):
        raise refuse(f"Elemento {root} não fornecido")
    return fields


def _lines(items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not items:
        raise refuse("Items must be an array")
    lines = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
                or not item["name"].strip():
            raise refuse("Name is a required field")
        unit_price = decimal_in(item.get("unit_price"))
        if unit_price is None or unit_price < 0:
            raise refuse("Unit price must be a number")
        quantity = decimal_in(item.get("quantity"))
        if quantity is None or quantity <= 0:
            raise refuse("Quantity must be greater than 0")
        discount = decimal_in(item.get("discount", 0))
        if discount is None or not 0 <= discount <= 100:
            raise refuse("Discount must be between 0 and 100")
        tax = item.get("tax")
        tax_name = tax.get("name") if isinstance(tax, dict) else None
        exemption = item.get("tax_exemption")
        if exemption is not None and exemption not in EXEMPTION_CODES:
            raise refuse("Razão de isenção inválida")
        if TAXES.get(str(tax_name), TAXES[DEFAULT_TAX])[1] == 0 and not exemption:
            # live: an exempt line needs its own reason, whatever the document says
            raise refuse("Razão de isenção deve ter uma opção selecionada")
        lines.append({"name": item["name"], "description": str(item.get("description") or ""),
                      "unit": str(item.get("unit") or "unit"), "unit_price": unit_price,
                      "quantity": quantity, "discount": discount, "tax": tax_name,
                      "tax_exemption": exemption})
    return lines


def _global_discount(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    amount = decimal_in(value.get("value")) if isinstance(value, dict) else None
    if amount is None or value.get("value_type") not in ("percentage", "absolute") \
            or amount < 0 or (value["value_type"] == "percentage" and amount > 100):
        raise refuse("Global discount is invalid")
    return {"value_type": value["value_type"], "value": amount}


def _flag_in(fields: dict[str, Any], key: str) -> bool:
    value = fields.get(key, "0")
    if value not in ("0", "1", 0, 1):
        raise refuse(f"{key.replace('_', ' ').capitalize()} is invalid")
    return value in ("1", 1)


def build_document(account: Account, doc_type: str, fields: dict[str, Any],
                   doc_id: int) -> dict[str, Any]:
    """A new draft from create (or update) fields, validated like the API."""
    date, due = _date(fields.get("date")), _date(fields.get("due_date"))
    if date is None or due is None:
        raise refuse("Date is invalid: use dd/mm/yyyy")
    if due < date:
        raise refuse("Due date must be on or after the date")
    client_fields = fields.get("client")
    if not isinstance(client_fields, dict) or not (
            client_fields.get("id") or client_fields.get("code")):
        raise refuse("Client is a required field")
    lines = _lines(fields.get("items"))
    retention = decimal_in(fields.get("retention", 0))
    if retention is None or not 0 <= retention <= Decimal("99.99"):
        raise refuse("Retention must be between 0 and 99.99")
    owner = fields.get("owner_invoice_id")
    if owner is not None:
        owner_doc = account.invoices.get(owner) if isinstance(owner, int) else None
        if doc_type not in _NOTES or owner_doc is None or owner_doc["type"] not in _PAYABLE:
            raise refuse("Owner invoice is invalid")
    client = account.client_for_document(client_fields)
    if client is None:
        raise refuse("Client is invalid")
    discount = _global_discount(fields.get("global_discount"))
    with_mb = _flag_in(fields, "mb_reference")
    if "auto_add_related_document" in fields:
        if doc_type not in _ESTIMATE_TYPES:
            raise refuse("Auto add related document is only for estimates")
        _flag_in(fields, "auto_add_related_document")
    if fields.get("plugin_id") is not None and not isinstance(fields["plugin_id"], str):
        raise refuse("Plugin is invalid")
    items, totals = render_items(lines)
    doc: dict[str, Any] = {
        "id": doc_id, "status": "draft", "archived": False, "type": doc_type,
        "sequence_number": "rascunho", "inverted_sequence_number": "rascunho", "atcud": "N/A",
        "date": dmy(date), "due_date": dmy(due),
        "reference": str(fields.get("reference") or ""),
        "observations": str(fields.get("observations") or ""), "retention": str(retention),
        "permalink": f"https://www.app.invoicexpress.com/documents/{secrets.token_hex(8)}",
        "saft_hash": "", **totals, "currency": "Euro",
        "client": embedded_client(client, int(client["id"])),
        "items": items, "sequence_id": str(fields.get("sequence_id") or "146090"),
        "tax_exemption": str(fields.get("tax_exemption") or "M00"),
    }
    if owner is not None:
        doc["owner_invoice_id"] = owner
    if discount is not None:
        doc["global_discount"] = discount
    if with_mb:
        doc["mb_reference"] = mb_reference(doc_id, totals["total"])
    if doc_type in _GUIDE_TYPES:
        doc.update(_guide_fields(fields))
    return doc


_GUIDE_TYPES = ("Shipping", "Transport", "Devolution")
_ESTIMATE_TYPES = ("Quote", "Proforma", "FeesNote")
_ADDRESS_KEYS = ("detail", "city", "postal_code", "country")


def _guide_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """What a guide adds: when and where the goods are loaded, and where they go."""
    loaded_at = fields.get("loaded_at")
    if not isinstance(loaded_at, str) or _date(loaded_at[:10]) is None \
            or len(loaded_at) != 19:
        raise refuse("Loaded at is invalid: use dd/mm/yyyy HH:MM:SS")
    out: dict[str, Any] = {"loaded_at": loaded_at,
                           "license_plate": str(fields.get("license_plate") or ""),
                           "at_doc_code_id": ""}
    for key in ("address_from", "address_to"):
        address = fields.get(key)
        if not isinstance(address, dict) or not address.get("city"):
            raise refuse(f"{key.replace('_', ' ').capitalize()} is a required field")
        out[key] = {k: str(address.get(k) or "") for k in _ADDRESS_KEYS}
    return out


async def create_document(request: web.Request) -> web.StreamResponse:
    root, doc_type, _ = _family(request)
    if doc_type == "Receipt":
        raise refuse("Receipts are issued by payments", 404)
    account: Account = request[ACCOUNT_KEY]
    state = request.app[STATE_KEY]
    book = account.invoices
    body = await json_body(request)
    fields = _fields(body, doc_type)
    uid = body.get("proprietary_uid")
    if uid is not None:
        if not isinstance(uid, str) or not uid.strip():
            raise refuse("proprietary_uid is invalid")
        if uid in book.uids:
            existing = book.uids[uid]
            if existing is None:
                return json_answer({"reason": "There's an ongoing document creation with the"
                                              f" provided UID {uid}"}, 409)
            return json_answer({root: book.get(existing)}, 201)
        book.uids[uid] = None
    try:
        if state.settings.create_seconds:
            await asyncio.sleep(state.settings.create_seconds)
        doc = book.save(build_document(account, doc_type, fields, book.new_id()))
    except BaseException:
        if uid is not None:
            del book.uids[uid]
        raise
    if uid is not None:
        book.uids[uid] = doc["id"]
    if "owner_invoice_id" in doc:
        book.related.setdefault(doc["owner_invoice_id"], []).append(doc["id"])
    state.counts["documents_created"] += 1
    return json_answer({root: doc}, 201)


async def get_document(request: web.Request) -> web.StreamResponse:
    root, doc_type, _ = _family(request)
    return json_answer({root: _document(request, doc_type)})


async def update_document(request: web.Request) -> web.StreamResponse:
    _, doc_type, _ = _family(request)
    account: Account = request[ACCOUNT_KEY]
    doc = _document(request, doc_type)
    fields = _fields(await json_body(request), doc_type)
    if doc["status"] != "draft":
        raise refuse(f"A {doc['status']} document cannot be changed")
    account.invoices.save(build_document(account, doc_type, fields, doc["id"]))
    return web.Response(status=200)


async def change_state(request: web.Request) -> web.StreamResponse:
    root, doc_type, machine = _family(request)
    book: DocumentBook = request[ACCOUNT_KEY].invoices
    doc = dict(_document(request, doc_type))
    fields = _fields(await json_body(request), doc_type)
    event, message = fields.get("state"), fields.get("message")
    if event == "canceled" and not (isinstance(message, str) and message.strip()):
        raise refuse("Cancel message can't be blank")
    target = machine.target(doc["status"], event) if isinstance(event, str) else None
    if target is None:
        raise refuse(f"CantHandle: {event} for {doc_type} in state {doc['status']}")
    if event == "finalized":
        numbered(doc, book.next_number, "A", book.rng)
        book.next_number += 1
        if doc_type in _GUIDE_TYPES:
            doc["at_doc_code_id"] = str(book.rng.randrange(10**8))
    doc["status"] = target
    book.save(doc)
    if doc_type == "Receipt":
        _undo_payment(book, doc)
    return json_answer({root: doc})


async def email_document(request: web.Request) -> web.StreamResponse:
    _, doc_type, _ = _family(request)
    book: DocumentBook = request[ACCOUNT_KEY].invoices
    doc = _document(request, doc_type)
    message = (await json_body(request)).get("message")
    client = message.get("client") if isinstance(message, dict) else None
    email = client.get("email") if isinstance(client, dict) else None
    if not isinstance(email, str) or "@" not in email:
        raise refuse("Email is a required field")
    if doc["status"] == "draft":
        raise refuse("A draft cannot be sent")
    assert isinstance(message, dict)
    book.emails.append({"document_id": doc["id"], "to": email,
                        **{k: message.get(k) for k in ("subject", "body", "cc", "bcc", "logo")},
                        "save": client.get("save") if isinstance(client, dict) else None})
    return web.Response(status=200)


def still_pending(request: web.Request, kind: str, doc_id: int) -> bool:
    """Whether this poll of ``kind`` for ``doc_id`` still answers 202."""
    book: DocumentBook = request[ACCOUNT_KEY].invoices
    if book.polls[(kind, doc_id)] < request.app[STATE_KEY].settings.pending_polls:
        book.polls[(kind, doc_id)] += 1
        return True
    return False


def file_url(request: web.Request, name: str, content_type: str, data: bytes) -> str:
    request.app[STATE_KEY].files[name] = (content_type, data)
    return f"{request.scheme}://{request.host}/_sandbox/files/{name}"


async def pdf(request: web.Request) -> web.StreamResponse:
    _, doc = _by_id(request)
    if doc["status"] == "draft":
        raise refuse("The document is still a draft: no PDF can be generated")
    if still_pending(request, "pdf", doc["id"]):
        return web.Response(status=202)
    copy = request.query.get("second_copy") == "true"
    name = f"{doc['id']}-{'2' if copy else '1'}-{secrets.token_hex(6)}.pdf"
    title = f"{doc['type']} {doc['sequence_number']}{' (2nd copy)' if copy else ''}"
    url = file_url(request, name, "application/pdf", pdf_for(title))
    return json_answer({"output": {"pdfUrl": url}})


async def qr_code(request: web.Request) -> web.StreamResponse:
    book: DocumentBook = request[ACCOUNT_KEY].invoices
    doc_id = number_in(request.match_info["id"])
    doc = book.get(doc_id)
    if doc is None:
        return json_answer({"error": f"No document with ID {doc_id}"}, 404)
    if doc["status"] == "draft":
        return json_answer({"error": f"Document {doc_id} is still in draft: only final,"
                                     " canceled or settled documents have QR codes"}, 422)
    if still_pending(request, "qr", doc_id):
        return json_answer({"qr_code": {"status": "In progress"}}, 202)
    url = file_url(request, f"{doc_id}-{secrets.token_hex(6)}.png", "image/png", qr_png())
    return json_answer({"qr_code": {"url": url}})


async def related_documents(request: web.Request) -> web.StreamResponse:
    book, doc = _by_id(request)
    return json_answer({"documents": [book.get(i) for i in book.related.get(doc["id"], [])]})


def _bare(*parts: str) -> Refused:
    """The payment endpoint's 422 shape: a bare array."""
    return Refused(json_answer(list(parts), 422))


async def add_payment(request: web.Request) -> web.StreamResponse:
    book, doc = _by_id(request)
    fields = (await json_body(request)).get("partial_payment")
    if not isinstance(fields, dict):
        raise _bare("partial_payment", "is missing")
    if doc["type"] not in _PAYABLE or doc["status"] != "final":
        raise _bare("document", f"cannot be paid ({doc['type']}, {doc['status']})")
    total = decimal_in(doc["total"]) or Decimal(0)
    remaining = total - book.paid.get(doc["id"], Decimal(0))
    amount = decimal_in(fields.get("amount"))
    if amount is None or amount <= 0 or money(amount) != amount or amount > remaining:
        raise _bare("amount", "is invalid")
    mechanism = fields.get("payment_mechanism", "TB")
    if mechanism not in _MECHANISMS:
        raise _bare("payment_mechanism", "is invalid")
    paid_on = _date(fields["payment_date"]) if "payment_date" in fields \
        else datetime.date.today()
    if paid_on is None:
        raise _bare("payment_date", "is invalid")
    receipt: dict[str, Any] = {
        **doc, "id": book.new_id(), "type": "Receipt", "status": "final", "items": [],
        "date": dmy(paid_on), "due_date": dmy(paid_on), "reference": doc["sequence_number"],
        "observations": str(fields.get("note") or ""), "sum": amount, "discount": Decimal(0),
        "before_taxes": amount, "taxes": Decimal(0), "total": amount,
        "owner_invoice_id": doc["id"],
    }
    numbered(receipt, book.next_number, str(fields.get("serie") or "A"), book.rng)
    book.next_number += 1
    book.save(receipt)
    book.related.setdefault(doc["id"], []).append(receipt["id"])
    book.paid[doc["id"]] = total - remaining + amount
    if amount == remaining:
        book.save({**doc, "status": "settled"})
    return json_answer({"receipt": receipt})


def _undo_payment(book: DocumentBook, receipt: dict[str, Any]) -> None:
    """A canceled receipt gives its amount back: a settled document is final again."""
    owner = book.get(receipt.get("owner_invoice_id", -1))
    if owner is None:
        return
    amount = decimal_in(receipt["total"]) or Decimal(0)
    book.paid[owner["id"]] = book.paid.get(owner["id"], Decimal(0)) - amount
    if owner["status"] == "settled":
        book.save({**owner, "status": "final"})


async def update_client(request: web.Request) -> web.StreamResponse:
    account: Account = request[ACCOUNT_KEY]
    client = account.client_by_id(number_in(request.match_info["id"]))
    if client is None:
        raise refuse("Client not found", 404)
    fields = (await json_body(request)).get("client")
    if not isinstance(fields, dict):
        return json_answer({"errors": ["Client is a required field"]}, 422)
    errors = account.update_client(client, fields)
    if errors:
        return json_answer({"errors": errors}, 422)
    return web.Response(status=200)


async def serve_file(request: web.Request) -> web.StreamResponse:
    """The files the API points at live on another host and need no api key."""
    state = request.app[STATE_KEY]
    state.file_queries.append(request.query_string)
    found = state.files.get(request.match_info["name"])
    if found is None:
        return web.Response(status=404)
    content_type, data = found
    return web.Response(body=data, content_type=content_type)



