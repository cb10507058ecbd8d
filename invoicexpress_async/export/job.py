"""Stream a whole list into a file, page by page, resumable after a crash.

Before the first request every path and filter is checked. The output is
written to ``<out>.part`` and appears under its own name only when complete,
by a rename; a lock keeps a second export off the same file. After pages are
written and flushed, the checkpoint records the last one (at most every
``checkpoint_every`` seconds: writing it after each page cost more than the
export itself); ``resume`` checks that the checkpoint belongs to the same
output, account, base URL and query, cuts the files back to it (refusing a file
shorter than recorded) and continues after its page: no duplicate, no gap.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any

import attrs

from ..client import AsyncInvoiceXpress
from ..pagination import AsyncPaginator, Page
from .checkpoint import Checkpoint
from .files import ExportRefused, create, exists, locked, part_of, remove, reopen
from .formats import make_writer
from .kinds import KINDS
from .parquet import parquet_installed, spool_to_parquet


class ResumeRefused(ExportRefused):
    """``--resume`` was asked for another export than the interrupted one."""


@attrs.frozen(kw_only=True)
class ExportSpec:
    kind: str  # a name of KINDS
    out: Path | None  # None: stdout
    format: str  # "jsonl" or "csv"
    items_out: Path | None = None
    raw: bool = False
    filters: dict[str, Any] = attrs.field(factory=dict)  # keyword arguments of invoices.list
    per_page: int = 30
    resume: bool = False
    force: bool = False  # overwrite an existing output, or start an interrupted one over
    # seconds between checkpoints: a crash redoes at most this much, never duplicates
    checkpoint_every: float = 1.0

    def signature(self) -> dict[str, Any]:
        """The query: what must be identical for a resumed export to continue this one."""
        return {"kind": self.kind, "format": self.format, "raw": self.raw,
                "per_page": self.per_page,
                "items_out": None if self.items_out is None else str(_absolute(self.items_out)),
                "filters": {k: _plain(v) for k, v in sorted(self.filters.items())
                            if v is not None}}


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if isinstance(value, (bool, int)) else str(value)


def _absolute(path: Path) -> Path:
    """The path as an absolute one, without following symlinks (``./x`` == ``/cwd/x``)."""
    return Path(os.path.abspath(path))


@attrs.define
class ExportResult:
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    resumed_from: int = 0
    # --resume found the output finished and nothing interrupted: nothing was fetched
    already_complete: bool = False


OnPage = Callable[[Page[Any]], None]
OnResume = Callable[[int, int], None]  # documents and pages an interrupted run had written


def paginator_for(api: AsyncInvoiceXpress, spec: ExportSpec,
                  start: int) -> AsyncPaginator[Any] | None:
    """The list to export; building it checks every filter (nothing is sent yet). None for
    the lists the API does not paginate (taxes, sequences)."""
    kind = KINDS[spec.kind]
    if not kind.paginated:
        return None
    paginator: AsyncPaginator[Any] = kind.resource(api).list(
        **spec.filters, per_page=spec.per_page, page=start)
    return paginator.raw() if spec.raw else paginator


async def pages_of(api: AsyncInvoiceXpress, spec: ExportSpec,
                   start: int) -> AsyncIterator[Page[Any]]:
    """The export's pages from ``start``: a paginated list, or an unpaginated one as page 1."""
    paginator = paginator_for(api, spec, start)
    if paginator is not None:
        async with contextlib.aclosing(paginator.pages()) as pages:
            async for page in pages:
                yield page
        return
    if start > 1:
        return
    kind = KINDS[spec.kind]
    if spec.raw:
        assert kind.path is not None
        answer = await api.request("GET", kind.path)
        items: list[Any] = (answer or {}).get(kind.name) or []
    else:
        items = await kind.resource(api).list()
    yield Page(number=1, items=items, pagination=None)


def check_paths(spec: ExportSpec) -> None:
    """Refuse, before any request, an output that cannot or must not be written."""
    if spec.format == "parquet":
        if spec.out is None:
            raise ExportRefused("Parquet is written to a file (--out FILE.parquet), not stdout")
        if spec.raw:
            raise ExportRefused("Parquet columns are typed: it cannot be written with --raw")
        if not parquet_installed():
            raise ExportRefused("Parquet output needs the 'parquet' extra: pip install"
                                " 'invoicexpress-async[parquet]'")
    if spec.out is None:
        if spec.resume:
            raise ExportRefused("--resume needs an output file, not stdout")
        return
    targets = [_absolute(spec.out)] + ([_absolute(spec.items_out)] if spec.items_out else [])
    if len(set(targets)) < len(targets):
        raise ExportRefused(f"--items-out and --out are the same file ({targets[0]})")
    for target in targets:
        if target.is_dir():
            raise ExportRefused(f"{target} is a directory; give a file name")
        if not target.parent.is_dir():
            raise ExportRefused(f"the directory {target.parent} does not exist")
        if exists(target) and not (spec.force or spec.resume):
            raise ExportRefused(f"{target} exists; add --force to overwrite it")


