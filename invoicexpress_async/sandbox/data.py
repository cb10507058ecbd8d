"""Deterministic, realistic account data in the API's wire format.

Invoice ``i`` of an account is a pure function of ``(seed, i)``, so a million
invoices can be served page by page without holding them (large accounts are
generated lazily); small accounts cache what they generate. Everything is
rendered exactly as the API sends it: client ids as strings in /clients, ints
inside documents, item prices as strings, money as JSON numbers, dd/mm/yyyy.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
import orjson

from ..models.enums import TAX_EXEMPTION_CODES

CENT = Decimal("0.01")
FIRST_CLIENT_ID = 100_001
FIRST_INVOICE_ID = 500_001
LAZY_ABOVE = 200_000  # accounts larger than this are generated on demand, never cached

_TYPES = (("Invoice", 50), ("InvoiceReceipt", 20), ("SimplifiedInvoice", 10),
          ("CreditNote", 10), ("DebitNote", 10))
SEEDED_TYPES = tuple(doc_type for doc_type, _ in _TYPES)  # every seeded invoice's type
_STATUSES = (("final", 50), ("settled", 30), ("draft", 10), ("canceled", 10))
_TAXES = ((31597, "IVA23", Decimal(23)), (31598, "IVA13", Decimal(13)),
          (31599, "IVA6", Decimal(6)), (31600, "IVA0", Decimal(0)))
_PRODUCTS = ("Consultoria", "Licença anual", "Portátil", "Monitor 27\"", "Cabo HDMI",
             "Formação", "Alojamento web", "Manutenção", "Café", "Papel A4")
_UNITS = ("unit", "hour", "service", "day", "month")
_NAMES = ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
          "Martins", "Jesus", "Sousa", "Fernandes", "Gonçalves")
_COMPANY = ("Lda", "SA", "Unipessoal Lda", "& Filhos")
_CITIES = (("Lisboa", "1050-555"), ("Porto", "4000-322"), ("Braga", "4700-001"),
           ("Coimbra", "3000-150"), ("Faro", "8000-100"))
_EPOCH = datetime.date(2023, 1, 1).toordinal()


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    roll = rng.randrange(100)
    for value, weight in table:
        if roll < weight:
            return value
        roll -= weight
    return table[-1][0]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def dmy(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _json_default(value: object) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # the API sends money as JSON numbers
    raise TypeError


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_json_default)


def make_client(seed: int, index: int) -> dict[str, Any]:
    """Seed client ``index`` as /clients renders it (every value a string)."""
    rng = random.Random(seed * 7_919 + index)
    surname = rng.choice(_NAMES)
    city, postal = rng.choice(_CITIES)
    name = f"{surname} {rng.choice(_NAMES)} {rng.choice(_COMPANY)} #{index + 1}"
    return {
        "id": str(FIRST_CLIENT_ID + index), "name": name, "code": f"C{index + 1:05d}",
        "email": f"{surname.lower()}{index + 1}@example.pt", "language": "pt",
        "address": f"Rua {rng.choice(_NAMES)}, {rng.randint(1, 300)}", "city": city,
        "postal_code": postal, "country": "Portugal",
        "fiscal_id": str(500_000_000 + rng.randrange(499_999_999)),
        "website": "", "phone": f"21{rng.randrange(10**7):07d}", "fax": "",
        "preferred_contact": {"name": f"{rng.choice(_NAMES)}", "email": "", "phone": "",
                              "mobile": f"91{index:07d}"},
        "observations": "", "open_account_link":
            f"https://www.app.invoicexpress.com/suppliers/{seed:x}{index:08x}",
        "send_options": str(rng.randint(1, 3)), "payment_days": str(rng.choice((0, 15, 30))),
        "tax_exemption_code": "M00",
    }


@attrs.frozen(slots=True)
class InvoiceFacts:
    """What list filters look at, without rendering the whole document."""

    id: int
    type: str
    status: str
    archived: bool
    date: int  # ordinal
    due_date: int
    before_taxes: Decimal
    client_index: int
    reference: str
    text: str  # lower-cased haystack for ``text=``
    loaded_at: int | None = None  # ordinal of a guide's loading day


# which document types each list endpoint serves
INVOICE_KINDS = frozenset({"Invoice", "InvoiceReceipt", "SimplifiedInvoice", "CreditNote",
                           "DebitNote", "Receipt", "CashInvoice", "VatMossInvoice",
                           "VatMossCreditNote", "VatMossReceipt"})
ESTIMATE_KINDS = frozenset({"Quote", "Proforma", "FeesNote"})
GUIDE_KINDS = frozenset({"Shipping", "Transport", "Devolution"})


TAXES = {name: (tax_id, rate) for tax_id, name, rate in _TAXES}
DEFAULT_TAX = "IVA23"  # what the API applies to a tax name it does not know
EXEMPTION_CODES = frozenset(TAX_EXEMPTION_CODES)


def embedded_client(client: dict[str, Any], client_id: int) -> dict[str, Any]:
    """A client as documents embed it: list answers carry its address, postal code, phone
    and fiscal id too (reference §5 item 19)."""
    return {"id": client_id, "name": client["name"], "country": client["country"],
            "code": client.get("code") or "", "email": client.get("email") or "",
            "address": client.get("address") or "", "postal_code":
            client.get("postal_code") or "", "phone": client.get("phone") or "",
            "fiscal_id": client.get("fiscal_id") or ""}


def mb_reference(doc_id: int, total: Decimal) -> dict[str, Any]:
    """A Multibanco reference as answers carry it: an object, not the request's flag."""
    digits = f"{doc_id:09d}"[-9:]
    return {"entity": "11249", "reference": f"{digits[:3]} {digits[3:6]} {digits[6:]}",
            "value": f"{total:.2f}"}


