"""Clients: list, get, create, update, find, and one client's documents."""

from __future__ import annotations

from collections.abc import Sequence

from .._checks import identifier, instance
from ..errors import InvoiceXpressError, NotFoundError
from ..models.clients import Client, ClientCreate
from ..models.documents import Invoice
from ..models.enums import ArchivedFilter, DocumentStatus, DocumentType
from ..pagination import AsyncPaginator
from . import _params
from ._base import Resource
from ._filters import CLIENT_DOCUMENT_FILTERS
from ._operations import Operation, read, write

LIST = read("/clients.json", ("clients",), Client)
GET = read("/clients/{id}.json", ("client",), Client)
CREATE = write("POST", "/clients.json", ("client",), Client, request_root="client")
UPDATE = write("PUT", "/clients/{id}.json", request_root="client", idempotent=True)
FIND_BY_NAME = read("/clients/find-by-name.json", ("client",), Client)
FIND_BY_CODE = read("/clients/find-by-code.json", ("client",), Client)
# a read sent as POST (its filters travel in the body): retried like any read
DOCUMENTS = read("/clients/{id}/invoices.json", ("invoices",), Invoice, method="POST")


class AsyncClients(Resource):
    """The account's clients (``/clients``)."""

    def list(self, *, per_page: int | None = None, page: int = 1) -> AsyncPaginator[Client]:
        """Every client of the account, page by page from ``page`` (``per_page`` 30 unless
        given, at most 1000)."""
        start, size = _params.paging(page, per_page)
        return self._paginate(LIST, Client, page=start, per_page=size)

    async def get(self, client_id: int) -> Client:
        """One client, with the fields only this endpoint returns (``fiscal_id``)."""
        return await self._call(GET,
                                id=identifier("client_id", client_id))

    async def create(self, client: ClientCreate, *, reconcile: bool = False) -> Client:
        """Create a client. ``name`` and ``code`` are required; the code must be unique.

        A create is never retried once it may have reached the server: when the
        outcome is unknown the error says so (``error.outcome_unknown``). With
        ``reconcile=True`` the SDK then looks the code up and returns the client
        when it was created with this name; otherwise the error is raised.
        """
        instance("client", client, ClientCreate)
        instance("reconcile", reconcile, bool)
        try:
            return await self._call(CREATE,
                                    body=CREATE.body(client))
        except InvoiceXpressError as error:
            if not (reconcile and error.outcome_unknown):
                raise
            found = await self._look_up(self.find_by_code(client.code))
            if found is None or found.name != client.name:
                raise  # not there (yet), or the code is someone else's: still unknown
            return found

    async def update(self, client_id: int, client: ClientCreate) -> None:
        """Replace a client's fields with ``client``'s."""
        instance("client", client, ClientCreate)
        await self._call(UPDATE, id=identifier("client_id", client_id),
                         body=UPDATE.body(client))

    async def find_by_name(self, name: str) -> Client | None:
        """The client named exactly ``name`` (the API matches whole names only), or None."""
        return await self._find(FIND_BY_NAME, "client_name", _params.query_text("name", name))

    async def find_by_code(self, code: str) -> Client | None:
        """The client whose code is ``code`` (codes are unique), or None."""
        return await self._find(FIND_BY_CODE, "client_code", _params.query_text("code", code))

    async def _find(self, operation: Operation[Client], key: str,
                    value: str) -> Client | None:
        try:
            return await self._call(operation,
                                    query=[(key, value)])
        except NotFoundError:
            return None

    def invoices(self, client_id: int, *,
                 status: str | DocumentStatus | Sequence[str | DocumentStatus] | None = None,
                 by_type: str | DocumentType | Sequence[str | DocumentType] | None = None,
                 archived: bool | str | ArchivedFilter
                 | Sequence[str | ArchivedFilter] | None = None,
                 per_page: int | None = None, page: int = 1) -> AsyncPaginator[Invoice]:
        """The documents of one client, optionally filtered.

        ``status`` takes document statuses (``final``, ``settled``, ``draft``...),
        ``by_type`` document types (``Invoice``...), and ``archived`` True (only
        archived), False (only non-archived) or the API's ``archived``/``non_archived``.
        An unknown value is a ValueError listing the allowed ones.
        """
        client = identifier("client_id", client_id)
        start, size = _params.paging(page, per_page)
        body = {"filter": CLIENT_DOCUMENT_FILTERS.body(status=status, by_type=by_type,
                                                       archived=archived)}
        return self._paginate(DOCUMENTS, Invoice, page=start, per_page=size, body=body,
                              id=client)
