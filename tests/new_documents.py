"""What the document tests send: a draft of one line and a guide, with any field replaced."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import invoicexpress_async as ix

DAY = datetime.date(2026, 11, 2)


def document(reference: str | None = "PO-1", *, code: str = "PAD-1", price: str = "12.50",
             **extra: Any) -> ix.DocumentCreate:
    """A draft for client ``code`` with one line at ``price``; ``extra`` replaces fields."""
    fields: dict[str, Any] = {
        "date": DAY, "due_date": DAY + datetime.timedelta(days=30),
        "client": ix.DocumentClient(name=f"Cliente {code}", code=code),
        "items": [ix.ItemLine(name="Pão", description="Caixa", unit_price=Decimal(price),
                              quantity=Decimal(4), tax="IVA23")],
        "reference": reference}
    return ix.DocumentCreate(**{**fields, **extra})


def guide(reference: str = "GT-1",
          loaded_at: datetime.datetime | None = None) -> ix.GuideCreate:
    return ix.GuideCreate(
        date=DAY, due_date=DAY, loaded_at=loaded_at or datetime.datetime(2026, 11, 2, 19),
        license_plate="11-AA-22",
        address_from=ix.Address(detail="Rua A, 1", city="Porto", postal_code="4000-001",
                                country="Portugal"),
        address_to=ix.Address(detail="Rua B, 2", city="Lisboa", postal_code="1000-001",
                              country="Portugal"),
        client=ix.DocumentClient(name="Oficina Norte Lda", code="ON-1"),
        items=[ix.ItemLine(name="Pneus", description="4 unidades", unit_price=Decimal("50"),
                           quantity=Decimal(4))], reference=reference)