def render_items(lines: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Decimal]]:
    """Document lines as the API renders them, and the document's money fields.

    Each line gives ``name``, ``description``, ``unit``, ``unit_price``, ``quantity``,
    ``discount`` (percent, Decimal) and ``tax`` (a tax name).
    """
    items: list[dict[str, Any]] = []
    total_sum = total_discount = total_taxes = Decimal(0)
    for line in lines:
        tax_name = line["tax"] if line["tax"] in TAXES else DEFAULT_TAX
        tax_id, rate = TAXES[tax_name]
        unit_price, quantity, discount = line["unit_price"], line["quantity"], line["discount"]
        subtotal = money(unit_price * quantity)
        discount_amount = money(subtotal * discount / 100)
        tax_amount = money((subtotal - discount_amount) * rate / 100)
        rendered: dict[str, Any] = {
            "id": 1 + len(items), "name": line["name"], "description": line["description"],
            "unit_price": f"{unit_price:.2f}", "unit": line["unit"],
            "quantity": f"{quantity:.1f}",
            "tax": {"id": tax_id, "name": tax_name, "value": rate}, "discount": discount,
            "subtotal": subtotal, "tax_amount": tax_amount,
            "discount_amount": discount_amount,
            "total": subtotal - discount_amount + tax_amount,
        }
        if line.get("tax_exemption"):
            rendered["tax_exemption"] = line["tax_exemption"]
        items.append(rendered)
        total_sum += subtotal
        total_discount += discount_amount
        total_taxes += tax_amount
    before_taxes = total_sum - total_discount
    return items, {"sum": total_sum, "discount": total_discount, "before_taxes": before_taxes,
                   "taxes": total_taxes, "total": before_taxes + total_taxes}


def facts_of(wire: dict[str, Any]) -> InvoiceFacts:
    """What list filters look at, read off a document as the API renders it."""
    client = wire.get("client") or {}
    reference = wire.get("reference") or ""
    haystack = " ".join([client.get("name") or "", reference, wire["sequence_number"],
                         *(i["name"] for i in wire.get("items") or ())]).lower()
    return InvoiceFacts(id=wire["id"], type=wire["type"], status=wire["status"],
                        archived=wire["archived"], date=_ordinal(wire["date"]),
                        due_date=_ordinal(wire["due_date"]),
                        before_taxes=Decimal(str(wire["before_taxes"])),
                        client_index=int(client.get("id", 0)) - FIRST_CLIENT_ID,
                        reference=reference.lower(), text=haystack,
                        loaded_at=_ordinal(wire["loaded_at"][:10]) if wire.get("loaded_at")
                        else None)


def _ordinal(text: str) -> int:
    day, month, year = text.split("/")
    return datetime.date(int(year), int(month), int(day)).toordinal()


