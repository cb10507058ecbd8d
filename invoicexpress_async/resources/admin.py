"""SAF-T exports, accounts and the treasury (a client's balance and movements)."""

from __future__ import annotations

import base64
import datetime
from decimal import Decimal

from .._checks import amount, identifier, instance, optional_text, positive_int, text
from ..models._convert import wire_number
from ..models.catalog import Account, ClientBalance, InitialBalance, Movement, Regularization
from ..models.requests import AccountCreate, TreasuryMovement
from ..pagination import AsyncPaginator
from ..polling import PollPolicy
from . import _params
from ._base import Resource
from ._operations import read, write

SAFT = read("/api/export_saft.json", ("Url", "url"), str, polled=True)

CREATE_ACCOUNT = write("POST", "/api/accounts/create.json", ("account",), Account,
                       request_root="account")
CREATE_FOR_USER = write("POST", "/api/accounts/create_already_user.json", ("account",),
                        Account, request_root="account")
GET_ACCOUNT = read("/api/accounts/{id}/get.json", ("account",), Account)
UPDATE_ACCOUNT = write("PUT", "/api/accounts/{id}/update.json", request_root="account",
                       idempotent=True)
AT_COMMUNICATION = write("POST", "/api/v3/accounts/at_communication.json",
                         request_root="at_communication", idempotent=True)
_COMMUNICATION_TYPES = ("auto", "manual", "guides", "portal_at")

_CLIENT = "/api/v3/clients/{client}"
BALANCE = read(f"{_CLIENT}/balance.json", (), ClientBalance)
INITIAL_BALANCE = write("PUT", f"{_CLIENT}/initial_balance.json", ("initial_balance",),
                        InitialBalance, request_root="initial_balance", idempotent=True)
REGULARIZATIONS = read(f"{_CLIENT}/regularization.json", ("regularization",), Regularization)
CREATE_REGULARIZATION = write("POST", f"{_CLIENT}/regularization.json", ("regularization",),
                              list[Regularization], request_root="regularization")
DELETE_REGULARIZATION = write("DELETE", f"{_CLIENT}/regularization/{{id}}.json",
                              idempotent=True)
CREATE_MOVEMENT = write("POST", f"{_CLIENT}/treasury_movements.json", ("treasury_movement",),
                        Movement, request_root="treasury_movement")
DELETE_MOVEMENT = write("DELETE", f"{_CLIENT}/treasury_movements/{{id}}.json", idempotent=True)


class AsyncSaft(Resource):
    """The SAF-T PT file of a month, which the Tax Authority asks Portuguese accounts for."""

    async def export(self, *, year: int, month: int, poll: PollPolicy | None = None) -> str:
        """The URL of the month's SAF-T file, once generated (202s are polled under
        ``poll``). A month without documents is a ValidationError saying so."""
        if positive_int("year", year) < 2000 or year > 2100:
            raise ValueError(f"year must be between 2000 and 2100, got {year!r}")
        if not 1 <= positive_int("month", month) <= 12:
            raise ValueError(f"month must be 1 to 12, got {month!r}")
        instance("poll", poll, PollPolicy, optional=True)
        return await self._call(SAFT, poll=poll,
                                query=[("month", f"{month:02d}"), ("year", str(year))])


