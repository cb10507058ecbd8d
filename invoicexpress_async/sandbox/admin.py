"""The sandbox's catalogue (items, taxes), series, SAF-T, accounts and treasury endpoints,
validated like the API and answering its error shapes (coded sequence errors, bare
arrays, ActiveRecord-style field errors)."""

from __future__ import annotations

import datetime
import io
import secrets
import zipfile
from decimal import Decimal
from typing import Any

from aiohttp import web

from .app import ACCOUNT_KEY, STATE_KEY, Refused, json_answer, number_in, refuse
from .data import DEFAULT_TAX, money
from .lifecycle import decimal_in, file_url, json_body, still_pending
from .state import FIRST_ITEM_ID, Account


def _account(request: web.Request) -> Account:
    return request[ACCOUNT_KEY]  # type: ignore[no-any-return]


def _object(body: dict[str, Any], key: str) -> dict[str, Any]:
    found = body.get(key)
    if not isinstance(found, dict):
        raise refuse(f"{key} is a required field")
    return found


def _errors(*messages: str) -> Refused:
    """The catalogue's 422 shape: a list of {"error": ...} objects."""
    return Refused(json_answer({"errors": [{"error": m} for m in messages]}, 422))


# --- items ----------------------------------------------------------------------------------

def _tax_of(account: Account, name: object) -> dict[str, Any]:
    by_name = {t["name"]: t for t in account.taxes}
    tax = by_name.get(name) if isinstance(name, str) else None
    tax = tax or by_name.get(DEFAULT_TAX) or account.taxes[0]
    return {"name": tax["name"], "value": tax["value"], "comment": f"tax value:{tax['value']}%"}


def _item(account: Account, fields: dict[str, Any], item_id: int) -> dict[str, Any]:
    problems = []
    if not isinstance(fields.get("name"), str) or not fields["name"].strip():
        problems.append("Name is a required field")
    elif any(i["name"] == fields["name"] and i["id"] != item_id
             for i in account.items.values()):
        problems.append("Name is not available.")
    price = decimal_in(fields.get("unit_price"))
    if price is None or price < 0:
        problems.append("Price is not valid. Check the decimal mark and if you are inserting"
                        " only numbers.")
    if not isinstance(fields.get("description"), str):
        problems.append("Description is a required field")
    if problems:
        raise _errors(*problems)
    tax = fields.get("tax")
    return {"id": item_id, "name": fields["name"], "description": fields["description"],
            "unit_price": price, "unit": str(fields.get("unit") or "unit"),
            "tax": _tax_of(account, tax.get("name") if isinstance(tax, dict) else None)}


def _item_of(request: web.Request) -> dict[str, Any]:
    found = _account(request).items.get(number_in(request.match_info["id"]))
    if found is None:
        raise Refused(json_answer({"errors": {"error": "Item not found"}}, 404))
    return found