def numbered(wire: dict[str, Any], number: int, serie: str, rng: random.Random) -> None:
    """Give a document its final numbering (what finalizing does)."""
    wire["sequence_number"] = f"{number}/{serie}"
    wire["inverted_sequence_number"] = f"{serie}/{number}"
    wire["atcud"] = f"ABCD{serie}123-{number}"
    wire["saft_hash"] = f"{rng.randrange(36**4):04x}"[:4]


Weights = tuple[tuple[str, int], ...]


def make_invoice(seed: int, index: int, clients: int,
                 statuses: Weights = _STATUSES) -> tuple[InvoiceFacts, dict[str, Any]]:
    """Invoice ``index`` of the account: its filter facts and its wire dict."""
    rng = random.Random(seed * 1_000_003 + index)
    doc_type = _weighted(rng, _TYPES)
    status = _weighted(rng, statuses)
    archived = rng.random() < 0.1
    day = datetime.date.fromordinal(_EPOCH + rng.randrange(1000))
    due = day + datetime.timedelta(days=rng.choice((0, 15, 30, 60)))
    client_index = rng.randrange(clients)
    client = make_client(seed, client_index)
    lines = []
    for _ in range(rng.randint(1, 3)):
        _, tax_name, _ = rng.choice(_TAXES)
        lines.append({"name": rng.choice(_PRODUCTS), "description": "",
                      "unit_price": Decimal(rng.randrange(100, 200_000)) / 100,
                      "unit": rng.choice(_UNITS), "quantity": Decimal(rng.randint(1, 20)),
                      "discount": Decimal(rng.choice((0, 0, 0, 5, 10))), "tax": tax_name,
                      "tax_exemption": "M07" if tax_name == "IVA0" else None})
    items, totals = render_items(lines)
    number = index // 2 + 1
    serie = "A" if index % 2 == 0 else "B"
    reference = f"PO-{rng.randrange(10**6):06d}" if rng.random() < 0.5 else ""
    doc_id = FIRST_INVOICE_ID + index
    wire: dict[str, Any] = {
        "id": doc_id, "status": status, "archived": archived, "type": doc_type,
        "sequence_number": "rascunho", "inverted_sequence_number": "rascunho", "atcud": "N/A",
        "date": dmy(day), "due_date": dmy(due), "reference": reference,
        "observations": "", "retention": "0",
        "permalink": f"https://www.app.invoicexpress.com/documents/{doc_id:x}{seed:04x}",
        "saft_hash": "", **totals, "currency": "Euro",
        "client": embedded_client(client, FIRST_CLIENT_ID + client_index),
        "items": items, "sequence_id": str(146090 if serie == "A" else 146190),
        "tax_exemption": "M07" if any(i["tax"]["value"] == 0 for i in items) else "M00",
    }
    if doc_id % 5 == 0 and doc_type in ("Invoice", "SimplifiedInvoice"):  # what live answers
        wire["mb_reference"] = mb_reference(doc_id, totals["total"])  # carry beyond the spec
    if status != "draft":
        numbered(wire, number, serie, rng)
    return facts_of(wire), wire


class InvoiceStore:
    """The invoices of one account, rendered on demand (and cached when small)."""

    def __init__(self, seed: int, count: int, clients: int,
                 statuses: Weights = _STATUSES) -> None:
        self.seed = seed
        self.count = count
        self.clients = max(1, clients)
        self.statuses = statuses
        self._cache = count <= LAZY_ABOVE
        self._facts: list[InvoiceFacts | None] = [None] * count if self._cache else []
        self._bodies: list[bytes | None] = [None] * count if self._cache else []

    def _make(self, index: int) -> tuple[InvoiceFacts, bytes]:
        facts, wire = make_invoice(self.seed, index, self.clients, self.statuses)
        return facts, dumps(wire)

    def facts(self, index: int) -> InvoiceFacts:
        if self._cache:
            found = self._facts[index]
            if found is None:
                found, self._bodies[index] = self._make(index)
                self._facts[index] = found
            return found
        return make_invoice(self.seed, index, self.clients, self.statuses)[0]

    def body(self, index: int) -> bytes:
        """The document's JSON, exactly as the list and get endpoints embed it."""
        if self._cache:
            found = self._bodies[index]
            if found is None:
                self._facts[index], found = self._make(index)
                self._bodies[index] = found
            return found
        return self._make(index)[1]

    def wire(self, index: int) -> dict[str, Any]:
        return orjson.loads(self.body(index))  # type: ignore[no-any-return]


