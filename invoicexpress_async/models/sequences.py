"""Sequences (series): the numbering of every document kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._extra import extra_field


@attrs.frozen(kw_only=True, slots=True)
class Sequence:
    """A series. For each kind of document (``invoice``, ``credit_note``, ``shipping``...),
    ``current_<kind>_number`` is the last number used, ``current_<kind>_sequence_id`` the
    id of that kind's numbering, and ``current_<kind>_validation_code`` the Tax
    Authority's code once the series is registered (``N/D`` before, ``N/A`` when not
    needed): the first half of every ATCUD."""

    id: int
    """The series' id."""
    serie: str
    """Its name, printed in every number (``2026`` in ``FT 2026/12``)."""
    default_sequence: bool | None = None
    """Whether new documents use it when they name no series (``0``/``1`` on the wire)."""
    current_invoice_number: int | None = None
    """The last number given to invoices in this series (0: none yet)."""
    current_invoice_sequence_id: int | None = None
    """The id of this series' numbering of invoices."""
    current_invoice_validation_code: str | None = None
    """The Tax Authority's code for invoices in this series, the first half of their ATCUD
    (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_invoice_receipt_number: int | None = None
    """The last number given to invoice-receipts in this series (0: none yet)."""
    current_invoice_receipt_sequence_id: int | None = None
    """The id of this series' numbering of invoice-receipts."""
    current_invoice_receipt_validation_code: str | None = None
    """The Tax Authority's code for invoice-receipts in this series, the first half of their
    ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_simplified_invoice_number: int | None = None
    """The last number given to simplified invoices in this series (0: none yet)."""
    current_simplified_invoice_sequence_id: int | None = None
    """The id of this series' numbering of simplified invoices."""
    current_simplified_invoice_validation_code: str | None = None
    """The Tax Authority's code for simplified invoices in this series, the first half of
    their ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_credit_note_number: int | None = None
    """The last number given to credit notes in this series (0: none yet)."""
    current_credit_note_sequence_id: int | None = None
    """The id of this series' numbering of credit notes."""
    current_credit_note_validation_code: str | None = None
    """The Tax Authority's code for credit notes in this series, the first half of their
    ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_debit_note_number: int | None = None
    """The last number given to debit notes in this series (0: none yet)."""
    current_debit_note_sequence_id: int | None = None
    """The id of this series' numbering of debit notes."""
    current_debit_note_validation_code: str | None = None
    """The Tax Authority's code for debit notes in this series, the first half of their
    ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_receipt_number: int | None = None
    """The last number given to receipts in this series (0: none yet)."""
    current_receipt_sequence_id: int | None = None
    """The id of this series' numbering of receipts."""
    current_receipt_validation_code: str | None = None
    """The Tax Authority's code for receipts in this series, the first half of their ATCUD
    (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_shipping_number: int | None = None
    """The last number given to shipping guides in this series (0: none yet)."""
    current_shipping_sequence_id: int | None = None
    """The id of this series' numbering of shipping guides."""
    current_shipping_validation_code: str | None = None
    """The Tax Authority's code for shipping guides in this series, the first half of their
    ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_transport_number: int | None = None
    """The last number given to transport guides in this series (0: none yet)."""
    current_transport_sequence_id: int | None = None
    """The id of this series' numbering of transport guides."""
    current_transport_validation_code: str | None = None
    """The Tax Authority's code for transport guides in this series, the first half of their
    ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_devolution_number: int | None = None
    """The last number given to return guides in this series (0: none yet)."""
    current_devolution_sequence_id: int | None = None
    """The id of this series' numbering of return guides."""
    current_devolution_validation_code: str | None = None
    """The Tax Authority's code for return guides in this series, the first half of their
    ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_proforma_number: int | None = None
    """The last number given to proformas in this series (0: none yet)."""
    current_proforma_sequence_id: int | None = None
    """The id of this series' numbering of proformas."""
    current_proforma_validation_code: str | None = None
    """The Tax Authority's code for proformas in this series, the first half of their ATCUD
    (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_quote_number: int | None = None
    """The last number given to quotes in this series (0: none yet)."""
    current_quote_sequence_id: int | None = None
    """The id of this series' numbering of quotes."""
    current_quote_validation_code: str | None = None
    """The Tax Authority's code for quotes in this series, the first half of their ATCUD
    (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_fees_note_number: int | None = None
    """The last number given to fees notes in this series (0: none yet)."""
    current_fees_note_sequence_id: int | None = None
    """The id of this series' numbering of fees notes."""
    current_fees_note_validation_code: str | None = None
    """The Tax Authority's code for fees notes in this series, the first half of their ATCUD
    (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_purchase_order_number: int | None = None
    """The last number given to purchase orders in this series (0: none yet)."""
    current_purchase_order_sequence_id: int | None = None
    """The id of this series' numbering of purchase orders."""
    current_purchase_order_validation_code: str | None = None
    """The Tax Authority's code for purchase orders in this series, the first half of their
    ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_vat_moss_invoice_number: int | None = None
    """The last number given to VAT MOSS invoices in this series (0: none yet)."""
    current_vat_moss_invoice_sequence_id: int | None = None
    """The id of this series' numbering of VAT MOSS invoices."""
    current_vat_moss_invoice_validation_code: str | None = None
    """The Tax Authority's code for VAT MOSS invoices in this series, the first half of
    their ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_vat_moss_credit_note_number: int | None = None
    """The last number given to VAT MOSS credit notes in this series (0: none yet)."""
    current_vat_moss_credit_note_sequence_id: int | None = None
    """The id of this series' numbering of VAT MOSS credit notes."""
    current_vat_moss_credit_note_validation_code: str | None = None
    """The Tax Authority's code for VAT MOSS credit notes in this series, the first half of
    their ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    current_vat_moss_receipt_number: int | None = None
    """The last number given to VAT MOSS receipts in this series (0: none yet)."""
    current_vat_moss_receipt_sequence_id: int | None = None
    """The id of this series' numbering of VAT MOSS receipts."""
    current_vat_moss_receipt_validation_code: str | None = None
    """The Tax Authority's code for VAT MOSS receipts in this series, the first half of
    their ATCUD (``N/D`` until the series is registered, ``N/A`` when not needed)."""
    extra: Mapping[str, Any] = extra_field()
    """Members of the answer the SDK does not model, as the API sent them."""

