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
    current_invoice_sequence_id: int | None = None
    current_invoice_validation_code: str | None = None
    current_invoice_receipt_number: int | None = None
    current_invoice_receipt_sequence_id: int | None = None
    current_invoice_receipt_validation_code: str | None = None
    current_simplified_invoice_number: int | None = None
    current_simplified_invoice_sequence_id: int | None = None
    current_simplified_invoice_validation_code: str | None = None
    current_credit_note_number: int | None = None
    current_credit_note_sequence_id: int | None = None
    current_credit_note_validation_code: str | None = None
    current_debit_note_number: int | None = None
    current_debit_note_sequence_id: int | None = None
    current_debit_note_validation_code: str | None = None
    current_receipt_number: int | None = None
    current_receipt_sequence_id: int | None = None
    current_receipt_validation_code: str | None = None
    current_shipping_number: int | None = None
    current_shipping_sequence_id: int | None = None
    current_shipping_validation_code: str | None = None
    current_transport_number: int | None = None
    current_transport_sequence_id: int | None = None
    current_transport_validation_code: str | None = None
    current_devolution_number: int | None = None
    current_devolution_sequence_id: int | None = None
    current_devolution_validation_code: str | None = None
    current_proforma_number: int | None = None
    current_proforma_sequence_id: int | None = None
    current_proforma_validation_code: str | None = None
    current_quote_number: int | None = None
    current_quote_sequence_id: int | None = None
    current_quote_validation_code: str | None = None
    current_fees_note_number: int | None = None
    current_fees_note_sequence_id: int | None = None
    current_fees_note_validation_code: str | None = None
    current_purchase_order_number: int | None = None
    current_purchase_order_sequence_id: int | None = None
    current_purchase_order_validation_code: str | None = None
    current_vat_moss_invoice_number: int | None = None
    current_vat_moss_invoice_sequence_id: int | None = None
    current_vat_moss_invoice_validation_code: str | None = None
    current_vat_moss_credit_note_number: int | None = None
    current_vat_moss_credit_note_sequence_id: int | None = None
    current_vat_moss_credit_note_validation_code: str | None = None
    current_vat_moss_receipt_number: int | None = None
    current_vat_moss_receipt_sequence_id: int | None = None
    current_vat_moss_receipt_validation_code: str | None = None
    extra: Mapping[str, Any] = extra_field()

