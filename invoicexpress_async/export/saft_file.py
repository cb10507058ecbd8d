"""The month's SAF-T PT file: ``invoicexpress-async export saft --year Y --month M``.

The API renders the file asynchronously (202 answers, polled) and hands back a URL;
the archive is downloaded whole or not at all. A month without documents is a
clear :class:`NothingToExport`; an account that may not export (InvoiceXpress trial
accounts have no SAF-T) gets a hint with the API's own words.
"""

from __future__ import annotations

from pathlib import Path

from ..client import AsyncInvoiceXpress
from ..errors import APIError, ValidationError


class NothingToExport(Exception):
    """The API has no document in that month to put in a SAF-T file."""


async def export_saft(api: AsyncInvoiceXpress, *, year: int, month: int, out: Path) -> Path:
    """Fetch the SAF-T file of ``year``-``month`` to ``out``."""
    try:
        url = await api.saft.export(year=year, month=month)
    except ValidationError as exc:
        if "document" in str(exc).lower():
            raise NothingToExport(f"no documents to export in {year}-{month:02d}: the API"
                                  " makes no SAF-T file for an empty month") from None
        raise _with_hint(exc) from None
    except APIError as exc:
        if exc.status in (401, 403, 404, 422):
            raise _with_hint(exc) from None
        raise
    return await api.download_to(url, out)


def _with_hint(error: APIError) -> APIError:
    error.message += " (SAF-T is not available on InvoiceXpress trial accounts)"
    return error


__all__ = ["NothingToExport", "export_saft"]
