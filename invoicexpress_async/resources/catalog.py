"""The account's catalogue: items and taxes."""

from __future__ import annotations

from .._checks import identifier, instance
from ..models.catalog import CatalogItem
from ..models.documents import Tax
from ..models.requests import CatalogItemCreate, TaxCreate
from ..pagination import AsyncPaginator
from . import _params
from ._base import Resource
from ._operations import read, write

ITEMS = read("/items.json", ("items",), CatalogItem)
ITEM = read("/items/{id}.json", ("item",), CatalogItem)
CREATE_ITEM = write("POST", "/items.json", ("item",), CatalogItem, request_root="item")
UPDATE_ITEM = write("PUT", "/items/{id}.json", request_root="item", idempotent=True)
DELETE_ITEM = write("DELETE", "/items/{id}.json", idempotent=True)

TAXES = read("/taxes.json", ("taxes",), list[Tax])
TAX = read("/taxes/{id}.json", ("tax",), Tax)
CREATE_TAX = write("POST", "/taxes.json", ("tax",), Tax, request_root="tax")
UPDATE_TAX = write("PUT", "/taxes/{id}.json", request_root="tax", idempotent=True)
DELETE_TAX = write("DELETE", "/taxes/{id}.json", idempotent=True)


class AsyncItems(Resource):
    """The products and services of the account's catalogue (``/items``)."""

    def list(self, *, per_page: int | None = None,
             page: int = 1) -> AsyncPaginator[CatalogItem]:
        """Every item, page by page from ``page`` (``per_page`` 30 unless given)."""
        start, size = _params.paging(page, per_page)
        return self._paginate(ITEMS, CatalogItem, page=start, per_page=size)

    async def get(self, item_id: int) -> CatalogItem:
        """One item."""
        return await self._call(ITEM,
                                id=identifier("item_id", item_id))

    async def create(self, item: CatalogItemCreate) -> CatalogItem:
        """Add an item to the catalogue (names are unique). Never re-sent once it may have
        reached the server."""
        instance("item", item, CatalogItemCreate)
        return await self._call(CREATE_ITEM,
                                body=CREATE_ITEM.body(item))

    async def update(self, item_id: int, item: CatalogItemCreate) -> None:
        """Replace an item's content (its name cannot change once used on documents)."""
        instance("item", item, CatalogItemCreate)
        await self._call(UPDATE_ITEM, id=identifier("item_id", item_id),
                         body=UPDATE_ITEM.body(item))

    async def delete(self, item_id: int) -> None:
        """Remove an item from the catalogue."""
        await self._call(DELETE_ITEM, id=identifier("item_id", item_id))


class AsyncTaxes(Resource):
    """The account's taxes (``/taxes``)."""

    async def list(self) -> list[Tax]:
        """Every tax of the account (the API does not paginate this list)."""
        return await self._call(TAXES)

    async def get(self, tax_id: int) -> Tax:
        """One tax, with its region, code and whether it is the default."""
        return await self._call(TAX, id=identifier("tax_id", tax_id))

    async def create(self, tax: TaxCreate) -> Tax:
        """Add a tax. Never re-sent once it may have reached the server."""
        instance("tax", tax, TaxCreate)
        return await self._call(CREATE_TAX, body=CREATE_TAX.body(tax))

    async def update(self, tax_id: int, tax: TaxCreate) -> None:
        """Replace a tax's content."""
        instance("tax", tax, TaxCreate)
        await self._call(UPDATE_TAX, id=identifier("tax_id", tax_id), body=UPDATE_TAX.body(tax))

    async def delete(self, tax_id: int) -> None:
        """Remove a tax."""
        await self._call(DELETE_TAX, id=identifier("tax_id", tax_id))
