"""The sandbox's in-memory accounts: clients, invoices, sequences, per-account limits."""

from __future__ import annotations

import re
import secrets
from collections import deque
from typing import Any

from .book import DocumentBook
from .data import (
    EXEMPTION_CODES,
    FIRST_CLIENT_ID,
    InvoiceStore,
    make_catalog_items,
    make_client,
    make_other_document,
    make_sequences,
    make_taxes,
    statuses_weights,
)

FIRST_ITEM_ID = 400_001

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CLIENT_FIELDS = ("name", "code", "email", "language", "address", "city", "postal_code",
                  "country", "fiscal_id", "website", "phone", "fax", "observations")


class Account:
    """One sandbox account: seeded data plus whatever the tests created."""

    def __init__(self, name: str, api_key: str | None = None, *, invoices: int = 200,
                 clients: int | None = None, seed: int = 0,
                 statuses: dict[str, int] | None = None, others: int | None = None) -> None:
        self.name = name
        self.api_key = api_key or secrets.token_hex(16)
        seeded_clients = clients if clients is not None else max(5, min(invoices // 10, 5000))
        self.invoices = DocumentBook(InvoiceStore(seed, invoices, seeded_clients,
                                                  statuses_weights(statuses)))
        # estimates and guides beside the invoices, a few of each type and state
        for index in range(2 * (others if others is not None else min(500, invoices // 20))):
            self.invoices.save(make_other_document(seed, index // 2, seeded_clients,
                                                   self.invoices.new_id(), guide=index % 2 == 1))
        self.clients: list[dict[str, Any]] = [make_client(seed, i) for i in range(seeded_clients)]
        self._by_code = {c["code"]: c for c in self.clients}
        self.sequences = make_sequences(invoices)
        self.request_times: deque[float] = deque()  # accepted requests, for the rate limit
        self.bucket: tuple[float, float] | None = None  # (tokens, when): a token bucket
        self.id = 0  # set when the server registers the account
        self.details: dict[str, Any] = {"organization_name": f"{name.capitalize()} Lda",
                                        "fiscal_id": "500100200", "email": f"{name}@example.pt",
                                        "state": "active", "at_configured": False,
                                        "trial": True}
        self.items: dict[int, dict[str, Any]] = make_catalog_items(FIRST_ITEM_ID) \
            if invoices and others != 0 else {}
        self.taxes: list[dict[str, Any]] = make_taxes()
        self.treasury: dict[int, dict[str, Any]] = {}  # client id -> its treasury

    def client_by_id(self, client_id: int) -> dict[str, Any] | None:
        index = client_id - FIRST_CLIENT_ID
        if 0 <= index < len(self.clients):
            return self.clients[index]
        return None

    def client_by_code(self, code: str) -> dict[str, Any] | None:
        return self._by_code.get(code)

    def _client_errors(self, fields: dict[str, Any],
                       current: dict[str, Any] | None = None) -> list[str]:
        """The API's 422 messages for these client fields (``current``: the one updated)."""
        errors = []
        name = fields.get("name")
        code = fields.get("code")
        if not isinstance(name, str) or not name.strip():
            errors.append("Name can't be blank")
        if not isinstance(code, str) or not code.strip():
            errors.append("Code can't be blank")
        elif code in self._by_code and self._by_code[code] is not current:
            errors.append("Code has already been taken")
        email = fields.get("email")
        if email not in (None, "") and (not isinstance(email, str) or not _EMAIL.match(email)):
            errors.append("Email is invalid")
        send_options = fields.get("send_options")
        if send_options is not None and str(send_options) not in ("1", "2", "3"):
            errors.append("Send options must be 1, 2 or 3")
        days = fields.get("payment_days")
        if days is not None and not (str(days).isdigit() and int(days) <= 365):
            errors.append("Payment days is invalid")
        code = fields.get("tax_exemption_code")
        if code is not None and code not in EXEMPTION_CODES:
            errors.append("Tax exemption code is invalid")
        return errors

    @staticmethod
    def _fill_client(client: dict[str, Any], fields: dict[str, Any]) -> None:
        for key in _CLIENT_FIELDS:
            value = fields.get(key)
            client[key] = "" if value is None else str(value)
        contact = fields.get("preferred_contact")
        contact = contact if isinstance(contact, dict) else {}
        client["preferred_contact"] = {k: str(contact.get(k) or "") for k in
                                       ("name", "email", "phone", "mobile")}
        client["send_options"] = str(fields.get("send_options") or "1")
        client["payment_days"] = str(fields.get("payment_days") or "0")
        client["tax_exemption_code"] = str(fields.get("tax_exemption_code") or "M00")

    def create_client(self, fields: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
        """Validate like the API does; return the stored client or the 422 messages."""
        errors = self._client_errors(fields)
        if errors:
            return None, errors
        client: dict[str, Any] = {"id": str(FIRST_CLIENT_ID + len(self.clients))}
        self._fill_client(client, fields)
        client["open_account_link"] = \
            f"https://www.app.invoicexpress.com/suppliers/{secrets.token_hex(20)}"
        self.clients.append(client)
        self._by_code[client["code"]] = client
        return client, []

    def update_client(self, client: dict[str, Any], fields: dict[str, Any]) -> list[str]:
        """Replace ``client``'s fields; the 422 messages when they are refused."""
        errors = self._client_errors(fields, current=client)
        if not errors:
            del self._by_code[client["code"]]
            self._fill_client(client, fields)
            self._by_code[client["code"]] = client
        return errors

    def client_for_document(self, fields: dict[str, Any]) -> dict[str, Any] | None:
        """The client a new document names: by id, then by code, as the API resolves them;
        created from the name and code when the account has none."""
        client_id = fields.get("id")
        if client_id is not None:
            return self.client_by_id(client_id) if isinstance(client_id, int) else None
        found = self.client_by_code(str(fields.get("code") or ""))
        if found is not None:
            return found
        created, _ = self.create_client(fields)
        return created
