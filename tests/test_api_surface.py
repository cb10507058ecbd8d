"""The whole API: every operation of the vendor's OpenAPI description has an SDK method and a
blocking twin, is exercised over HTTP against the sandbox, and decodes the description's
own example answer into the documented type."""

from __future__ import annotations

import asyncio
import datetime
import re
import zipfile
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

import invoicexpress_async as ix
from invoicexpress_async.sandbox import Sandbox

from .new_documents import guide
from .scripted import Scripted

SPEC = yaml.safe_load((Path(__file__).parent / "data" / "openapi.yaml").read_text())
FAST = ix.PollPolicy(interval=0.01, max_interval=0.02, timeout=5.0)

# operationId -> the SDK method that performs it
METHODS = {
    "createAccount": "accounts.create",
    "createAccountExisting": "accounts.create_for_existing_user",
    "getAccount": "accounts.get", "updateAccount": "accounts.update",
    "atCommunication": "accounts.at_communication",
    "listInvoices": "invoices.list", "createInvoice": "invoices.create",
    "createEstimate": "quotes.create", "createGuide": "shippings.create",
    "getInvoice": "invoices.get", "updateInvoice": "invoices.update",
    "getEstimate": "quotes.get", "updateEstimate": "quotes.update",
    "getGuide": "shippings.get", "updateGuide": "shippings.update",
    "changeInvoiceState": "invoices.change_state", "changeEstimateState": "quotes.change_state",
    "changeGuideState": "shippings.change_state", "sendInvoiceEmail": "invoices.email",
    "sendEstimateEmail": "quotes.email", "sendGuideEmail": "shippings.email",
    "listEstimates": "estimates.list", "generatePdf": "invoices.pdf_url",
    "getQrCode": "invoices.qr_code_url", "relatedDocs": "invoices.related",
    "generatePayment": "invoices.add_payment", "cancelReceipt": "receipts.cancel",
    "listGuides": "guides.list", "export_saft": "saft.export",
    "registerSequence": "sequences.register", "listSequences": "sequences.list",
    "createSequence": "sequences.create", "getSequence": "sequences.get",
    "setSequenceDefault": "sequences.set_current", "listTaxes": "taxes.list",
    "createTax": "taxes.create", "getTax": "taxes.get", "updateTax": "taxes.update",
    "deleteTax": "taxes.delete", "listClients": "clients.list", "createClient": "clients.create",
    "getClient": "clients.get", "updateClient": "clients.update",
    "findClientByName": "clients.find_by_name", "findClientByCode": "clients.find_by_code",
    "listClientInvoices": "clients.invoices", "listItems": "items.list",
    "createItem": "items.create", "getItem": "items.get", "updateItem": "items.update",
    "deleteItem": "items.delete", "getClientBalance": "treasury.balance",
    "updateClientInitialBalance": "treasury.set_initial_balance",
    "getClientRegularizations": "treasury.regularizations",
    "createClientRegularization": "treasury.create_regularization",
    "deleteClientRegularization": "treasury.delete_regularization",
    "createClientTreasuryMovement": "treasury.create_movement",
    "deleteClientTreasuryMovement": "treasury.delete_movement",
}


def operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operationId, method, path, operation) of every operation of the description."""
    found = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found.append((operation["operationId"], method.upper(), path, operation))
    return found


def _resolve(api: Any, dotted: str) -> Any:
    resource, method = dotted.split(".")
    return getattr(getattr(api, resource), method, None)


def test_every_operation_has_a_method_and_a_blocking_twin() -> None:
    ids = [op for op, *_ in operations()]
    assert len(ids) == 58 and sorted(ids) == sorted(METHODS)
    async_api = ix.AsyncInvoiceXpress(account_name="acme", api_key="k")
    with ix.InvoiceXpress(account_name="acme", api_key="k") as sync_api:
        for op, dotted in METHODS.items():
            assert callable(_resolve(async_api, dotted)), op
            assert callable(_resolve(sync_api, dotted)), op


# ---- every operation over HTTP, against the sandbox ------------------------------------------

def today() -> datetime.date:
    return datetime.date(2026, 11, 2)


def document(reference: str = "REF-1", **extra: Any) -> ix.DocumentCreate:
    return ix.DocumentCreate(
        date=today(), due_date=today() + datetime.timedelta(days=30),
        client=ix.DocumentClient(name="Oficina Norte Lda", code="ON-1"),
        items=[ix.ItemLine(name="Revisão", description="Serviço", unit_price=Decimal("80"),
                           quantity=Decimal(1), tax="IVA23")], reference=reference, **extra)


@pytest.fixture(scope="module")
def served() -> Iterator[Sandbox]:
    with Sandbox(invoices=40, pending_polls=1, others=0).running() as sandbox:
        yield sandbox


@pytest.fixture
async def api(served: Sandbox) -> Any:
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST) as client:
        yield client


async def test_estimates(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    quote = await api.quotes.create(document("Q-1"))
    assert isinstance(quote, ix.Estimate) and (quote.type, quote.status) == ("Quote", "draft")
    await api.quotes.update(quote.id, document("Q-1", observations="revised"))
    assert (await api.quotes.get(quote.id)).observations == "revised"
    assert (await api.quotes.change_state(quote.id, "finalized")).status == "final"
    assert (await api.quotes.change_state(quote.id, "accept")).status == "accepted"
    assert (await api.quotes.change_state(quote.id, ix.DocumentEvent.REFUSE)).status == "refused"
    with pytest.raises(ValueError, match="settled"):
        await api.quotes.change_state(quote.id, "settled")  # not an estimate event
    await api.quotes.email(quote.id, ix.EmailMessage(email="cliente@oficina.pt"))
    assert (await api.download(await api.quotes.pdf_url(quote.id))).startswith(b"%PDF")
    assert not hasattr(api.quotes, "qr_code_url")  # estimates have none
    proforma = await api.proformas.create(document("P-1"))
    fees = await api.fees_notes.create(document("F-1"))
    assert (proforma.type, fees.type) == ("Proforma", "FeesNote")
    everything = {e.id: e.type async for e in api.estimates.list()}
    assert everything == {quote.id: "Quote", proforma.id: "Proforma", fees.id: "FeesNote"}
    assert [e.id async for e in api.estimates.list(type="Proforma")] == [proforma.id]
    assert [e.id async for e in api.quotes.list(status="refused")] == [quote.id]
    with pytest.raises(ValueError, match="allowed: Quote"):
        api.estimates.list(type="Invoice")
    listed = [i.type async for i in api.invoices.list()]  # estimates stay out of /invoices
    assert listed and not {"Quote", "Proforma", "FeesNote"} & set(listed)


async def test_guides(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    shipping = await api.shippings.create(guide())
    (raw,) = [b for m, p, b in served.state.received if (m, p) == ("POST", "/shippings.json")]
    sent = orjson.loads(raw)["shipping"]
    assert sent["loaded_at"] == "02/11/2026 19:00:00"
    assert sent["address_from"] == {"detail": "Rua A, 1", "city": "Porto",
                                    "postal_code": "4000-001", "country": "Portugal"}
    assert isinstance(shipping, ix.Guide) and shipping.loaded_at == \
        datetime.datetime(2026, 11, 2, 19, 0, 0)
    assert shipping.address_to == ix.Address(detail="Rua B, 2", city="Lisboa",
                                             postal_code="1000-001", country="Portugal")
    await api.shippings.update(shipping.id, guide("GT-1b"))
    assert (await api.shippings.get(shipping.id)).reference == "GT-1b"
    with pytest.raises(TypeError, match="GuideCreate"):
        await api.shippings.create(document())  # a guide needs its transport details
    final = await api.shippings.change_state(shipping.id, "finalized")
    assert final.status == "final" and final.at_doc_code_id
    assert (await api.shippings.qr_code_url(shipping.id)).endswith(".png")
    await api.shippings.email(shipping.id, ix.EmailMessage(email="armazem@oficina.pt"))
    assert (await api.download(await api.shippings.pdf_url(shipping.id))).startswith(b"%PDF")
    transport = await api.transports.create(guide("TR-1"))
    devolution = await api.devolutions.create(guide("DV-1"))
    assert {g.id async for g in api.guides.list()} == {shipping.id, transport.id, devolution.id}
    assert [g.id async for g in api.guides.list(type=["Devolution"])] == [devolution.id]
    assert [g.id async for g in api.shippings.list(
        loaded_at_from=datetime.date(2026, 11, 1), loaded_at_to=datetime.date(2026, 11, 3))] \
        == [shipping.id]
    assert [g.id async for g in api.shippings.list(
        loaded_at_from=datetime.date(2026, 11, 3))] == []


async def test_items(api: ix.AsyncInvoiceXpress) -> None:
    item = await api.items.create(ix.CatalogItemCreate(
        name="Mudança de óleo", description="5W30", unit_price=Decimal("24.3902"),
        unit="service", tax="IVA23"))
    assert item.unit_price == Decimal("24.3902") and item.tax and item.tax.name == "IVA23"
    await api.items.update(item.id, ix.CatalogItemCreate(name="Mudança de óleo",
                                                         description="5W40",
                                                         unit_price=Decimal(30)))
    assert (await api.items.get(item.id)).description == "5W40"
    assert [i.id async for i in api.items.list()] == [item.id]
    with pytest.raises(ix.ValidationError, match="not available"):
        await api.items.create(ix.CatalogItemCreate(name="Mudança de óleo", description="",
                                                    unit_price=Decimal(1)))
    await api.items.delete(item.id)
    with pytest.raises(ix.NotFoundError):
        await api.items.get(item.id)


async def test_taxes(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    taxes = await api.taxes.list()
    assert [t.name for t in taxes if t.default] == ["IVA23"]
    created = await api.taxes.create(ix.TaxCreate(name="IVA22", value=Decimal(22),
                                                  region="PT-MA", code="NOR", default=True))
    (raw,) = served.state.sent_to("POST", "/taxes.json")
    assert orjson.loads(raw) == {"tax": {"name": "IVA22", "value": "22.0", "region": "PT-MA",
                                         "code": "NOR", "default_tax": 1}}
    assert created.default and (await api.taxes.get(created.id)).region == "PT-MA"
    await api.taxes.update(created.id, ix.TaxCreate(name="IVA22", value=Decimal("22.5"),
                                                    region="PT-MA"))
    assert (await api.taxes.get(created.id)).value == Decimal("22.5")
    with pytest.raises(ix.ValidationError, match="Tax region is empty"):
        await api.taxes.update(created.id, ix.TaxCreate(name="IVA22", value=Decimal(22)))
    await api.taxes.delete(created.id)
    assert created.id not in [t.id for t in await api.taxes.list()]


async def test_sequences(api: ix.AsyncInvoiceXpress) -> None:
    created = await api.sequences.create(ix.SequenceCreate(serie="2027", default=True))
    assert created.serie == "2027" and created.default_sequence is True
    assert (await api.sequences.get(created.id)).current_invoice_validation_code == "N/D"
    with pytest.raises(ix.ValidationError) as exists:
        await api.sequences.create(ix.SequenceCreate(serie="2027"))
    assert exists.value.code == "002"
    registered = await api.sequences.register(created.id)
    assert registered.id == created.id and registered.current_invoice_validation_code != "N/D"
    with pytest.raises(ix.ConflictError) as again:
        await api.sequences.register(created.id)
    assert again.value.code == "005"
    first = (await api.sequences.list())[0]
    await api.sequences.set_current(first.id)
    assert [s.id for s in await api.sequences.list() if s.default_sequence] == [first.id]
    with pytest.raises(ix.NotFoundError) as missing:
        await api.sequences.get(999)
    assert missing.value.code == "006"


async def test_saft(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    day = datetime.date.fromordinal(served.account.invoices.facts(0).date)
    url = await api.saft.export(year=day.year, month=day.month)
    with zipfile.ZipFile(BytesIO(await api.download(url))) as archive:
        assert archive.namelist()[0].startswith(f"SAFT-{day.year}")
    with pytest.raises(ix.ValidationError, match="aren't any documents"):
        await api.saft.export(year=2001, month=1)
    with pytest.raises(ValueError, match="month"):
        await api.saft.export(year=2025, month=13)


async def test_accounts(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    new = ix.AccountCreate(organization_name="Oficina Sul", email="dono@oficinasul.pt",
                           password="s3cret-pass", terms=True, tax_country=1, language="pt")
    assert "s3cret-pass" not in repr(new)
    created = await api.accounts.create(new)
    assert created.id and created.api_key and created.api_key not in repr(created)
    async with ix.AsyncInvoiceXpress(account_name=created.name or "x", api_key=created.api_key,
                                     base_url=served.base_url) as other:
        assert len(await other.sequences.list()) == 2  # the new account's key works
    again = await api.accounts.create_for_existing_user(new)
    assert again.id != created.id
    details = await api.accounts.get(created.id)
    assert (details.organization_name, details.at_configured) == ("Oficina Sul", False)
    await api.accounts.update(created.id, ix.AccountCreate(
        organization_name="Oficina Sul SA", email="dono@oficinasul.pt", password="x",
        terms=True, at_credentials=ix.ATCredentials(username="500100200/1", password="pw")))
    assert (await api.accounts.get(created.id)).organization_name == "Oficina Sul SA"
    with pytest.raises(ix.ValidationError, match="fiscal_id is invalid"):
        await api.accounts.update(created.id, ix.AccountCreate(
            organization_name="X", email="dono@oficinasul.pt", password="x", terms=True,
            fiscal_id="999999990"))
    await api.accounts.at_communication(subuser="500100200/1", password="pw",
                                        communication_type="auto")
    (raw,) = served.state.sent_to("POST", "/api/v3/accounts/at_communication.json")
    assert orjson.loads(raw)["at_communication"]["at_password"] == "cHc="  # Base64
    with pytest.raises(ix.NotFoundError) as missing:
        await api.accounts.get(1)
    assert missing.value.code == "404"


async def test_treasury(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    client = 100_001
    initial = await api.treasury.set_initial_balance(client, Decimal("150.00"),
                                                     datetime.date(2026, 1, 1), "opening")
    assert (initial.value, initial.date) == (Decimal("150.00"), datetime.date(2026, 1, 1))
    (raw,) = served.state.sent_to("PUT", f"/api/v3/clients/{client}/initial_balance.json")
    assert b'"date":"2026-01-01"' in raw and b'"value":150.00' in raw  # ISO, exact number
    before = await api.treasury.balance(client)
    assert before.currency and before.currency.code == "EUR"
    regularization = await api.treasury.create_regularization(client, Decimal("10"),
                                                              datetime.date(2026, 2, 1))
    assert [r.id async for r in api.treasury.regularizations(client)] == [regularization.id]
    movement = await api.treasury.create_movement(client, ix.TreasuryMovement(
        value=Decimal("40"), movement_type="Payment", date=datetime.date(2026, 2, 2),
        payment_method="TB"))
    after = await api.treasury.balance(client)
    assert before.remaining_balance and after.remaining_balance
    assert before.remaining_balance.value - after.remaining_balance.value == Decimal(50)
    assert movement.id is not None
    await api.treasury.delete_movement(client, movement.id)
    await api.treasury.delete_regularization(client, regularization.id or 0)
    assert [r async for r in api.treasury.regularizations(client)] == []
    with pytest.raises(ix.NotFoundError):
        await api.treasury.delete_movement(client, movement.id)


async def test_invoice_family_and_clients(api: ix.AsyncInvoiceXpress) -> None:
    """The operations the lifecycle tests cover too, once more against this sandbox so that
    the coverage check below sees every operation of the description."""
    assert len([i async for i in api.invoices.list(per_page=100)]) >= 40
    draft = await api.invoices.create(document("INV-1"))
    await api.invoices.update(draft.id, document("INV-1", observations="x"))
    assert (await api.invoices.get(draft.id)).observations == "x"
    final = await api.invoices.change_state(draft.id, "finalized")
    await api.invoices.email(final.id, ix.EmailMessage(email="a@b.pt"))
    await api.invoices.qr_code_url(final.id)
    receipt = await api.invoices.add_payment(final.id, ix.Payment(amount=final.total or 1))
    assert [d.id for d in await api.invoices.related(final.id)] == [receipt.id]
    await api.receipts.cancel(receipt.id, "undo")
    client = await api.clients.create(ix.ClientCreate(name="Z Lda", code="Z-1"))
    assert client.id is not None
    await api.clients.update(client.id, ix.ClientCreate(name="Z Lda", code="Z-1", city="Faro"))
    assert (await api.clients.get(client.id)).city == "Faro"
    assert await api.clients.find_by_name("Z Lda") and await api.clients.find_by_code("Z-1")
    assert [c async for c in api.clients.list(per_page=100)]
    assert all(i.client and i.client.id == 100_001
               for i in [i async for i in api.clients.invoices(100_001)])
    assert await api.sequences.list()


def _pattern(path: str) -> re.Pattern[str]:
    families = {"{invoices-type}": "(invoices|invoice_receipts|simplified_invoices|credit_notes"
                                   "|debit_notes)",
                "{estimates-type}": "(quotes|proformas|fees_notes)",
                "{guides-type}": "(shippings|transports|devolutions)"}
    regex = re.escape(path)
    for placeholder, choice in families.items():
        regex = regex.replace(re.escape(placeholder), choice)
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", regex) + "$")


def test_every_operation_was_exercised_over_http(served: Sandbox) -> None:
    """Runs after the tests above (file order): each operation reached the sandbox."""
    hit = served.state.paths_hit
    missed = [op for op, method, path, _ in operations()
              if not any(m == method and _pattern(path).match(p) for m, p in hit)]
    assert missed == []


# ---- the description's own example answers, decoded through each method ----------------------

def example(schema: dict[str, Any]) -> Any:
    """An example value built from the schema's property examples."""
    if "$ref" in schema:
        return example(SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "example" in schema and schema.get("type") != "object":
        return schema["example"]
    if schema.get("type") == "array" or "items" in schema:
        return [example(schema.get("items", {}))]
    if "properties" in schema:
        return {key: example(value) for key, value in schema["properties"].items()}
    return schema.get("example")


def answer_of(operation: dict[str, Any]) -> tuple[int, Any]:
    for code, response in operation["responses"].items():
        if str(code).startswith("2") and str(code) != "202":
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            return int(code), None if schema is None else example(schema)
    raise AssertionError("no success answer")


def fixed(operation_id: str, body: Any) -> Any:
    """The examples put right where the reference says the description is wrong (§5.18:
    the guides list modelled as an object), where it left a placeholder in a date field
    (a guide's ``"due_date": "foo"``), and the one answer served made the only page."""
    if operation_id == "listGuides":
        body["guides"] = [body["guides"]]
    if isinstance(body, dict):
        for document_ in [*body.get("guides", []), body.get("shipping") or {}]:
            if document_.get("due_date") == "foo":
                document_["due_date"] = "13/07/2017"
        if isinstance(body.get("pagination"), dict):
            body["pagination"].update(current_page=1, total_pages=1)
    return body


DOC = document()
CALLS: dict[str, tuple[Callable[[ix.AsyncInvoiceXpress], Awaitable[Any]], Any]] = {
    "createAccount": (lambda a: a.accounts.create(ACCOUNT), ix.Account),
    "createAccountExisting": (lambda a: a.accounts.create_for_existing_user(ACCOUNT), ix.Account),
    "getAccount": (lambda a: a.accounts.get(1), ix.Account),
    "updateAccount": (lambda a: a.accounts.update(1, ACCOUNT), type(None)),
    "atCommunication": (lambda a: a.accounts.at_communication(
        subuser="u", password="p", communication_type="auto"), type(None)),
    "listInvoices": (lambda a: _all(a.invoices.list()), ix.Invoice),
    "createInvoice": (lambda a: a.invoices.create(DOC), ix.Invoice),
    "createEstimate": (lambda a: a.quotes.create(DOC), ix.Estimate),
    "createGuide": (lambda a: a.shippings.create(guide()), ix.Guide),
    "getInvoice": (lambda a: a.invoices.get(1), ix.Invoice),
    "updateInvoice": (lambda a: a.invoices.update(1, DOC), type(None)),
    "getEstimate": (lambda a: a.quotes.get(1), ix.Estimate),
    "updateEstimate": (lambda a: a.quotes.update(1, DOC), type(None)),
    "getGuide": (lambda a: a.shippings.get(1), ix.Guide),
    "updateGuide": (lambda a: a.shippings.update(1, guide()), type(None)),
    "changeInvoiceState": (lambda a: a.invoices.change_state(1, "finalized"), ix.Invoice),
    "changeEstimateState": (lambda a: a.quotes.change_state(1, "accept"), ix.Estimate),
    "changeGuideState": (lambda a: a.shippings.change_state(1, "finalized"), ix.Guide),
    "sendInvoiceEmail": (lambda a: a.invoices.email(1, EMAIL), type(None)),
    "sendEstimateEmail": (lambda a: a.quotes.email(1, EMAIL), type(None)),
    "sendGuideEmail": (lambda a: a.shippings.email(1, EMAIL), type(None)),
    "listEstimates": (lambda a: _all(a.estimates.list()), ix.Estimate),
    "generatePdf": (lambda a: a.invoices.pdf_url(1), str),
    "getQrCode": (lambda a: a.invoices.qr_code_url(1), str),
    "relatedDocs": (lambda a: a.invoices.related(1), ix.Invoice),
    "generatePayment": (lambda a: a.invoices.add_payment(1, ix.Payment(amount=Decimal(1))),
                        ix.Invoice),
    "cancelReceipt": (lambda a: a.receipts.cancel(1, "x"), ix.Invoice),
    "listGuides": (lambda a: _all(a.guides.list()), ix.Guide),
    "export_saft": (lambda a: a.saft.export(year=2017, month=10), str),
    "registerSequence": (lambda a: a.sequences.register(146090), ix.Sequence),
    "listSequences": (lambda a: a.sequences.list(), ix.Sequence),
    "createSequence": (lambda a: a.sequences.create(ix.SequenceCreate(serie="2023")),
                       ix.Sequence),
    "getSequence": (lambda a: a.sequences.get(1), ix.Sequence),
    "setSequenceDefault": (lambda a: a.sequences.set_current(1), type(None)),
    "listTaxes": (lambda a: a.taxes.list(), ix.Tax),
    "createTax": (lambda a: a.taxes.create(TAX), ix.Tax),
    "getTax": (lambda a: a.taxes.get(1), ix.Tax),
    "updateTax": (lambda a: a.taxes.update(1, TAX), type(None)),
    "deleteTax": (lambda a: a.taxes.delete(1), type(None)),
    "listClients": (lambda a: _all(a.clients.list()), ix.Client),
    "createClient": (lambda a: a.clients.create(ix.ClientCreate(name="A", code="A")), ix.Client),
    "getClient": (lambda a: a.clients.get(1), ix.Client),
    "updateClient": (lambda a: a.clients.update(1, ix.ClientCreate(name="A", code="A")),
                     type(None)),
    "findClientByName": (lambda a: a.clients.find_by_name("A"), ix.Client),
    "findClientByCode": (lambda a: a.clients.find_by_code("A"), ix.Client),
    "listClientInvoices": (lambda a: _all(a.clients.invoices(1)), ix.Invoice),
    "listItems": (lambda a: _all(a.items.list()), ix.CatalogItem),
    "createItem": (lambda a: a.items.create(ITEM), ix.CatalogItem),
    "getItem": (lambda a: a.items.get(1), ix.CatalogItem),
    "updateItem": (lambda a: a.items.update(1, ITEM), type(None)),
    "deleteItem": (lambda a: a.items.delete(1), type(None)),
    "getClientBalance": (lambda a: a.treasury.balance(1), ix.ClientBalance),
    "updateClientInitialBalance": (lambda a: a.treasury.set_initial_balance(
        1, Decimal(1), datetime.date(2023, 5, 19)), ix.InitialBalance),
    "getClientRegularizations": (lambda a: _all(a.treasury.regularizations(1)),
                                 ix.Regularization),
    "createClientRegularization": (lambda a: a.treasury.create_regularization(
        1, Decimal(1), datetime.date(2023, 5, 19)), ix.Regularization),
    "deleteClientRegularization": (lambda a: a.treasury.delete_regularization(1, 1),
                                   type(None)),
    "createClientTreasuryMovement": (lambda a: a.treasury.create_movement(1, MOVEMENT),
                                     ix.Movement),
    "deleteClientTreasuryMovement": (lambda a: a.treasury.delete_movement(1, 1), type(None)),
}
ACCOUNT = ix.AccountCreate(organization_name="A", email="a@b.pt", password="p", terms=True)
EMAIL = ix.EmailMessage(email="a@b.pt")
TAX = ix.TaxCreate(name="IVA23", value=Decimal(23), region="PT")
ITEM = ix.CatalogItemCreate(name="A", description="B", unit_price=Decimal(1))
MOVEMENT = ix.TreasuryMovement(value=Decimal(1), movement_type="Payment",
                               date=datetime.date(2023, 4, 28))


async def _all(paginator: ix.AsyncPaginator[Any]) -> list[Any]:
    return [item async for item in paginator]


@pytest.mark.parametrize(("operation_id", "method", "path", "operation"), operations(),
                         ids=[op for op, *_ in operations()])
def test_the_description_example_decodes(operation_id: str, method: str, path: str,
                                         operation: dict[str, Any]) -> None:
    status, body = answer_of(operation)
    call, expected = CALLS[operation_id]
    raw = b"" if body is None else orjson.dumps(fixed(operation_id, body))

    async def run() -> Any:
        async with Scripted() as server:
            server.add(method, "*", status=status, body=raw, repeat=True)
            async with ix.AsyncInvoiceXpress(account_name="acme", api_key="k",
                                             base_url=server.base_url) as api:
                return await call(api)

    result = asyncio.run(run())
    values = result if isinstance(result, list) else [result]
    assert values and all(isinstance(v, expected) for v in values), (operation_id, result)