class AsyncAccounts(Resource):
    """Accounts: create them (partner flow), read and update them, set AT communication."""

    async def create(self, account: AccountCreate) -> Account:
        """Create a new account and its owner; the answer holds the new account's api key.
        Never re-sent once it may have reached the server."""
        instance("account", account, AccountCreate)
        return await self._call(CREATE_ACCOUNT,
                                body=CREATE_ACCOUNT.body(account))

    async def create_for_existing_user(self, account: AccountCreate) -> Account:
        """Create a new account for a user InvoiceXpress already knows (by ``email``)."""
        instance("account", account, AccountCreate)
        return await self._call(CREATE_FOR_USER,
                                body=CREATE_FOR_USER.body(account))

    async def get(self, account_id: int) -> Account:
        """The account's details (organization, fiscal id, state, AT configured, trial)."""
        return await self._call(GET_ACCOUNT,
                                id=identifier("account_id", account_id))

    async def update(self, account_id: int, account: AccountCreate) -> None:
        """Replace the account's details (the fiscal id cannot change); with
        ``at_credentials`` it also sets the AT sub-user that registers series."""
        instance("account", account, AccountCreate)
        await self._call(UPDATE_ACCOUNT, id=identifier("account_id", account_id),
                         body=UPDATE_ACCOUNT.body(account))

    async def at_communication(self, *, subuser: str, password: str,
                               communication_type: str) -> None:
        """Set how documents are communicated to the Tax Authority (``auto``, ``manual``,
        ``guides`` or ``portal_at``) with the AT sub-user's credentials; the password is
        sent Base64-encoded, as the API wants."""
        if text("communication_type", communication_type) not in _COMMUNICATION_TYPES:
            raise ValueError(f"communication_type must be one of"
                             f" {', '.join(_COMMUNICATION_TYPES)}, got {communication_type!r}")
        secret = base64.b64encode(text("password", password).encode("utf-8")).decode("ascii")
        await self._call(AT_COMMUNICATION, body=AT_COMMUNICATION.body(fields={
            "at_subuser": text("subuser", subuser), "at_password": secret,
            "communication_type": communication_type}))


class AsyncTreasury(Resource):
    """A client's treasury (``/api/v3``): balance, opening balance, regularizations and
    payment or reimbursement movements. Dates are ISO on this part of the API."""

    async def balance(self, client_id: int) -> ClientBalance:
        """What the client owes: balance, overdue and remaining, with and without VAT."""
        return await self._call(BALANCE,
                                client=identifier("client_id", client_id))

    async def set_initial_balance(self, client_id: int, value: Decimal | int,
                                  date: datetime.date,
                                  observation: str | None = None) -> InitialBalance:
        """Set the client's opening balance on ``date``."""
        return await self._call(
            INITIAL_BALANCE, client=identifier("client_id", client_id),
            body=INITIAL_BALANCE.body(fields=_dated(value, date, observation)))

    def regularizations(self, client_id: int, *, per_page: int | None = None,
                        page: int = 1) -> AsyncPaginator[Regularization]:
        """The client's regularizations, page by page."""
        client = identifier("client_id", client_id)
        start, size = _params.paging(page, per_page)
        return self._paginate(REGULARIZATIONS, Regularization, page=start, per_page=size,
                              client=client)

    async def create_regularization(self, client_id: int, value: Decimal | int,
                                    date: datetime.date,
                                    observation: str | None = None) -> Regularization:
        """Regularize part of the client's balance (at most what remains). Never re-sent
        once it may have reached the server."""
        client = identifier("client_id", client_id)
        operation = CREATE_REGULARIZATION
        created: list[Regularization] = await self._call(
            operation, client=client, body=operation.body(fields=_dated(value, date,
                                                                        observation)))
        if len(created) != 1:
            raise self._decode_error(operation.request(client=client),
                                     f"expected one regularization, got {len(created)}", None)
        return created[0]

    async def delete_regularization(self, client_id: int, regularization_id: int) -> None:
        """Remove a regularization."""
        await self._call(DELETE_REGULARIZATION, client=identifier("client_id", client_id),
                         id=identifier("regularization_id", regularization_id))

    async def create_movement(self, client_id: int, movement: TreasuryMovement) -> Movement:
        """Record a payment from, or a reimbursement to, the client. Never re-sent once it
        may have reached the server."""
        instance("movement", movement, TreasuryMovement)
        return await self._call(CREATE_MOVEMENT,
                                client=identifier("client_id", client_id),
                                body=CREATE_MOVEMENT.body(movement))

    async def delete_movement(self, client_id: int, movement_id: int) -> None:
        """Remove a treasury movement."""
        await self._call(DELETE_MOVEMENT, client=identifier("client_id", client_id),
                         id=identifier("movement_id", movement_id))


def _dated(value: object, date: object, observation: object) -> dict[str, object]:
    """An amount on an ISO date, as the treasury endpoints take it."""
    if isinstance(date, datetime.datetime) or not isinstance(date, datetime.date):
        raise TypeError(f"date must be a datetime.date, got {type(date).__name__}")
    return {"value": wire_number(amount("value", value)), "date": date.isoformat(),
            "observation": optional_text("observation", observation)}