async def run_export(api: AsyncInvoiceXpress, spec: ExportSpec,
                     on_page: OnPage | None = None,
                     on_resume: OnResume | None = None) -> ExportResult:
    """Export ``spec``; ``on_page`` sees each page written, ``on_resume`` the documents and
    pages an interrupted run had already written, when this one continues it."""
    paginator_for(api, spec, 1)  # the filters are checked now, before any file or request
    check_paths(spec)
    result = ExportResult()
    started = time.perf_counter()
    if spec.out is None:
        out = sys.stdout.buffer
        writer = make_writer(KINDS[spec.kind], spec.format, out, None, raw=spec.raw)
        writer.header()
        async for page in pages_of(api, spec, 1):
            writer.write(page.items)
            out.flush()
            _count(result, page, on_page)
    else:
        with locked(_absolute(spec.out)):
            await _export_to_files(api, spec, result, on_page, on_resume)
    result.seconds = time.perf_counter() - started
    return result


async def _export_to_files(api: AsyncInvoiceXpress, spec: ExportSpec, result: ExportResult,
                           on_page: OnPage | None,
                           on_resume: OnResume | None) -> None:
    assert spec.out is not None
    out = _absolute(spec.out)
    targets = [out] + ([_absolute(spec.items_out)] if spec.items_out is not None else [])
    parts = [part_of(t) for t in targets]
    state_path = Checkpoint.path_for(out)
    checkpoint = Checkpoint(out=str(out), account=api.account_name, base_url=api.base_url,
                            query=spec.signature())
    saved = Checkpoint.load(state_path) if spec.resume else None
    if saved is not None:
        differences = saved.differences(checkpoint)
        if differences:
            raise ResumeRefused(f"--resume refused: {state_path} belongs to another export:"
                                f" {'; '.join(differences)}; rerun with --force to start over")
        missing = [p.name for p in parts if p.name not in saved.sizes]
        if missing:
            raise ResumeRefused(f"--resume refused: {state_path} does not know"
                                f" {', '.join(missing)}; start over with --force")
    else:
        leftovers = [p for p in (state_path, *parts) if exists(p)]
        if spec.resume and not spec.force and not leftovers \
                and all(exists(t) for t in targets):
            result.already_complete = True  # a finished file is never exported over
            return
        if leftovers and not (spec.force or spec.resume):
            raise ExportRefused(f"an interrupted export of {out} is there"
                                f" ({', '.join(p.name for p in leftovers)}): add --resume to"
                                " continue it or --force to start over")
        for leftover in leftovers:
            remove(leftover)

    try:
        await _write_pages(api, spec, result, on_page, on_resume, saved, checkpoint, parts,
                           state_path)
    except BaseException:
        if saved is None and not result.pages:  # wrote nothing: leave nothing behind
            for leftover in (state_path, *parts):
                remove(leftover)
        raise
    if spec.format == "parquet":  # the finished spool becomes the Parquet file
        spool_to_parquet(parts[0], targets[0], KINDS[spec.kind].model)
        remove(parts[0])
    else:
        for part, target in zip(parts, targets, strict=True):
            os.replace(part, target)  # replaces whatever is at target, a symlink itself
    remove(state_path)


async def _write_pages(api: AsyncInvoiceXpress, spec: ExportSpec, result: ExportResult,
                       on_page: OnPage | None, on_resume: OnResume | None,
                       saved: Checkpoint | None, checkpoint: Checkpoint, parts: list[Path],
                       state_path: Path) -> None:
    with contextlib.ExitStack() as stack:
        if saved is None:
            files: list[IO[bytes]] = [stack.enter_context(create(p)) for p in parts]
        else:
            files = [stack.enter_context(reopen(p, saved.sizes[p.name])) for p in parts]
            checkpoint = saved
            result.resumed_from = saved.last_page
            result.documents = saved.documents
            result.pages = saved.last_page  # counts are of the whole output, as after a run
            if on_resume is not None:
                on_resume(saved.documents, saved.last_page)
        writer = make_writer(KINDS[spec.kind], spec.format, files[0],
                             files[1] if len(files) > 1 else None, raw=spec.raw)
        if saved is None:
            writer.header()
            _checkpoint(checkpoint, parts, files, state_path)
        saved_at = time.monotonic()
        async for page in pages_of(api, spec, checkpoint.last_page + 1):
            writer.write(page.items)
            checkpoint.last_page = page.number
            checkpoint.documents += len(page.items)
            if time.monotonic() - saved_at >= spec.checkpoint_every:
                _checkpoint(checkpoint, parts, files, state_path)
                saved_at = time.monotonic()
            _count(result, page, on_page)
        for handle in files:
            handle.flush()
            os.fsync(handle.fileno())


def _checkpoint(checkpoint: Checkpoint, parts: list[Path], files: list[IO[bytes]],
                state_path: Path) -> None:
    for handle in files:
        handle.flush()
    checkpoint.sizes = {p.name: f.tell() for p, f in zip(parts, files, strict=True)}
    checkpoint.save(state_path)


def _count(result: ExportResult, page: Page[Any], on_page: OnPage | None) -> None:
    result.documents += len(page.items)
    result.pages += 1
    if on_page is not None:
        on_page(page)
