"""What can be exported: one row per list, read by the export, the CLI and the loaders.

Each :class:`Kind` names the list (its resource on the client), its filters (the
resource's :class:`~invoicexpress_async.resources._filters.FilterSet`: the CLI's flags
are made from it), its CSV layout and whether its documents carry line items. A new
exportable list is one row here; ``tests/test_kinds.py`` checks that each row agrees
with the resource's ``list`` signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from .. import models
from ..resources._filters import ESTIMATE_FILTERS, GUIDE_FILTERS, INVOICE_FILTERS, FilterSet
from . import formats

if TYPE_CHECKING:
    from ..client import AsyncInvoiceXpress

Row = Callable[[dict[str, Any]], list[str]]


@attrs.frozen
class Kind:
    """One exportable list: ``name`` (the CLI's word and the client's attribute), what it
    holds, its CSV ``columns`` and ``row``, its ``filters`` (None: takes none), whether
    documents carry line ``items``, and for the lists the API does not paginate, their
    ``path``."""

    name: str
    what: str
    model: type
    columns: tuple[str, ...]
    row: Row
    filters: FilterSet | None = None
    items: bool = False
    path: str | None = None  # unpaginated: GET path, answered as {"<name>": [...]}
    # documents: the field holding a document's day and the filter that starts a list there
    cursor: tuple[str, str] | None = None

    @property
    def paginated(self) -> bool:
        return self.path is None

    @property
    def statuses(self) -> tuple[str, ...]:
        """The values the list's ``status`` filter takes (empty: it has none)."""
        return self.filters.allowed("status") if self.filters else ()

    def resource(self, api: AsyncInvoiceXpress) -> Any:
        """The client's resource of this list (``api.invoices``...)."""
        return getattr(api, self.name)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("invoices", "invoice-family documents", models.Invoice, formats.INVOICE_COLUMNS,
         formats.invoice_row, INVOICE_FILTERS, items=True, cursor=("date", "date_from")),
    Kind("estimates", "quotes, proformas and fees notes", models.Estimate,
         formats.INVOICE_COLUMNS, formats.invoice_row, ESTIMATE_FILTERS, items=True,
         cursor=("date", "date_from")),
    Kind("guides", "shipping, transport and devolution guides", models.Guide,
         formats.GUIDE_COLUMNS, formats.guide_row, GUIDE_FILTERS, items=True,
         cursor=("loaded_at", "loaded_at_from")),
    Kind("clients", "clients", models.Client, formats.CLIENT_COLUMNS, formats.client_row),
    Kind("items", "catalogue items", models.CatalogItem, formats.CATALOG_ITEM_COLUMNS,
         formats.catalog_item_row),
    Kind("taxes", "taxes", models.Tax, formats.TAX_COLUMNS,
         formats.plain_row(formats.TAX_COLUMNS), path="/taxes.json"),
    Kind("sequences", "series", models.Sequence, formats.SEQUENCE_COLUMNS,
         formats.plain_row(formats.SEQUENCE_COLUMNS), path="/sequences.json"),
)}

ALL_FILTERS = {f.name: f for kind in KINDS.values() if kind.filters
               for f in kind.filters.filters}


__all__ = ["ALL_FILTERS", "KINDS", "Kind"]