def statuses_weights(mix: dict[str, int] | None) -> Weights:
    """Invoice statuses drawn with these percentages (they must add up to 100)."""
    if mix is None:
        return _STATUSES
    allowed = {"draft", "final", "settled", "canceled"}
    if set(mix) - allowed or sum(mix.values()) != 100 or min(mix.values()) < 0:
        raise ValueError(f"statuses must give percentages of {sorted(allowed)} adding up to"
                         f" 100, got {mix!r}")
    return tuple(mix.items())


_ESTIMATES = (("Quote", ("draft", "final", "accepted", "refused", "canceled")),
              ("Proforma", ("draft", "final", "accepted", "canceled")),
              ("FeesNote", ("draft", "final", "refused")))
_GUIDES = (("Shipping", ("draft", "final", "canceled")), ("Transport", ("draft", "final")),
           ("Devolution", ("final", "canceled")))


def make_other_document(seed: int, index: int, clients: int, doc_id: int,
                        guide: bool) -> dict[str, Any]:
    """An estimate (or a guide) seeded beside the invoices: an invoice's lines and client,
    another type, one of that type's states, and a guide's loading day and addresses."""
    wire = make_invoice(seed + 7919 * (2 if guide else 1), index, clients)[1]
    rng = random.Random(seed * 31 + index * 2 + guide)
    doc_type, states = (_GUIDES if guide else _ESTIMATES)[index % 3]
    wire.update(id=doc_id, type=doc_type, status=states[index // 3 % len(states)])
    wire.pop("mb_reference", None)
    if guide:
        day = datetime.date.fromordinal(_ordinal(wire["date"]) + rng.randrange(3))
        wire.update(loaded_at=f"{dmy(day)} 09:30:00", license_plate="AA-00-BB",
                    at_doc_code_id="", address_from={"detail": "Rua A 1", "city": "Lisboa",
                                                     "postal_code": "1000-001",
                                                     "country": "Portugal"},
                    address_to={"detail": "Rua B 2", "city": "Porto",
                                "postal_code": "4000-001", "country": "Portugal"})
    if wire["status"] == "draft":
        for key in ("sequence_number", "inverted_sequence_number"):
            wire[key] = "rascunho"
        wire["atcud"] = "N/A"
    return wire


def make_catalog_items(first_id: int) -> dict[int, dict[str, Any]]:
    """The catalogue a new account starts with: one item per product name."""
    items = {}
    for offset, name in enumerate(_PRODUCTS):
        tax_id, tax_name, rate = _TAXES[offset % len(_TAXES)]
        items[first_id + offset] = {
            "id": first_id + offset, "name": name, "description": f"{name} (catálogo)",
            "unit_price": Decimal(1000 + 725 * offset) / 100, "unit": _UNITS[offset % 5],
            "tax": {"id": tax_id, "name": tax_name, "value": rate}}
    return items


def make_sequences(invoices: int) -> list[dict[str, Any]]:
    kinds = ("invoice", "invoice_receipt", "simplified_invoice", "credit_note", "debit_note",
             "receipt", "shipping", "transport", "devolution", "proforma", "quote",
             "fees_note", "purchase_order", "vat_moss_invoice", "vat_moss_credit_note",
             "vat_moss_receipt")
    out = []
    for offset, serie in ((0, "A"), (100, "B")):
        base = 146090 + offset
        seq: dict[str, Any] = {"id": base, "serie": serie,
                               "default_sequence": 1 if serie == "A" else 0}
        for n, kind in enumerate(kinds):
            seq[f"current_{kind}_number"] = (invoices + (serie == "A")) // 2 \
                if kind == "invoice" else n % 3
            seq[f"current_{kind}_sequence_id"] = base + n
            seq[f"current_{kind}_validation_code"] = f"ABCD{serie}123"
        out.append(seq)
    return out


def make_taxes() -> list[dict[str, Any]]:
    """The account's taxes as /taxes renders them (IVA23 the default)."""
    codes = {"IVA23": "NOR", "IVA13": "INT", "IVA6": "RED", "IVA0": "ISE"}
    return [{"id": tax_id, "name": name, "value": rate, "region": "PT", "code": codes[name],
             "default_tax": int(name == DEFAULT_TAX)} for tax_id, name, rate in _TAXES]
