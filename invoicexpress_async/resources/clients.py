"""Clients: list, create, and one client's documents."""

from __future__ import annotations

from collections.abc import Sequence

from .._transport import Request
from ..errors import InvoiceXpressError, NotFoundError
from ..models._convert import converter
from ..models.clients import Client, ClientCreate
from ..models.documents import Invoice
from ..models.enums import ArchivedFilter, DocumentStatus, DocumentType
from ..pagination import AsyncPaginator
from . import _params
from ._base import Resource


class AsyncClients(Resource):
    """The account's clients (``/clients``)."""

    def list(self, *, per_page: int | None = None, page: int = 1) -> AsyncPaginator[Client]:
        """Every client of the account, page by page from ``page``.

        ``per_page`` defaults to the account's setting (10, 20 or 30).
        """
        start, size = _params.paging(page, per_page)
        return self._paginate(
            lambda n: Request("GET", "/clients.json", _params.page_query(n, size)),
            "clients", Client, page=start, per_page=size)

    async def create(self, client: ClientCreate, *, reconcile: bool = False) -> Client:
        """Create a client. ``name`` and ``code`` are required; the code must be unique.

        A create is never retried once it may have reached the server: when the
        outcome is unknown the error says so (``error.outcome_unknown``). With
        ``reconcile=True`` the SDK then looks the code up and returns the client
        when it was created with this name; otherwise the error is raised.
        """
        if not isinstance(client, ClientCreate):
            raise TypeError(f"client must be a ClientCreate, got {type(client).__name__}")
        if not isinstance(reconcile, bool):
            raise TypeError(f"reconcile must be a bool, got {type(reconcile).__name__}")
        body = {"client": converter.unstructure(client, ClientCreate)}
        try:
            return await self._one(Request("POST", "/clients.json", json=body), "client",
                                   Client)
        except InvoiceXpressError as error:
            if not (reconcile and error.outcome_unknown):
                raise
            try:
                found = await self.find_by_code(client.code)
            except NotFoundError:
                raise error from None  # not there (yet): still unknown, never assumed
            if found.name != client.name:
                raise error from None  # that code belongs to someone else
            return found

    async def find_by_code(self, code: str) -> Client:
        """The client whose code is ``code`` (codes are unique); NotFoundError if none."""
        request = Request("GET", "/clients/find-by-code.json",
                          [("client_code", _params.text("code", code))])
        return await self._one(request, "client", Client)

    def invoices(self, client_id: int, *,
                 status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
                 by_type: str | DocumentType | Sequence[str | DocumentType] | None = None,
                 archived: bool | str | ArchivedFilter
                 | Sequence[str | ArchivedFilter] | None = None,
                 per_page: int | None = None, page: int = 1) -> AsyncPaginator[Invoice]:
        """The documents of one client, optionally filtered.

        ``status`` takes response statuses (``final``, ``settled``, ``draft``...),
        ``by_type`` document types (``Invoice``...), and ``archived`` True (only
        archived), False (only non-archived) or the API's ``archived``/``non_archived``.
        """
        client = _params.positive_int("client_id", client_id)
        start, size = _params.paging(page, per_page)
        filters: dict[str, list[str]] = {}
        for key, values in (
            ("status", _params.choices("status", status, DocumentStatus)),
            ("by_type", _params.choices("by_type", by_type, DocumentType)),
            ("archived", _archived(archived)),
        ):
            if values is not None:
                filters[key] = values
        body = {"filter": filters}
        path = f"/clients/{client}/invoices.json"
        return self._paginate(
            lambda n: Request("POST", path, _params.page_query(n, size), json=body),
            "invoices", Invoice, page=start, per_page=size)


def _archived(value: object) -> list[str] | None:
    if isinstance(value, bool):
        return [(ArchivedFilter.ARCHIVED if value else ArchivedFilter.NON_ARCHIVED).value]
    return _params.choices("archived", value, ArchivedFilter)