async def list_items(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    page = max(1, number_in(request.query.get("page", "1")))
    per_page = max(1, min(1000, number_in(request.query.get("per_page", "10"))))
    items = list(account.items.values())[(page - 1) * per_page: page * per_page]
    return json_answer({"items": items})  # no pagination object, as the API


async def create_item(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    fields = _object(await json_body(request), "item")
    item = _item(account, fields, max(account.items, default=FIRST_ITEM_ID - 1) + 1)
    account.items[item["id"]] = item
    return json_answer({"item": item}, 201)


async def get_item(request: web.Request) -> web.StreamResponse:
    return json_answer({"item": _item_of(request)})


async def update_item(request: web.Request) -> web.StreamResponse:
    account, item = _account(request), _item_of(request)
    account.items[item["id"]] = _item(account, _object(await json_body(request), "item"),
                                      item["id"])
    return web.Response(status=200)


async def delete_item(request: web.Request) -> web.StreamResponse:
    del _account(request).items[_item_of(request)["id"]]
    return web.Response(status=200)


# --- taxes ----------------------------------------------------------------------------------

def _tax_fields(account: Account, fields: dict[str, Any], tax_id: int) -> dict[str, Any]:
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Refused(json_answer({"name": ["can't be blank"]}, 422))
    if any(t["name"] == name and t["id"] != tax_id for t in account.taxes):
        raise Refused(json_answer({"name": ["is not available."]}, 422))
    value = decimal_in(fields.get("value"))
    if value is None or not 0 <= value <= 100:
        raise Refused(json_answer({"value": ["is not a number"]}, 422))
    if not fields.get("region"):
        raise Refused(json_answer({"base": ["Tax region is empty"]}, 422))
    code = fields.get("code", "NOR")
    if code not in ("NOR", "INT", "RED", "OUT", "ISE"):
        raise Refused(json_answer({"code": ["is invalid"]}, 422))
    return {"id": tax_id, "name": name, "value": value, "region": str(fields["region"]),
            "code": code, "default_tax": 1 if fields.get("default_tax") in (1, "1") else 0}


def _tax_of_path(request: web.Request) -> dict[str, Any]:
    wanted = number_in(request.match_info["id"])
    for tax in _account(request).taxes:
        if tax["id"] == wanted:
            return tax
    raise Refused(json_answer({"errors": {"error": "Tax not found"}}, 404))


def _save_tax(account: Account, tax: dict[str, Any]) -> None:
    if tax["default_tax"]:
        for other in account.taxes:
            other["default_tax"] = 0
    account.taxes = [t for t in account.taxes if t["id"] != tax["id"]] + [tax]


async def list_taxes(request: web.Request) -> web.StreamResponse:
    return json_answer({"taxes": _account(request).taxes})


async def create_tax(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    tax = _tax_fields(account, _object(await json_body(request), "tax"),
                      max(t["id"] for t in account.taxes) + 1)
    _save_tax(account, tax)
    return json_answer({"tax": tax}, 201)


async def get_tax(request: web.Request) -> web.StreamResponse:
    return json_answer({"tax": _tax_of_path(request)})


async def update_tax(request: web.Request) -> web.StreamResponse:
    account, tax = _account(request), _tax_of_path(request)
    _save_tax(account, _tax_fields(account, _object(await json_body(request), "tax"), tax["id"]))
    return web.Response(status=200)


async def delete_tax(request: web.Request) -> web.StreamResponse:
    account, tax = _account(request), _tax_of_path(request)
    account.taxes = [t for t in account.taxes if t["id"] != tax["id"]]
    return web.Response(status=200)


# --- sequences ------------------------------------------------------------------------------

def _coded(status: int, code: str, message: str) -> Refused:
    return Refused(json_answer({"errors": {"code": code, "message": message}}, status))


def _sequence_of(request: web.Request) -> dict[str, Any]:
    wanted = number_in(request.match_info["id"])
    for sequence in _account(request).sequences:
        if sequence["id"] == wanted:
            return sequence
    raise _coded(404, "006", "The sequence doesn't exist.")


async def get_sequence(request: web.Request) -> web.StreamResponse:
    return json_answer({"sequence": _sequence_of(request)})


async def create_sequence(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    fields = _object(await json_body(request), "sequence")
    serie = fields.get("serie")
    if not isinstance(serie, str) or not serie.strip() or not serie.replace("-", "").isalnum():
        raise _coded(422, "001", "Sequence name not allowed.")
    if any(s["serie"] == serie for s in account.sequences):
        raise _coded(422, "002", "The sequence already exists.")
    template = account.sequences[0]
    sequence: dict[str, Any] = {**template, "id": max(s["id"] for s in account.sequences) + 100,
                                "serie": serie, "default_sequence": 0}
    for key in template:
        if key.endswith("_number"):
            sequence[key] = 0
        elif key.endswith("_validation_code"):
            sequence[key] = "N/D"  # relevant for ATCUD, not registered yet
    account.sequences.append(sequence)
    if fields.get("default_sequence") in ("1", 1):
        _make_default(account, sequence)
    return json_answer({"sequence": sequence}, 201)


def _make_default(account: Account, chosen: dict[str, Any]) -> None:
    for sequence in account.sequences:
        sequence["default_sequence"] = int(sequence is chosen)


async def set_current_sequence(request: web.Request) -> web.StreamResponse:
    _make_default(_account(request), _sequence_of(request))
    return web.Response(status=200)


async def register_sequence(request: web.Request) -> web.StreamResponse:
    sequence = _sequence_of(request)
    codes = [k for k in sequence if k.endswith("_validation_code")]
    if all(sequence[k] != "N/D" for k in codes):
        raise _coded(409, "005", "All sequences are registered.")
    for key in codes:
        sequence[key] = f"AT{secrets.token_hex(3).upper()}"
    return json_answer({"sequences": [sequence]})


# --- SAF-T ------------------------------------------------------------------------------------

async def export_saft(request: web.Request) -> web.StreamResponse:
    account = _account(request)
    try:
        month, year = int(request.query["month"]), int(request.query["year"])
        first = datetime.date(year, month, 1)
    except (KeyError, ValueError):
        return json_answer({"message": "month and year are required (MM, YYYY)"}, 422)
    book = account.invoices
    suffix = f"/{first.month:02d}/{first.year:04d}"
    if not any(book.wire(i)["date"].endswith(suffix) for i in range(min(book.count, 5000))):
        return json_answer({"message": "There aren't any documents to export on the selected"
                                       " period."}, 422)
    if still_pending(request, "saft", year * 100 + month):
        return json_answer({"message": "The SAF-T file generation was started. Please keep"
                                       " requesting until you get back the url."}, 202)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as saft:
        saft.writestr(f"SAFT-{year}-{month:02d}.xml",
                      f"<AuditFile><Header><FiscalYear>{year}</FiscalYear></Header></AuditFile>")
    url = file_url(request, f"saft-{year}{month:02d}-{secrets.token_hex(6)}.zip",
                    "application/zip", archive.getvalue())
    return json_answer({"Url": url})


# --- accounts ---------------------------------------------------------------------------------

async def _new_account(request: web.Request, status: int) -> web.StreamResponse:
    fields = _object(await json_body(request), "account")
    missing = [k for k in ("organization_name", "email", "password") if not fields.get(k)]
    if missing:
        raise refuse(f"{missing[0].replace('_', ' ').capitalize()} can't be blank")
    if fields.get("terms") != "1":
        raise refuse("Terms must be accepted")
    state = request.app[STATE_KEY]
    name = "".join(c for c in str(fields["organization_name"]).lower() if c.isalnum())[:30]
    name = f"{name or 'account'}{len(state.accounts)}"
    created = state.add(Account(name, invoices=0, clients=1))
    created.details.update({"organization_name": fields["organization_name"],
                            "email": fields["email"],
                            "fiscal_id": str(fields.get("fiscal_id") or "")})
    return json_answer({"account": {"id": str(created.id), "name": name,
                                    "url": f"https://{name}.app.invoicexpress.com",
                                    "api_key": created.api_key, "state": "active"}}, status)


async def create_account(request: web.Request) -> web.StreamResponse:
    return await _new_account(request, 201)


async def create_account_for_user(request: web.Request) -> web.StreamResponse:
    return await _new_account(request, 200)


def _account_of_path(request: web.Request) -> Account:
    found = request.app[STATE_KEY].account_by_id(number_in(request.match_info["id"]))
    if found is None:
        raise Refused(json_answer({"error": {"code": "404",
                                             "message": "The account doesn't exist."}}, 404))
    return found


async def get_account(request: web.Request) -> web.StreamResponse:
    return json_answer({"account": _account_of_path(request).details})


async def update_account(request: web.Request) -> web.StreamResponse:
    account = _account_of_path(request)
    fields = _object(await json_body(request), "account")
    fiscal_id = fields.get("fiscal_id")
    if fiscal_id and fiscal_id != account.details["fiscal_id"]:
        raise Refused(json_answer(["fiscal_id", "is invalid"], 422))
    account.details.update({k: fields[k] for k in ("organization_name", "email")
                            if isinstance(fields.get(k), str)})
    if isinstance(fields.get("credentials"), dict):
        account.details["at_configured"] = True
    return json_answer({"Response": {"code": "200", "message": "Success"}})


async def at_communication(request: web.Request) -> web.StreamResponse:
    fields = _object(await json_body(request), "at_communication")
    if fields.get("communication_type") not in ("auto", "manual", "guides", "portal_at"):
        raise refuse("The field communication_type is invalid")
    if not fields.get("at_subuser") or not fields.get("at_password"):
        raise refuse("The field at_subuser has an incorrect size")
    _account(request).details["at_configured"] = True
    return json_answer({"success": "true"})


# --- treasury ---------------------------------------------------------------------------------

def _treasury(request: web.Request) -> dict[str, Any]:
    account = _account(request)
    client_id = number_in(request.match_info["client"])
    if account.client_by_id(client_id) is None:
        raise Refused(json_answer({"errors": [{"error": "Client not found"}]}, 404))
    return account.treasury.setdefault(client_id, {
        "initial": {"value": Decimal(0), "date": "1970-01-01", "observation": None},
        "regularizations": [], "movements": [], "next_id": 1})


def _iso(value: Any) -> str:
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _errors("Date can't be blank") from None


def _amount_of(fields: dict[str, Any]) -> Decimal:
    value = decimal_in(fields.get("value"))
    if value is None:
        raise _errors("Validation failed: Value is not a number")
    return value


async def balance(request: web.Request) -> web.StreamResponse:
    account, treasury = _account(request), _treasury(request)
    client_id = number_in(request.match_info["client"])
    book = account.invoices
    owed = Decimal(0)
    for index in range(min(book.count, 5000)):
        doc = book.wire(index)
        if doc.get("client", {}).get("id") == client_id and doc["status"] == "final":
            owed += Decimal(str(doc["total"])) - book.paid.get(doc["id"], Decimal(0))
    paid = sum((m["value"] for m in treasury["movements"] if m["movement_type"] == "Payment"),
               Decimal(0))
    regularized = sum((r["value"] for r in treasury["regularizations"]), Decimal(0))
    remaining = money(owed + treasury["initial"]["value"] - paid - regularized)
    return json_answer({
        "currency": {"symbol": "€", "code": "EUR"},
        "initial_balance": {"value": treasury["initial"]["value"],
                            "created_at": treasury["initial"]["date"],
                            "observation": treasury["initial"]["observation"]},
        "balance": {"with_vat": remaining, "without_vat": money(remaining / Decimal("1.23"))},
        "overdue_balance": {"with_vat": Decimal(0), "without_vat": Decimal(0)},
        "remaining_balance": {"total": remaining, "value": remaining}})


async def set_initial_balance(request: web.Request) -> web.StreamResponse:
    treasury = _treasury(request)
    fields = _object(await json_body(request), "initial_balance")
    treasury["initial"] = {"value": _amount_of(fields), "date": _iso(fields.get("date")),
                           "observation": fields.get("observation")}
    return json_answer({"initial_balance": treasury["initial"]})


async def list_regularizations(request: web.Request) -> web.StreamResponse:
    found = _treasury(request)["regularizations"]
    page = max(1, number_in(request.query.get("page", "1")))
    per_page = max(1, min(1000, number_in(request.query.get("per_page", "10"))))
    return json_answer({"regularization": found[(page - 1) * per_page: page * per_page],
                        "pagination": {"total_entries": len(found), "current_page": page,
                                       "total_pages": max(1, -(-len(found) // per_page)),
                                       "per_page": per_page}})


async def create_regularization(request: web.Request) -> web.StreamResponse:
    treasury = _treasury(request)
    fields = _object(await json_body(request), "regularization")
    value = _amount_of(fields)
    if value <= 0:
        raise _errors("The regularization amount must be greater than zero")
    entry = {"id": treasury["next_id"], "number": f"NR{treasury['next_id']:08d}",
             "value": value, "date": _iso(fields.get("date")),
             "observation": fields.get("observation")}
    treasury["next_id"] += 1
    treasury["regularizations"].append(entry)
    return json_answer({"regularization": [entry]}, 201)


async def delete_regularization(request: web.Request) -> web.StreamResponse:
    treasury = _treasury(request)
    wanted = number_in(request.match_info["id"])
    if not any(r["id"] == wanted for r in treasury["regularizations"]):
        raise Refused(json_answer({"errors": [{"error": "Regularization not found"}]}, 404))
    treasury["regularizations"] = [r for r in treasury["regularizations"] if r["id"] != wanted]
    return web.Response(status=200)


async def create_movement(request: web.Request) -> web.StreamResponse:
    treasury = _treasury(request)
    fields = _object(await json_body(request), "treasury_movement")
    if fields.get("movement_type") not in ("Payment", "Reimbursement"):
        raise _errors("Validation failed: Movement type is invalid")
    entry = {"id": treasury["next_id"], "value": _amount_of(fields),
             "movement_type": fields["movement_type"],
             "payment_method": fields.get("payment_method"), "date": _iso(fields.get("date")),
             "serie": fields.get("serie"), "observation": fields.get("observation")}
    treasury["next_id"] += 1
    treasury["movements"].append(entry)
    return json_answer({"treasury_movement": entry}, 201)


async def delete_movement(request: web.Request) -> web.StreamResponse:
    treasury = _treasury(request)
    wanted = number_in(request.match_info["id"])
    if not any(m["id"] == wanted for m in treasury["movements"]):
        raise Refused(json_answer({"errors": [{"error": "Movement not found"}]}, 404))
    treasury["movements"] = [m for m in treasury["movements"] if m["id"] != wanted]
    return web.Response(status=204)



