"""Every matching document's PDF into a folder: ``invoicexpress-async export pdfs``.

Files are named so that a person finds them: ``Invoice 12-A (500123).pdf`` (type,
number, id); a file that is there is never fetched again, so an interrupted run
(Ctrl-C, a crash, a cron timeout) continues where it stopped, and every file is
written whole or not at all (``download_to``). Documents are fetched ``concurrency``
at a time within the account's rate limit; the PDF renders (202 answers) are polled
in parallel. Drafts have no PDF: they are left out unless a ``status`` filter asks.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..client import AsyncInvoiceXpress
from ..errors import InvoiceXpressError
from ..resources.families import attribute_for_type
from .kinds import KINDS

_UNSAFE = re.compile(r"[^\w.-]+")
# the states a document has a PDF in (drafts have none), in each list's filter words
_WITH_PDF = {"invoices": ["sent", "settled", "canceled", "second_copy"],
             "estimates": ["sent", "accepted", "refused", "canceled"],
             "guides": ["sent", "canceled", "second_copy"]}
DOCUMENT_KINDS = tuple(_WITH_PDF)


@attrs.define
class PdfOutcome:
    """What a run did: PDFs ``fetched``, ``present`` already, and ``failed`` (id -> why)."""

    fetched: int = 0
    present: int = 0
    failed: dict[int, str] = attrs.field(factory=dict)
    seconds: float = 0.0

    def summary(self, folder: Path) -> str:
        failed = f", {len(self.failed):,} failed" if self.failed else ""
        text = (f"pdfs: {self.fetched:,} fetched, {self.present:,} already in {folder}"
                f"{failed} in {self.seconds:.1f} s")
        for doc_id, why in list(self.failed.items())[:10]:
            text += f"\n  document {doc_id}: {why}"
        return text


def file_name(doc: Any, second_copy: bool = False) -> str:
    """``Invoice 12-A (500123).pdf``: what a person looks for, safe on every filesystem."""
    number = _UNSAFE.sub("-", str(doc.sequence_number or "")).strip("-") or "draft"
    kind = _UNSAFE.sub("-", str(doc.type)).strip("-")
    copy = " second copy" if second_copy else ""
    return f"{kind} {number} ({doc.id}){copy}.pdf"


async def export_pdfs(api: AsyncInvoiceXpress, folder: Path, *, kind: str = "invoices",
                      filters: Mapping[str, Any] | None = None, second_copy: bool = False,
                      concurrency: int = 8,
                      on_file: Callable[[PdfOutcome], None] | None = None) -> PdfOutcome:
    """Fetch the PDF of every document of ``kind`` matching ``filters`` into ``folder``."""
    if kind not in _WITH_PDF:
        raise ValueError(f"kind must be one of {', '.join(_WITH_PDF)}, got {kind!r}")
    query = dict(filters or {})
    query.setdefault("status", _WITH_PDF[kind])
    listing = KINDS[kind].resource(api).list(**query, per_page=100)  # checks the filters
    present = await asyncio.to_thread(_files_in, folder)
    outcome = PdfOutcome()
    started = time.monotonic()
    queue: asyncio.Queue[Any] = asyncio.Queue(concurrency * 2)

    async def fetch() -> None:
        while (doc := await queue.get()) is not None:
            name = file_name(doc, second_copy)
            if name in present:  # fetched by an earlier run: never again
                outcome.present += 1
                continue
            target = folder / name
            family = getattr(api, attribute_for_type(doc.type, kind))
            try:
                url = await family.pdf_url(doc.id, second_copy=second_copy)
                await api.download_to(url, target)
            except InvoiceXpressError as exc:
                outcome.failed[doc.id] = str(exc).splitlines()[0]
            else:
                outcome.fetched += 1
            if on_file is not None:
                on_file(outcome)

    workers = [asyncio.create_task(fetch()) for _ in range(concurrency)]
    try:
        async for doc in listing:
            await queue.put(doc)
        for _ in workers:
            await queue.put(None)
        await asyncio.gather(*workers)
    finally:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    outcome.seconds = time.monotonic() - started
    return outcome


def _files_in(folder: Path) -> set[str]:
    """The PDFs already in ``folder`` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {path.name for path in folder.iterdir() if path.suffix == ".pdf"}


__all__ = ["DOCUMENT_KINDS", "PdfOutcome", "export_pdfs", "file_name"]
