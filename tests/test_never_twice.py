"""Side effects leave the client at most once, through every layer; recovery never lies.

Each test here is a story that was reproduced on the SDK before this file existed: the
server does the work and the answer is lost (the sandbox's ``drop`` fault), and the SDK
must neither send it again (aiohttp's own hidden re-send included) nor claim to know
what happened.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest

import invoicexpress_async as ix
from invoicexpress_async.resources import _operations
from invoicexpress_async.resources import admin, catalog, clients, sequences
from invoicexpress_async.resources.families import FAMILIES, operations_of
from invoicexpress_async.sandbox import Sandbox

FAST_POLL = ix.PollPolicy(interval=0.01, max_interval=0.02, timeout=5.0)
QUICK_RETRY = ix.RetryPolicy(backoff_base=0.001, backoff_max=0.01)
DAY = datetime.date(2026, 11, 2)


def document(reference: str = "PO-1", *, code: str = "PAD-1",
             price: str = "12.50") -> ix.DocumentCreate:
    return ix.DocumentCreate(
        date=DAY, due_date=DAY + datetime.timedelta(days=30),
        client=ix.DocumentClient(name=f"Cliente {code}", code=code),
        items=[ix.ItemLine(name="Pão", description="Caixa", unit_price=Decimal(price),
                           quantity=Decimal(4), tax="IVA23")], reference=reference)


def guide(reference: str = "GT-1",
          loaded_at: datetime.datetime | None = None) -> ix.GuideCreate:
    return ix.GuideCreate(
        date=DAY, due_date=DAY, loaded_at=loaded_at or datetime.datetime(2026, 11, 2, 19),
        address_from=ix.Address(detail="Rua A", city="Porto", postal_code="4000-001",
                                country="Portugal"),
        address_to=ix.Address(detail="Rua B", city="Lisboa", postal_code="1000-001",
                              country="Portugal"),
        client=ix.DocumentClient(name="Oficina", code="ON-1"),
        items=[ix.ItemLine(name="Pneus", description="4", unit_price=Decimal("50"),
                           quantity=Decimal(4))], reference=reference)


@pytest.fixture
async def served() -> AsyncIterator[Sandbox]:
    async with Sandbox(invoices=20, pending_polls=0) as sandbox:
        yield sandbox


@pytest.fixture
async def api(served: Sandbox) -> AsyncIterator[ix.AsyncInvoiceXpress]:
    async with ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST_POLL,
                                     retry=QUICK_RETRY) as client:
        yield client


# ---- story 1: one table, every side effect, the answer dropped after the work -------------

Perform = Callable[[], Awaitable[Any]]
Setup = Callable[[ix.AsyncInvoiceXpress], Awaitable[tuple[str, Perform]]]


async def _final(api: ix.AsyncInvoiceXpress) -> ix.Invoice:
    draft = await api.invoices.create(document())
    return await api.invoices.change_state(draft.id, "finalized")


def _side_effects() -> dict[str, tuple[str, str, Setup]]:
    """name -> (method, path template, setup returning (the concrete path, the call))."""
    account = ix.AccountCreate(organization_name="Nova", email="dono@nova.pt",
                               password="pw-123456", terms=True, tax_country=1)

    async def create(api: Any) -> tuple[str, Perform]:
        return "/invoices.json", lambda: api.invoices.create(document())

    async def quote(api: Any) -> tuple[str, Perform]:
        return "/quotes.json", lambda: api.quotes.create(document())

    async def shipping(api: Any) -> tuple[str, Perform]:
        return "/shippings.json", lambda: api.shippings.create(guide())

    async def change_state(api: Any) -> tuple[str, Perform]:
        draft = await api.invoices.create(document())
        return (f"/invoices/{draft.id}/change-state.json",
                lambda: api.invoices.change_state(draft.id, "finalized"))

    async def email(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        return (f"/invoices/{final.id}/email-document.json",
                lambda: api.invoices.email(final.id, ix.EmailMessage(email="a@b.pt")))

    async def quote_email(api: Any) -> tuple[str, Perform]:
        draft = await api.quotes.create(document())
        await api.quotes.change_state(draft.id, "finalized")
        return (f"/quotes/{draft.id}/email-document.json",
                lambda: api.quotes.email(draft.id, ix.EmailMessage(email="a@b.pt")))

    async def payment(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        return (f"/documents/{final.id}/partial_payments.json",
                lambda: api.invoices.add_payment(final.id, ix.Payment(amount=Decimal(1))))

    async def cancel(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        receipt = await api.invoices.add_payment(final.id, ix.Payment(amount=Decimal(1)))
        return (f"/receipts/{receipt.id}/change-state.json",
                lambda: api.receipts.cancel(receipt.id, "undo"))

    async def client(api: Any) -> tuple[str, Perform]:
        return "/clients.json", lambda: api.clients.create(ix.ClientCreate(name="N", code="N-1"))

    async def item(api: Any) -> tuple[str, Perform]:
        return "/items.json", lambda: api.items.create(ix.CatalogItemCreate(
            name="Novo", description="", unit_price=Decimal(1)))

    async def tax(api: Any) -> tuple[str, Perform]:
        return "/taxes.json", lambda: api.taxes.create(ix.TaxCreate(name="IVA9",
                                                                    value=Decimal(9)))

    async def sequence(api: Any) -> tuple[str, Perform]:
        return "/sequences.json", lambda: api.sequences.create(ix.SequenceCreate(serie="S27"))

    async def register(api: Any) -> tuple[str, Perform]:
        created = await api.sequences.create(ix.SequenceCreate(serie="R27"))
        return (f"/sequences/{created.id}/register.json",
                lambda: api.sequences.register(created.id))

    async def new_account(api: Any) -> tuple[str, Perform]:
        return "/api/accounts/create.json", lambda: api.accounts.create(account)

    async def existing_user(api: Any) -> tuple[str, Perform]:
        return ("/api/accounts/create_already_user.json",
                lambda: api.accounts.create_for_existing_user(account))

    async def regularization(api: Any) -> tuple[str, Perform]:
        return ("/api/v3/clients/100001/regularization.json",
                lambda: api.treasury.create_regularization(100_001, Decimal(5), DAY))

    async def movement(api: Any) -> tuple[str, Perform]:
        return ("/api/v3/clients/100001/treasury_movements.json",
                lambda: api.treasury.create_movement(100_001, ix.TreasuryMovement(
                    value=Decimal(5), movement_type="Payment", date=DAY,
                    payment_method="TB")))

    async def raw_put(api: Any) -> tuple[str, Perform]:
        final = await _final(api)
        path = f"/invoices/{final.id}/email-document.json"
        return path, lambda: api.request("PUT", path, idempotent=False,
                                         json={"message": {"client": {"email": "a@b.pt"}}})

    doc = "/{path}/{id}"
    return {
        "invoices.create": ("POST", "/{path}.json", create),
        "quotes.create": ("POST", "/{path}.json", quote),
        "shippings.create": ("POST", "/{path}.json", shipping),
        "invoices.change_state": ("PUT", f"{doc}/change-state.json", change_state),
        "invoices.email": ("PUT", f"{doc}/email-document.json", email),
        "quotes.email": ("PUT", f"{doc}/email-document.json", quote_email),
        "invoices.add_payment": ("POST", "/documents/{id}/partial_payments.json", payment),
        "receipts.cancel": ("PUT", "/receipts/{id}/change-state.json", cancel),
        "clients.create": ("POST", "/clients.json", client),
        "items.create": ("POST", "/items.json", item),
        "taxes.create": ("POST", "/taxes.json", tax),
        "sequences.create": ("POST", "/sequences.json", sequence),
        "sequences.register": ("PUT", "/sequences/{id}/register.json", register),
        "accounts.create": ("POST", "/api/accounts/create.json", new_account),
        "accounts.create_for_existing_user": ("POST", "/api/accounts/create_already_user.json",
                                              existing_user),
        "treasury.create_regularization": ("POST", "/api/v3/clients/{client}/"
                                           "regularization.json", regularization),
        "treasury.create_movement": ("POST", "/api/v3/clients/{client}/"
                                     "treasury_movements.json", movement),
        "request.PUT": ("PUT", "(any)", raw_put),
    }


SIDE_EFFECTS = _side_effects()


def _operations_sent_once() -> set[tuple[str, str]]:
    """(method, template) of every operation the SDK declares not idempotent, with the
    family paths folded to ``{path}`` (one generic resource serves them all)."""
    found = set()
    for module in (admin, catalog, clients, sequences):
        for value in vars(module).values():
            if isinstance(value, _operations.Operation) and not value.idempotent:
                found.add((value.method, value.path))
    for family in FAMILIES:
        for name in ("create", "change_state", "email", "add_payment"):
            if name in family.operations or (name == "change_state"
                                              and "cancel" in family.operations):
                operation = getattr(operations_of(family), name)
                path = operation.path.replace(f"/{family.path}/", "/{path}/")
                path = path.replace(f"/{family.path}.json", "/{path}.json")
                found.add((operation.method, path))
    return found


def test_the_table_covers_every_operation_that_is_sent_once() -> None:
    table = {(method, template.replace("/receipts/", "/{path}/"))
             for method, template, _ in SIDE_EFFECTS.values()}
    assert _operations_sent_once() <= table


@pytest.mark.parametrize("name", sorted(SIDE_EFFECTS))
async def test_a_side_effect_whose_answer_is_lost_is_sent_once(
        served: Sandbox, api: ix.AsyncInvoiceXpress, name: str) -> None:
    method, _, setup = SIDE_EFFECTS[name]
    path, perform = await setup(api)
    before = len(served.state.sent_to(method, path))
    emails = len(served.account.invoices.emails)
    served.fail_next("drop")  # the server does the work, then the connection drops
    with pytest.raises(ix.TransportError) as lost:
        await perform()
    assert lost.value.outcome_unknown
    assert len(served.state.sent_to(method, path)) - before == 1  # aiohttp sent it once too
    if name.endswith("email"):
        assert len(served.account.invoices.emails) - emails <= 1


async def test_a_finalize_whose_answer_is_lost_says_so(served: Sandbox,
                                                       api: ix.AsyncInvoiceXpress) -> None:
    draft = await api.invoices.create(document())
    served.fail_next("drop")
    with pytest.raises(ix.TransportError) as lost:  # not "CantHandle ... in state final"
        await api.invoices.change_state(draft.id, "finalized")
    assert lost.value.outcome_unknown
    assert (await api.invoices.get(draft.id)).status == "final"  # the first send did it


# ---- story 2: an idempotent delete whose answer was lost ------------------------------------

async def test_a_delete_whose_answer_was_lost_succeeds(served: Sandbox,
                                                       api: ix.AsyncInvoiceXpress) -> None:
    item = await api.items.create(ix.CatalogItemCreate(name="Velho", description="",
                                                       unit_price=Decimal(1)))
    served.fail_next("drop")  # deleted, answer lost; the retry answers 404
    await api.items.delete(item.id)
    assert len(served.state.sent_to("DELETE", f"/items/{item.id}.json")) == 2
    with pytest.raises(ix.NotFoundError):  # a delete of what never existed still says so
        await api.items.delete(item.id)


# ---- story 3: reconcile returns only what this call can be shown to have created -------------

async def test_reconcile_never_returns_a_deleted_document_of_another_client(
        served: Sandbox, api: ix.AsyncInvoiceXpress) -> None:
    old = await api.invoices.create(document("PO-SAME", code="OTHER-9"))
    await api.invoices.change_state(old.id, "deleted")
    served.fail_next("reset")  # the create never reaches the handler... but is a POST sent
    with pytest.raises(ix.TransportError) as unknown:
        await api.invoices.create(document("PO-SAME"), reconcile=True)
    assert unknown.value.outcome_unknown  # the old document is not this call's


async def test_reconcile_refuses_a_draft_with_other_lines(served: Sandbox,
                                                          api: ix.AsyncInvoiceXpress) -> None:
    await api.invoices.create(document("PO-TWIN", price="99.00"))  # same client, day, ref
    served.fail_next("reset")
    with pytest.raises(ix.TransportError) as unknown:
        await api.invoices.create(document("PO-TWIN"), reconcile=True)
    assert unknown.value.outcome_unknown


async def test_reconcile_finds_what_it_created_with_a_filtered_bounded_lookup() -> None:
    async with Sandbox(invoices=10_000, pending_polls=0) as served, \
            ix.AsyncInvoiceXpress(**served.client_kwargs(), poll=FAST_POLL) as api:
        served.fail_next("drop")
        before = served.state.counts["requests"]
        found = await api.invoices.create(document("PO-LOST"), reconcile=True)
        assert (found.reference, found.status) == ("PO-LOST", "draft")
        assert served.state.counts["documents_created"] == 1
        assert served.state.counts["requests"] - before <= 4  # create, one list page, get
        served.fail_next("drop")
        shipped = await api.shippings.create(guide("GT-LOST"), reconcile=True)
        assert shipped.reference == "GT-LOST"


# ---- story 10: downloads --------------------------------------------------------------------

# ---- story 11: input that would go out wrong -------------------------------------------------

def test_an_aware_loading_time_is_sent_in_lisbon_time() -> None:
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    sent = guide(loaded_at=datetime.datetime(2026, 1, 15, 10, 0, tzinfo=tokyo))
    body = _operations.write("POST", "/shippings.json", request_root="shipping").body(sent)
    assert body["shipping"]["loaded_at"] == "15/01/2026 01:00:00"  # 01:00 UTC, winter
    summer = guide(loaded_at=datetime.datetime(2026, 7, 15, 10, 0, tzinfo=tokyo))
    body = _operations.write("POST", "/shippings.json", request_root="shipping").body(summer)
    assert body["shipping"]["loaded_at"] == "15/07/2026 02:00:00"  # WEST, UTC+1


async def test_json_that_cannot_be_sent_exactly_is_refused(api: ix.AsyncInvoiceXpress,
                                                           served: Sandbox) -> None:
    before = served.state.counts["requests"]
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="json"):
            await api.request("POST", "/clients.json", json={"client": {"amount": bad}})
    assert served.state.counts["requests"] == before


async def test_text_arguments_are_capped(api: ix.AsyncInvoiceXpress, served: Sandbox) -> None:
    before = served.state.counts["requests"]
    with pytest.raises(ValueError, match="name must be at most 1000"):
        await api.clients.find_by_name("x" * 10**6)
    with pytest.raises(ValueError, match="code must be at most 1000"):
        await api.clients.find_by_code("x" * 1001)
    assert served.state.counts["requests"] == before


def test_the_table_names_real_methods() -> None:
    api = ix.AsyncInvoiceXpress(account_name="acme", api_key="k")
    for name in SIDE_EFFECTS:
        resource, method = name.split(".")
        if resource != "request":
            assert inspect.iscoroutinefunction(getattr(getattr(api, resource), method)), name
