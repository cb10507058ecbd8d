"""Stream a whole list into a file, page by page, resumable after a crash.

Without ``resume`` the output goes to ``<out>.part`` and is renamed to ``<out>``
only when complete, so a failed run never leaves a file that looks whole. After
pages are written and flushed, the checkpoint records the last one (at most
every ``checkpoint_every`` seconds: writing it after each page cost more than
the export itself); ``resume`` cuts the files back to that checkpoint and
continues after its page, with no duplicate and no gap.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import attrs

from ..client import AsyncInvoiceXpress
from ..pagination import AsyncPaginator, Page
from .checkpoint import Checkpoint
from .formats import make_writer


class ResumeRefused(ValueError):
    """``--resume`` was asked for a different query than the interrupted export's."""


@attrs.frozen(kw_only=True)
class ExportSpec:
    kind: str  # "invoices" or "clients"
    out: Path | None  # None: stdout
    format: str  # "jsonl" or "csv"
    items_out: Path | None = None
    raw: bool = False
    filters: dict[str, Any] = attrs.field(factory=dict)  # keyword arguments of invoices.list
    per_page: int = 30
    resume: bool = False
    # seconds between checkpoints: a crash redoes at most this much, never duplicates
    checkpoint_every: float = 1.0

    def signature(self) -> dict[str, Any]:
        """What must be identical for a resumed export to continue this one."""
        return {"kind": self.kind, "format": self.format, "raw": self.raw,
                "per_page": self.per_page,
                "items_out": None if self.items_out is None else str(self.items_out),
                "filters": {k: _plain(v) for k, v in sorted(self.filters.items())
                            if v is not None}}


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if isinstance(value, (bool, int)) else str(value)


@attrs.define
class ExportResult:
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    resumed_from: int = 0


OnPage = Callable[[Page[Any]], None]


def _paginator(api: AsyncInvoiceXpress, spec: ExportSpec, start: int) -> AsyncPaginator[Any]:
    if spec.kind == "invoices":
        paginator: AsyncPaginator[Any] = api.invoices.list(**spec.filters,
                                                           per_page=spec.per_page, page=start)
    else:
        paginator = api.clients.list(per_page=spec.per_page, page=start)
    return paginator.raw() if spec.raw else paginator


def _part(path: Path) -> Path:
    return path.with_name(path.name + ".part")


async def run_export(api: AsyncInvoiceXpress, spec: ExportSpec,
                     on_page: OnPage | None = None,
                     on_resume: Callable[[int], None] | None = None) -> ExportResult:
    """Export ``spec``; ``on_page`` sees each page written, ``on_resume`` the number of
    documents an interrupted run had already written, when this one continues it."""
    result = ExportResult()
    started = time.perf_counter()
    if spec.out is None:
        out = sys.stdout.buffer
        writer = make_writer(spec.kind, spec.format, out, None, raw=spec.raw)
        writer.header()
        async for page in _paginator(api, spec, 1).pages():
            writer.write(page.items)
            out.flush()
            _count(result, page, on_page)
        result.seconds = time.perf_counter() - started
        return result

    targets = [spec.out] + ([spec.items_out] if spec.items_out is not None else [])
    state_path = Checkpoint.path_for(spec.out)
    checkpoint = Checkpoint.load(state_path) if spec.resume else None
    if checkpoint is not None and checkpoint.query != spec.signature():
        raise ResumeRefused(
            f"--resume refused: {state_path} was written for another query"
            f" ({checkpoint.query}); rerun without --resume to start over")
    if checkpoint is None:
        checkpoint = Checkpoint(query=spec.signature())
        mode = "wb"
    else:
        for target in targets:
            with _part(target).open("ab") as handle:
                handle.truncate(checkpoint.sizes.get(str(_part(target)), 0))
        mode = "ab"
        result.resumed_from = checkpoint.last_page
        result.documents = checkpoint.documents
        if on_resume is not None:
            on_resume(checkpoint.documents)

    with contextlib.ExitStack() as stack:
        files: list[IO[bytes]] = [stack.enter_context(_part(t).open(mode)) for t in targets]
        writer = make_writer(spec.kind, spec.format, files[0],
                             files[1] if len(files) > 1 else None, raw=spec.raw)
        if mode == "wb":
            writer.header()
            _checkpoint(checkpoint, targets, files, state_path)
        paginator = _paginator(api, spec, checkpoint.last_page + 1)
        saved_at = time.monotonic()
        async for page in paginator.pages():
            writer.write(page.items)
            checkpoint.last_page = page.number
            checkpoint.documents += len(page.items)
            if time.monotonic() - saved_at >= spec.checkpoint_every:
                _checkpoint(checkpoint, targets, files, state_path)
                saved_at = time.monotonic()
            _count(result, page, on_page)
    for target in targets:
        _part(target).replace(target)
    state_path.unlink(missing_ok=True)
    result.seconds = time.perf_counter() - started
    return result


def _checkpoint(checkpoint: Checkpoint, targets: list[Path], files: list[IO[bytes]],
                state_path: Path) -> None:
    for handle in files:
        handle.flush()
    checkpoint.sizes = {str(_part(t)): f.tell() for t, f in zip(targets, files, strict=True)}
    checkpoint.save(state_path)


def _count(result: ExportResult, page: Page[Any], on_page: OnPage | None) -> None:
    result.documents += len(page.items)
    result.pages += 1
    if on_page is not None:
        on_page(page)
